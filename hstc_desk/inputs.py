"""Reading a file the user named as input: a bundle, a key file, a password file, later
spreadsheets and STIX.

Only a regular file is read (a symlink to one is fine). The kind and size are checked before the
file is opened, it is opened without blocking (so a named pipe swapped in at the last moment
cannot hang the command), checked again on the open descriptor, and read up to its limit and
never further: memory is bounded by the file's own size, not by the limit.
"""

from __future__ import annotations

import os
import stat

_CHUNK = 1 << 20


class InputError(Exception):
    """An input file that is not one the command can read (exit status 1)."""


def shown(path: str | os.PathLike[str]) -> str:
    """A path as text for a message, even when its bytes are not UTF-8."""
    return os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")


def size_text(n: int) -> str:
    """``100 bytes``, ``1.1 GiB (1181116006 bytes)``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.3g} {unit} ({n} bytes)"
    return f"{n} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _check(st: os.stat_result, limit: int, what: str, name: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"the {what} {name} is {_kind(st.st_mode)}, not a regular file; "
                         "refused unread")
    if st.st_size > limit:
        raise InputError(f"the {what} {name} is {size_text(st.st_size)}, larger than the limit "
                         f"of {size_text(limit)}; refused unread")


def read_regular_file(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; InputError otherwise.

    ``what`` names the input in messages ("bundle", "key file", "password file").
    """
    name = shown(path)
    try:
        _check(os.stat(path), limit, what, name)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(f"the {what} {name} does not exist") from None
    except OSError as exc:
        raise InputError(f"cannot read the {what} {name}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        _check(st, limit, what, name)  # the file may have been swapped since it was looked at
        try:
            with os.fdopen(fd, "rb", buffering=0, closefd=False) as fh:
                first = fh.read(st.st_size + 1)  # one read of the file's size, plus one byte
                chunks, total = [first], len(first)
                while total <= limit:  # a file that grew since fstat: bounded chunks
                    chunk = fh.read(min(_CHUNK, limit + 1 - total))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    total += len(chunk)
        except OSError as exc:
            raise InputError(f"cannot read the {what} {name}: {exc.strerror}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputError(f"the {what} {name} grew past the limit of {size_text(limit)} while "
                         "it was read; refused")
    return first if len(chunks) == 1 else b"".join(chunks)
