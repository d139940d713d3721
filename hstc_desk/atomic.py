"""Crash-safe file writes: a temp file beside the target, permissions first, fsync, rename."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_beside(path: Path) -> Path:
    """The hidden temp file beside ``path``; short enough for any legal name of ``path`` (a
    name may take all 255 bytes a file name has)."""
    name = f".{path.name}.{os.getpid()}.tmp"
    if len(os.fsencode(name)) > 255:
        tag = hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]
        name = f".hstc-{tag}.{os.getpid()}.tmp"
    return path.with_name(name)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` so a reader sees the old file or the new one, never a mix.

    The temp file is created with ``mode`` before any byte is written, so secrets are never
    world-readable even for an instant. On any error (a full disk included) the temp file is
    removed and the old file is left untouched.
    """
    path = Path(path)
    tmp = temp_beside(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:  # name what the user asked for, not the hidden temp file
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def read_back(path: Path) -> bytes:
    """The file's bytes as the media holds them, not as the page cache remembers them.

    After the fsync in ``atomic_write`` the file's pages are clean; asking the kernel to drop
    them makes this read go to the device, so a verification of the result checks what was
    really written to the removable media.
    """
    with open(path, "rb") as fh:
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        return fh.read()
