"""Schema and migrations, stepped by ``PRAGMA user_version``."""

from __future__ import annotations

import sqlcipher3

from hstc_desk.store.errors import StoreError

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('analyst', 'supervisor', 'admin')),
    clearance   TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    created     TEXT NOT NULL,
    disabled    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE items (
    rid        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    marking    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    sci        INTEGER NOT NULL,
    controls   INTEGER NOT NULL,
    originator TEXT NOT NULL,
    restricted INTEGER NOT NULL,
    day        TEXT NOT NULL,
    case_id    TEXT,
    updated    TEXT NOT NULL,
    conflict   INTEGER NOT NULL DEFAULT 0,
    body       TEXT NOT NULL
);
CREATE INDEX items_kind_day ON items (kind, day, rid);
CREATE INDEX items_day ON items (day, rid);
CREATE INDEX items_title ON items (title COLLATE NOCASE, rid);
CREATE INDEX items_case ON items (case_id, day, rid);
CREATE INDEX items_originator ON items (originator, day, rid);

CREATE TABLE links (
    rid        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    src        TEXT NOT NULL,
    dst        TEXT NOT NULL,
    link_type  TEXT NOT NULL,
    version    INTEGER NOT NULL,
    marking    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    sci        INTEGER NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX links_src ON links (src);
CREATE INDEX links_dst ON links (dst);

CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    detail  TEXT NOT NULL,
    prev    TEXT NOT NULL,
    hash    TEXT NOT NULL
);
"""

MIGRATIONS: list[str] = [_V1]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlcipher3.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION, one step per transaction. Returns the version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"store schema {version} is newer than this program understands ({SCHEMA_VERSION}); "
            "upgrade HSTC Desk")
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
    return version


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]
