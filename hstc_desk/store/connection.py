"""Open a SQLCipher connection with the store's settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import sqlcipher3

# Page cache for the store connection, in KiB. Search over an FTS5 index decrypts every page it
# reads; keeping decrypted pages in the cache is what makes repeated and common-term searches fast.
# `hstc bench` measures the effect; 128 MiB holds the hot index of a million-item store.
CACHE_KIB = 131072


# How a connection may touch the files:
# - "write": read and write; WAL mode; the WAL's side files are made as needed and removed by
#   the last connection to close.
# - "query": the same files, but this connection refuses every write (PRAGMA query_only). On a
#   disk that can take files this is the read-only open: it leaves nothing behind, as "write" does.
# - "shared": SQLite's read-only mode over side files that already exist (another connection's,
#   or a log left by a crash); nothing is created when they are there.
# - "immutable": the database file alone, creating nothing and taking no locks. Correct only
#   when the file holds the whole store (no log with pages in it) and nothing can write it
#   meanwhile: read-only media, or a full disk where no writer can open either.
Access = Literal["write", "query", "shared", "immutable"]
_URI_MODE = {"write": "mode=rwc", "query": "mode=rw", "shared": "mode=ro",
             "immutable": "mode=ro&immutable=1"}


def connect(path: Path, key: bytes, *, cache_kib: int = CACHE_KIB,
            access: Access = "write") -> sqlcipher3.Connection:
    """Open ``path`` keyed with the raw 32-byte ``key``; the key check happens here."""
    # Quoted, so '#', '?' and '%' in a folder name stay part of the name.
    # Quoted as bytes, so a name that is not UTF-8 reaches SQLite as the same bytes.
    uri = f"file:{quote(os.fsencode(Path(path).resolve()))}?{_URI_MODE[access]}"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                              timeout=30.0)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # Freed memory is not wiped (a large cost on every page); the key itself is dropped on
        # close and lock. SQLCipher's own log would print page errors to stderr: the store
        # reports them itself.
        conn.execute("PRAGMA cipher_memory_security = OFF")
        conn.execute("PRAGMA cipher_log_level = NONE")
        # Touch the schema now so a wrong key or a damaged header fails here, clearly.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if access == "write":
            conn.execute("PRAGMA journal_mode = WAL")
        elif access == "query":
            conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    except Exception:
        conn.close()
        raise
    return conn
