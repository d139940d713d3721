"""What the file system under a store allows: free space, read-only media, the WAL's side files.

SQLite in WAL mode keeps two files beside ``store.db``: ``store.db-wal`` (committed pages not yet
copied into the database) and ``store.db-shm`` (the index over them, shared by every connection).
Any connection, even a read-only one, creates both when they are missing, and the index must
then grow to 32 KiB. On a full disk that fails ("disk I/O error") after the two files have been
created empty; on read-only media they cannot be created at all. This module says, before a
connection is opened, which of those situations a store is in, and names a full disk as such.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3

from hstc_desk.store.connection import Access, connect
from hstc_desk.store.errors import CorruptStoreError, DiskFullError, ReadOnlyMediaError, StoreError

# Below this much free space a store is treated as full: opening for writing is refused before
# anything is created, and read-only opens create nothing. A write-open needs the 32 KiB index
# and room for the write-ahead log to grow; a disk with less than 1 MiB left is full in practice.
MIN_FREE_BYTES = 1 << 20

SQLITE_IOERR = 10
SQLITE_FULL = 13


def free_bytes(path: Path) -> int:
    """Bytes this process may still write on the file system holding ``path``."""
    st = os.statvfs(path)
    # Root may use the blocks the file system reserves; everyone else only the available ones.
    blocks = st.f_bfree if os.geteuid() == 0 else st.f_bavail
    return blocks * st.f_frsize


def read_only_media(path: Path) -> bool:
    """Whether ``path`` lies on a file system mounted read-only."""
    return bool(os.statvfs(path).f_flag & os.ST_RDONLY)


def can_create_files(folder: Path) -> bool:
    """Whether new files (the WAL's side files) can be made in ``folder`` right now."""
    return (not read_only_media(folder) and os.access(folder, os.W_OK)
            and free_bytes(folder) >= MIN_FREE_BYTES)


def side_files(db: Path) -> tuple[Path, Path]:
    """The write-ahead log and its index beside ``db``."""
    return db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")


def wal_holds_pages(db: Path) -> bool:
    """Whether ``db``'s write-ahead log exists and is not empty (it may hold committed pages
    that the database file does not: then the database cannot be read without it)."""
    wal = side_files(db)[0]
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


def is_disk_full(exc: BaseException, path: Path) -> bool:
    """Whether ``exc`` comes from the file system holding ``path`` being full.

    SQLite says SQLITE_FULL when a write gets ENOSPC, but a full disk met while the WAL index
    grows comes back as a plain I/O error: that one counts as "full" when the disk is. A full
    disk met first and hidden by the error of the clean-up after it (a ROLLBACK of the
    transaction SQLite had already rolled back: "no transaction is active") counts too.
    """
    seen = 0
    while exc.__context__ is not None and seen < 8:
        if _full_itself(exc, path):
            return True
        exc, seen = exc.__context__, seen + 1
    return _full_itself(exc, path)


def _full_itself(exc: BaseException, path: Path) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, sqlcipher3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF == SQLITE_FULL:
            return True
        if code is not None and code & 0xFF == SQLITE_IOERR:
            with contextlib.suppress(OSError):
                return free_bytes(path) < MIN_FREE_BYTES
    return False


def full_error(path: Path, shown: object | None = None) -> DiskFullError:
    """The error that names a full disk, with the free bytes measured now."""
    try:
        free = free_bytes(path)
    except OSError:
        free = 0
    return DiskFullError(shown if shown is not None else path, free)


@contextlib.contextmanager
def removing_new_side_files(db: Path) -> Iterator[None]:
    """On failure, remove the side files of ``db`` that this attempt created and left unused.

    Only files that did not exist before the attempt are touched, and only when they carry
    nothing (empty, or zero bytes only: no connection ever wrote a header into them). A log
    with pages in it is never removed; nor is anything while an index is there that another
    connection has set up (every live connection has one), so a writer that opened meanwhile
    keeps its new, still empty log.
    """
    wal, shm = side_files(db)
    before = {p for p in (wal, shm) if p.exists()}
    try:
        yield
    except BaseException:
        if not shm.exists() or (shm not in before and _unused(shm)):
            for p in (wal, shm):
                if p not in before and _unused(p):
                    with contextlib.suppress(OSError):
                        p.unlink()
        raise


def _unused(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(65536):
                if chunk.strip(b"\0"):
                    return False
    except OSError:
        return False
    return True


def check_writable(folder: Path) -> None:
    """Refuse, before anything is created, to open the store in ``folder`` for changes where
    they cannot be made: read-only media, a read-only folder, a full disk."""
    if read_only_media(folder):
        raise ReadOnlyMediaError(
            f"the store {folder} is on read-only media, so it cannot be changed there; search, "
            "show, stats, check, audit verify and verify still read it; copy it to a writable "
            "disk to change it")
    if not os.access(folder, os.W_OK):
        raise ReadOnlyMediaError(
            f"the store folder {folder} is read-only, so the store cannot be changed there; "
            "copy it to a writable disk to change it")
    if free_bytes(folder) < MIN_FREE_BYTES:
        raise full_error(folder)


def open_database(folder: Path, db: Path, key: bytes, *, cache_kib: int,
                  readonly: bool) -> tuple[sqlcipher3.Connection, Access]:
    """Connect to the store's database in the way the disk under it allows.

    For changes: "write", after check_writable. Read-only, where new files can be made:
    "query" (the WAL's side files come and go as for any connection, and this one refuses to
    write). Where they cannot (read-only media, a full disk, a read-only folder), nothing is
    created: "shared" when side files are there to use (a live connection's index, or a log
    left by a crash that holds pages the database file lacks), else "immutable", which reads
    the database file alone. That is only correct while the file holds the whole store and
    nothing writes it: it is chosen only when no log with pages exists, and on read-only media
    nothing can write, while on a full disk no writer can open either (its index cannot grow).
    Side files that an earlier failed attempt left empty are not touched.
    """
    shm = side_files(db)[1]
    if not readonly:
        check_writable(folder)
        tries: list[Access] = ["write"]
    elif can_create_files(folder):
        tries = ["query"]
    elif wal_holds_pages(db):
        tries = ["shared"]
    elif shm.exists() and not _unused(shm):
        tries = ["shared", "immutable"]  # a live connection's index, if it is one
    else:
        tries = ["immutable"]
    for n, access in enumerate(tries, 1):
        try:
            with removing_new_side_files(db):
                return connect(db, key, cache_kib=cache_kib, access=access), access
        except sqlcipher3.DatabaseError as exc:
            if n < len(tries):
                continue
            raise unreadable(folder, db, access, exc) from None
    raise AssertionError("unreachable")


def unreadable(folder: Path, db: Path, access: Access, exc: sqlcipher3.DatabaseError
               ) -> StoreError:
    """The sentence for a database that would not open: a full disk named as such, a log that
    cannot be read where the store is, else damage."""
    if is_disk_full(exc, folder):
        return full_error(folder)
    if access == "shared" and wal_holds_pages(db):
        return StoreError(
            f"{db.name}-wal in {folder} holds changes not yet copied into {db.name}, and they "
            f"cannot be read where the store is without writing beside it ({exc}); open the "
            "store once on a writable disk with room to finish them")
    return CorruptStoreError(f"the store database cannot be read: {exc}")
