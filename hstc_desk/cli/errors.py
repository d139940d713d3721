"""One line for the user from any exception; never a traceback."""

from __future__ import annotations

import errno

import sqlcipher3


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "the disk is full; nothing was changed (free space and try again)"
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    if isinstance(exc, sqlcipher3.DatabaseError):
        return f"the store cannot be read or written: {exc}"
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0] if len(text) > 2000 else text
