"""Where a command may write an output (a bundle, a key file, later a PDF, a figure, an audit
export): never into a store folder, onto any of a store's files, onto a folder, or over an
existing file unless the user said ``--force``.

Every spelling of a path is reduced to what the kernel would reach: ``..``, ``./``, double
slashes and symlinks by ``realpath`` (of the file itself and of the folder it would be written
in, since a rename replaces the link while a write through it would reach its target), a
trailing slash by refusing it, hard links and bind mounts by comparing device and inode numbers
with the store's own files and folder. A store folder is any folder holding ``store.db`` or
``keyslots.json``, as well as the stores the command was given.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from hstc_desk.inputs import shown

STORE_FILES = ("store.db", "keyslots.json")  # hstc_desk.store.store.DB_NAME, SLOTS_NAME


class OutputRefused(Exception):
    """An output path that would overwrite or land inside something it must not (exit 1)."""


def _looks_like_store(folder: Path) -> bool:
    return any(os.path.lexists(folder / name) for name in STORE_FILES)


def _ident(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _stat(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _store_files(store: Path) -> list[tuple[int, int]]:
    """Device and inode of the store folder and of every file in it."""
    st = _stat(store)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return []
    out = [_ident(st)]
    with contextlib.suppress(OSError), os.scandir(store) as it:
        for entry in it:
            with contextlib.suppress(OSError):
                out.append(_ident(entry.stat()))
    return out


def _inside(where: Path, stores: list[Path]) -> Path | None:
    """The store folder that ``where`` (a resolved path) is, or lies in, if any."""
    for folder in (where, *where.parents):
        if folder in stores or _looks_like_store(folder):
            return folder
    return None


def guard_work_folder(path: str | os.PathLike[str]) -> Path:
    """A folder a command will fill with its own files (``hstc bench --dir``): refused when it
    is, or lies in, a store folder, whatever the spelling of the path."""
    raw = os.fspath(path)
    store = _inside(Path(os.path.realpath(raw)), [])
    if store is not None:
        raise OutputRefused(f"the work folder {shown(raw)} is or lies in the store folder "
                            f"{shown(store)}; outputs are never written into a store folder "
                            "(nothing was written)")
    return Path(raw)


def guard_output(path: str | os.PathLike[str], *, force: bool,
                 stores: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The path to write, once it is known to be safe; OutputRefused with a sentence otherwise.

    ``stores`` are the store folders the command works on (their files are recognised through
    hard links too). Call before anything is read or written, so a refusal changes nothing.
    """
    raw = os.fspath(path)
    name = shown(raw)
    if not raw:
        raise OutputRefused("no output file named")
    if raw.endswith(("/", os.sep)) or os.path.basename(raw) in (".", ".."):
        raise OutputRefused(f"the output {name} names a folder; give a file name")
    target = Path(raw)
    roots = [Path(os.path.realpath(s)) for s in stores]
    parent = Path(os.path.realpath(target.parent))
    written = parent / target.name  # the name a rename replaces
    reached = Path(os.path.realpath(target))  # what a write through a link would reach
    for where in (written, reached):
        store = _inside(where, roots)
        if store is not None:
            what = "is the store folder" if where == store else "is inside the store folder"
            raise OutputRefused(f"the output {name} {what} {shown(store)}; outputs are never "
                                "written into a store folder (nothing was written)")
    st, exists = _stat(target), os.path.lexists(target)
    protected = {ident: root for root in roots for ident in _store_files(root)}
    parent_st = _stat(parent)
    if parent_st is not None and _ident(parent_st) in protected:
        raise OutputRefused(f"the output {name} is inside the store folder "
                            f"{shown(protected[_ident(parent_st)])} under another name (a "
                            "mount); outputs are never written into a store folder (nothing "
                            "was written)")
    if st is not None and _ident(st) in protected:
        raise OutputRefused(f"the output {name} is another name (a hard link) of a file of the "
                            f"store {shown(protected[_ident(st)])}; it is never written over "
                            "(nothing was written)")
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputRefused(f"the output {name} is a folder; give a file name")
    if exists:
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise OutputRefused(f"the output {name} exists and is not a regular file; "
                                "refused (nothing was written)")
        if not force:
            raise OutputRefused(f"the output {name} already exists; pass --force to replace "
                                "it (nothing was written)")
    return target
