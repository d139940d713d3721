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

# Browse (issue #3): indexes so every sort column of the item browser walks an index.
_V2_BROWSE = """
CREATE INDEX items_marking ON items (marking, rid);
CREATE INDEX items_case_sort ON items (ifnull(case_id, ''), day, rid);
CREATE INDEX items_bits ON items (controls, sci, level);
"""

# Exchange (issue #4): trusted partner keys, bundles seen, conflicts kept for the analyst, and
# this workstation's exports (their sequence numbers per destination).
_V3_EXCHANGE = """
CREATE TABLE trusted_keys (
    fingerprint TEXT PRIMARY KEY,
    public_key  BLOB NOT NULL,
    name        TEXT NOT NULL,
    added       TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    revoked     TEXT
) WITHOUT ROWID;

CREATE TABLE bundles_seen (
    bundle_id   TEXT PRIMARY KEY,
    sender_fp   TEXT NOT NULL,
    destination TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    imported    TEXT NOT NULL,
    summary     TEXT NOT NULL,
    UNIQUE (sender_fp, destination, sequence)
);

CREATE TABLE conflicts (
    id          TEXT NOT NULL,
    record      TEXT NOT NULL CHECK (record IN ('item', 'link')),
    version     INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    marking     TEXT NOT NULL,
    noted       TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (id, version, sha256)
) WITHOUT ROWID;

CREATE TABLE exports (
    destination TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    bundle_id   TEXT NOT NULL UNIQUE,
    created     TEXT NOT NULL,
    items       INTEGER NOT NULL,
    links       INTEGER NOT NULL,
    banner      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    PRIMARY KEY (destination, sequence)
) WITHOUT ROWID;
"""

# Search (issue #2): precomputed first pages for the most common single-word queries. Each list is
# stamped with the FTS index's own averages and structure records, so any change to the index
# makes every list stale at once and search falls back to scoring every match.
_V4_SEARCH_HEAD = """
CREATE TABLE search_head (
    term  TEXT NOT NULL,
    pos   INTEGER NOT NULL,
    rid   INTEGER NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (term, pos)
) WITHOUT ROWID;
"""

# Products (issue #4, DESIGN §5): every version of every product is kept; an approved version is
# immutable and has exactly one sign-off. ``received_from`` is the fingerprint of the workstation
# whose signed bundle brought an imported sign-off (NULL when signed here): a local fact, kept out
# of the content digest.
_V5_PRODUCTS = """
CREATE TABLE products (
    id       TEXT NOT NULL,
    version  INTEGER NOT NULL,
    status   TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved')),
    ptype    TEXT NOT NULL,
    title    TEXT NOT NULL,
    author   TEXT NOT NULL,
    marking  TEXT NOT NULL,
    level    INTEGER NOT NULL,
    sci      INTEGER NOT NULL,
    updated  TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (id, version)
) WITHOUT ROWID;
CREATE INDEX products_status ON products (status, updated);

CREATE TABLE signoffs (
    product_id        TEXT NOT NULL,
    version           INTEGER NOT NULL,
    signer            TEXT NOT NULL,
    signer_public_key TEXT NOT NULL,
    signature         TEXT NOT NULL,
    content_hash      TEXT NOT NULL,
    audit_head        TEXT NOT NULL,
    signed_at         TEXT NOT NULL,
    received_from     TEXT,
    body              TEXT NOT NULL,
    PRIMARY KEY (product_id, version),
    FOREIGN KEY (product_id, version) REFERENCES products (id, version)
) WITHOUT ROWID;
"""

# Browse (issue #9): the Marking column sorts by classification level, then SCI and dissemination
# controls, then the marking's text (REL TO lists), not alphabetically; the text-only index goes.
_V6_MARKING_SORT = """
CREATE INDEX items_level_sort ON items (level, sci, controls, marking, rid);
DROP INDEX items_marking;
"""

# Movement (issue #10): one row per event, route leg and report, kept by triggers in the same
# transaction as every change to items, so that timelines and route maps count and bin in SQL
# without reading a body. Times are Unix seconds; a report sits at its date of information.
_MOVEMENT_ROW = """
    new.rid, new.kind,
    CASE new.kind WHEN 'event' THEN unixepoch(json_extract(new.body, '$.occurred'))
                  WHEN 'route_leg' THEN unixepoch(json_extract(new.body, '$.start'))
                  ELSE unixepoch(json_extract(new.body, '$.date_of_information')) END,
    CASE new.kind WHEN 'route_leg' THEN unixepoch(json_extract(new.body, '$.end'))
                  WHEN 'event' THEN unixepoch(json_extract(new.body, '$.occurred'))
                  ELSE unixepoch(json_extract(new.body, '$.date_of_information')) END,
    json_extract(new.body, '$.network_id'), json_extract(new.body, '$.mode'),
    json_extract(new.body, '$.event_type'),
    CASE new.kind WHEN 'route_leg' THEN json_extract(new.body, '$.from_location_id')
                  ELSE json_extract(new.body, '$.location_id') END,
    json_extract(new.body, '$.to_location_id'),
    new.case_id, new.marking, new.level, new.sci, new.controls, new.restricted, new.conflict
"""
_MOVEMENT_KINDS = "new.kind IN ('event', 'route_leg', 'report')"
_V_MOVEMENT = f"""
CREATE TABLE movement (
    rid        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    t0         INTEGER NOT NULL,
    t1         INTEGER NOT NULL,
    network    TEXT,
    mode       TEXT,
    event_type TEXT,
    loc_from   TEXT,
    loc_to     TEXT,
    case_id    TEXT,
    marking    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    sci        INTEGER NOT NULL,
    controls   INTEGER NOT NULL,
    restricted INTEGER NOT NULL,
    conflict   INTEGER NOT NULL
);
CREATE INDEX movement_time ON movement (t0, kind);
CREATE INDEX movement_legs ON movement (kind, loc_from, loc_to, network, mode);
CREATE INDEX movement_network ON movement (network, t0);
CREATE INDEX movement_case ON movement (case_id, t0);
CREATE TABLE movement_people (
    person TEXT NOT NULL,
    rid    INTEGER NOT NULL,
    PRIMARY KEY (person, rid)
) WITHOUT ROWID;
CREATE INDEX movement_people_rid ON movement_people (rid);

CREATE TRIGGER movement_insert AFTER INSERT ON items WHEN {_MOVEMENT_KINDS} BEGIN
    INSERT INTO movement VALUES ({_MOVEMENT_ROW});
    INSERT OR IGNORE INTO movement_people
        SELECT value, new.rid FROM json_each(new.body, '$.participant_ids');
END;
CREATE TRIGGER movement_update AFTER UPDATE ON items WHEN {_MOVEMENT_KINDS} BEGIN
    DELETE FROM movement_people WHERE rid = old.rid;
    INSERT OR REPLACE INTO movement VALUES ({_MOVEMENT_ROW});
    INSERT OR IGNORE INTO movement_people
        SELECT value, new.rid FROM json_each(new.body, '$.participant_ids');
END;
CREATE TRIGGER movement_delete AFTER DELETE ON items WHEN old.kind IN
        ('event', 'route_leg', 'report') BEGIN
    DELETE FROM movement WHERE rid = old.rid;
    DELETE FROM movement_people WHERE rid = old.rid;
END;

INSERT INTO movement SELECT {_MOVEMENT_ROW.replace("new.", "items.")}
    FROM items WHERE kind IN ('event', 'route_leg', 'report');
INSERT OR IGNORE INTO movement_people
    SELECT j.value, items.rid FROM items, json_each(items.body, '$.participant_ids') j
    WHERE items.kind = 'event';
"""

MIGRATIONS: list[str] = [_V1, _V2_BROWSE, _V3_EXCHANGE, _V4_SEARCH_HEAD, _V5_PRODUCTS,
                         _V6_MARKING_SORT, _V_MOVEMENT]
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
    """Split a migration script into statements; a trigger's BEGIN ... END stays one statement."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlcipher3.complete_statement(buf):
            if buf.strip().rstrip(";").strip():
                out.append(buf.strip().rstrip(";"))
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
