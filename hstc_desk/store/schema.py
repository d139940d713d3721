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
# without reading a body. Times are Unix seconds (t0 to t1): a leg from its start to its end, an
# event known only roughly over its window, a report at its date of information. The table is
# clustered by time (a window is one contiguous range). Each kind's trigger extracts only the
# fields that kind has (every json_extract parses the body again).
#
# ``movement_bins`` is a pyramid of counts per bucket of four widths (a day, a week, eight weeks,
# 52 weeks), per lane (case, network, or all), kind and marking, so that a view of a million
# items reads a few thousand counts. Triggers only append each change to ``movement_log`` (an
# upsert per width and lane per row would make bulk loads several times slower); the log is
# folded into the pyramid in grouped statements before the pyramid is read
# (``hstc_desk.store.movement_bins``). ``movement_span`` keeps the longest span (a leg, an event's
# window), so a view looks back exactly as far as anything under way at its start may have begun.
BIN_WIDTHS = (86400, 7 * 86400, 56 * 86400, 364 * 86400)
"""Bucket widths of the movement pyramid, in seconds (a day, a week, eight weeks, 52 weeks):
each a whole number of days, so the wider levels are folded from the day level."""

_COMMON = ("new.case_id, new.marking, new.level, new.sci, new.controls, new.restricted, "
           "new.conflict")
_ROWS = {
    "event": f"""SELECT t, new.rid, 'event', ifnull(unixepoch(json_extract(new.body,
        '$.occurred_latest')), t), NULL, NULL, json_extract(new.body, '$.location_id'), NULL,
        {_COMMON}
        FROM (SELECT unixepoch(json_extract(new.body, '$.occurred')) AS t)""",
    "route_leg": f"""SELECT unixepoch(json_extract(new.body, '$.start')), new.rid,
        'route_leg', unixepoch(json_extract(new.body, '$.end')),
        json_extract(new.body, '$.network_id'), json_extract(new.body, '$.mode'),
        json_extract(new.body, '$.from_location_id'), json_extract(new.body, '$.to_location_id'),
        {_COMMON}""",
    "report": f"""SELECT t, new.rid, 'report', t, NULL, NULL, NULL, NULL, {_COMMON}
        FROM (SELECT unixepoch(json_extract(new.body, '$.date_of_information')) AS t)""",
}
_PEOPLE = """INSERT OR IGNORE INTO movement_people
        SELECT value, new.rid FROM json_each(new.body, '$.participant_ids')
        WHERE instr(new.body, '"participant_ids":[]') = 0"""


def _kind_triggers() -> str:
    out = []
    for kind, row in _ROWS.items():
        people = f"\n    {_PEOPLE};" if kind == "event" else ""
        out.append(f"""
CREATE TRIGGER movement_insert_{kind} AFTER INSERT ON items WHEN new.kind = '{kind}' BEGIN
    INSERT INTO movement {row};{people}
END;
CREATE TRIGGER movement_update_{kind} AFTER UPDATE ON items WHEN new.kind = '{kind}' BEGIN
    DELETE FROM movement_people WHERE rid = old.rid;
    DELETE FROM movement WHERE rid = old.rid;
    INSERT INTO movement {row};{people}
END;""")
    return "\n".join(out)


def _log(row: str, sign: int) -> str:
    return (f"INSERT INTO movement_log VALUES ({row}.t0, {row}.kind, {row}.case_id, "
            f"{row}.network, {row}.marking, {row}.restricted | ({row}.conflict << 1), "
            f"{row}.level, {row}.sci, {sign})")


_V_MOVEMENT = f"""
CREATE TABLE movement (
    t0         INTEGER NOT NULL,
    rid        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    t1         INTEGER NOT NULL,
    network    TEXT,
    mode       TEXT,
    loc_from   TEXT,
    loc_to     TEXT,
    case_id    TEXT,
    marking    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    sci        INTEGER NOT NULL,
    controls   INTEGER NOT NULL,
    restricted INTEGER NOT NULL,
    conflict   INTEGER NOT NULL,
    PRIMARY KEY (t0, rid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX movement_rid ON movement (rid);
CREATE INDEX movement_legs ON movement (loc_from, loc_to, network, mode)
    WHERE kind = 'route_leg';
CREATE INDEX movement_network ON movement (network, t0) WHERE network IS NOT NULL;
CREATE INDEX movement_case ON movement (case_id, t0) WHERE case_id IS NOT NULL;
CREATE TABLE movement_people (
    person TEXT NOT NULL,
    rid    INTEGER NOT NULL,
    PRIMARY KEY (person, rid)
) WITHOUT ROWID;
CREATE INDEX movement_people_rid ON movement_people (rid);
CREATE TABLE movement_span (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    longest INTEGER NOT NULL
);
INSERT INTO movement_span VALUES (1, 0);
CREATE TABLE movement_log (
    t0 INTEGER NOT NULL, kind TEXT NOT NULL, case_id TEXT, network TEXT,
    marking TEXT NOT NULL, flags INTEGER NOT NULL, level INTEGER NOT NULL, sci INTEGER NOT NULL,
    sign INTEGER NOT NULL
);
CREATE TABLE movement_bins (
    width   INTEGER NOT NULL,
    lane_by TEXT NOT NULL,
    lane    TEXT NOT NULL,
    bucket  INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    marking TEXT NOT NULL,
    flags   INTEGER NOT NULL,
    level   INTEGER NOT NULL,
    sci     INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (width, lane_by, lane, kind, bucket, marking, flags)
) WITHOUT ROWID;

CREATE TRIGGER movement_logged_insert AFTER INSERT ON movement BEGIN
    {_log("new", 1)};
    UPDATE movement_span SET longest = new.t1 - new.t0 WHERE longest < new.t1 - new.t0;
END;
CREATE TRIGGER movement_logged_delete AFTER DELETE ON movement BEGIN
    {_log("old", -1)};
END;
{_kind_triggers()}
CREATE TRIGGER movement_delete AFTER DELETE ON items WHEN old.kind IN
        ('event', 'route_leg', 'report') BEGIN
    DELETE FROM movement WHERE rid = old.rid;
    DELETE FROM movement_people WHERE rid = old.rid;
END;

INSERT INTO movement SELECT t, rid, 'event', ifnull(latest, t), NULL, NULL, loc, NULL, case_id,
        marking, level, sci, controls, restricted, conflict
    FROM (SELECT unixepoch(json_extract(body, '$.occurred')) AS t,
                 unixepoch(json_extract(body, '$.occurred_latest')) AS latest,
                 json_extract(body, '$.location_id') AS loc, * FROM items WHERE kind = 'event');
INSERT INTO movement SELECT unixepoch(json_extract(body, '$.start')), rid, 'route_leg',
        unixepoch(json_extract(body, '$.end')), json_extract(body, '$.network_id'),
        json_extract(body, '$.mode'), json_extract(body, '$.from_location_id'),
        json_extract(body, '$.to_location_id'), case_id, marking, level, sci, controls,
        restricted, conflict
    FROM items WHERE kind = 'route_leg';
INSERT INTO movement SELECT t, rid, 'report', t, NULL, NULL, NULL, NULL, case_id, marking, level,
        sci, controls, restricted, conflict
    FROM (SELECT unixepoch(json_extract(body, '$.date_of_information')) AS t, *
          FROM items WHERE kind = 'report');
INSERT OR IGNORE INTO movement_people
    SELECT j.value, items.rid FROM items, json_each(items.body, '$.participant_ids') j
    WHERE items.kind = 'event';
"""

# Issue 8 §1 (the spill): every body of a conflict is stored under the roll-up of them all. This
# keeps each body as it arrived (its SHA-256 and marking, and the SHA-256 of the body as stored),
# for every version that has two or more, so the roll-up is worked out from what arrived,
# whatever order it arrived in (the roll-up of roll-ups is not always the roll-up of all).
_V_CONFLICT_ARRIVALS = """
CREATE TABLE conflict_arrivals (
    record   TEXT NOT NULL CHECK (record IN ('item', 'link')),
    id       TEXT NOT NULL,
    version  INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    marking  TEXT NOT NULL,
    stored   TEXT NOT NULL,
    PRIMARY KEY (record, id, version, sha256)
) WITHOUT ROWID;
"""

# Slots for work in progress, one per issue, so parallel work never renumbers another's step.
# A slot left empty only bumps user_version.
# issue 11: figure images (PNG by SHA-256; the hash is in the signed content), signed tearline
# versions beside their parent, referral addressees and their responses (not signed content;
# audited), and approved product versions immutable in SQL as well as in code.
_V9_PRODUCT_DRAFTING = """
CREATE TABLE product_images (
    sha256  TEXT PRIMARY KEY,
    png     BLOB NOT NULL,
    marking TEXT NOT NULL,
    level   INTEGER NOT NULL,
    sci     INTEGER NOT NULL,
    width   INTEGER NOT NULL,
    height  INTEGER NOT NULL,
    added   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE product_tearlines (
    product_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    destination TEXT NOT NULL,
    tearline_id TEXT NOT NULL,
    marking     TEXT NOT NULL,
    body        TEXT NOT NULL,
    signoff     TEXT NOT NULL,
    PRIMARY KEY (product_id, version, destination),
    FOREIGN KEY (product_id, version) REFERENCES products (id, version)
) WITHOUT ROWID;

CREATE TABLE referral_addressees (
    product_id TEXT NOT NULL,
    addressee  TEXT NOT NULL,
    version    INTEGER NOT NULL,
    approved   TEXT NOT NULL,
    PRIMARY KEY (product_id, addressee)
) WITHOUT ROWID;

CREATE TABLE referral_responses (
    product_id  TEXT NOT NULL,
    addressee   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    response    TEXT NOT NULL CHECK (response IN ('acknowledged', 'acted_on', 'declined')),
    note        TEXT NOT NULL,
    responded   TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (product_id, addressee, seq),
    FOREIGN KEY (product_id, addressee) REFERENCES referral_addressees (product_id, addressee)
) WITHOUT ROWID;

CREATE INDEX products_type ON products (ptype, status);

CREATE TRIGGER products_approved_immutable BEFORE UPDATE ON products
WHEN OLD.status = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'an approved product version is immutable');
END;

CREATE TRIGGER products_approved_kept BEFORE DELETE ON products
WHEN OLD.status = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'an approved product version is never deleted');
END;
"""
# issue 12: certificates (certificates.py), signed audit records (audit.py), the evidence that
# vouches for imported sign-offs (anchors.py).
_V10_TRUST = """
CREATE TABLE certificates (
    serial    INTEGER PRIMARY KEY,
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX certificates_subject ON certificates (subject, serial);
ALTER TABLE audit ADD COLUMN signer TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN signature TEXT NOT NULL DEFAULT '';
CREATE TABLE bundle_evidence (
    bundle_id   TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    members     TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE signoff_evidence (
    product_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    bundle_id  TEXT NOT NULL REFERENCES bundle_evidence (bundle_id),
    PRIMARY KEY (product_id, version)
) WITHOUT ROWID;
"""

# issue 12: user lifecycle (user_lifecycle.py). A user row is never deleted (their
# certificates, sign-offs and audit records name them); its state says whether they may log in,
# and ``disabled`` is kept equal to (state <> 'active') for the code that reads it.
_V11_USERS = """
ALTER TABLE users ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
    CHECK (state IN ('active', 'disabled', 'removed'));
UPDATE users SET state = 'disabled' WHERE disabled <> 0;
"""
# issue 12: two-person foreign disclosure (exchange/disclosure.py). The users table is rebuilt
# to admit the disclosure officer's role (a CHECK cannot be altered in place; nothing refers to
# users by a foreign key). A release request fixes what goes by the SHA-256 of the bundle
# manifest its preview makes; the officer's approval signs that; originator authorizations
# release named ORCON items, or lift leads-only, for one destination and purpose.
_V12_DISCLOSURE = """
CREATE TABLE users_v12 (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL
                CHECK (role IN ('analyst', 'supervisor', 'admin', 'disclosure_officer')),
    clearance   TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    created     TEXT NOT NULL,
    disabled    INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL DEFAULT 'active'
                CHECK (state IN ('active', 'disabled', 'removed'))
);
INSERT INTO users_v12 (name, role, clearance, public_key, created, disabled, state)
    SELECT name, role, clearance, public_key, created, disabled, state FROM users;
DROP TABLE users;
ALTER TABLE users_v12 RENAME TO users;
CREATE TABLE release_requests (
    id              TEXT PRIMARY KEY,
    requester       TEXT NOT NULL,
    destination     TEXT NOT NULL,
    scope           TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    banner          TEXT NOT NULL,
    items           INTEGER NOT NULL,
    links           INTEGER NOT NULL,
    products        INTEGER NOT NULL,
    left_out        INTEGER NOT NULL,
    created         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'refused', 'exported')),
    officer         TEXT,
    reason          TEXT,
    decided         TEXT,
    approval        TEXT
) WITHOUT ROWID;
CREATE INDEX release_requests_status ON release_requests (status, created);
CREATE TABLE originator_authorizations (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('orcon_release', 'leads_only_lift')),
    originator  TEXT NOT NULL,
    item_id     TEXT,
    case_id     TEXT,
    destination TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    granted_on  TEXT NOT NULL,
    reference   TEXT NOT NULL,
    officer     TEXT NOT NULL,
    recorded    TEXT NOT NULL,
    CHECK ((item_id IS NULL) <> (case_id IS NULL))
) WITHOUT ROWID;
CREATE INDEX originator_authorizations_item ON originator_authorizations (item_id, destination);
CREATE INDEX originator_authorizations_case ON originator_authorizations (case_id, destination);
"""
# issue 14: ingest (hstc_desk/ingest). Each file once in ingest_sources (by its SHA-256); each
# item version an ingest wrote has its row in ingest_provenance; rows that came without a
# marking wait in ingest_quarantine (their cells as JSON), never in items.
_V13_INGEST = """
CREATE TABLE ingest_sources (
    sha256      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    originator  TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    user        TEXT NOT NULL,
    at          TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    admitted    INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    refused     INTEGER NOT NULL,
    PRIMARY KEY (sha256, seq)
) WITHOUT ROWID;
CREATE TABLE ingest_provenance (
    item_id    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    row        INTEGER NOT NULL,
    originator TEXT NOT NULL,
    user       TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (item_id, version)
) WITHOUT ROWID;
CREATE INDEX ingest_provenance_source ON ingest_provenance (sha256, row);
CREATE TABLE ingest_quarantine (
    sha256     TEXT NOT NULL,
    row        INTEGER NOT NULL,
    originator TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    user       TEXT NOT NULL,
    at         TEXT NOT NULL,
    reason     TEXT NOT NULL,
    cells      TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'waiting'
               CHECK (state IN ('waiting', 'admitted', 'discarded')),
    PRIMARY KEY (sha256, row)
) WITHOUT ROWID;
"""

MIGRATIONS: list[str] = [_V1, _V2_BROWSE, _V3_EXCHANGE, _V4_SEARCH_HEAD, _V5_PRODUCTS,
                         _V6_MARKING_SORT, _V_MOVEMENT, _V_CONFLICT_ARRIVALS,
                         _V9_PRODUCT_DRAFTING, _V10_TRUST, _V11_USERS, _V12_DISCLOSURE,
                         _V13_INGEST]
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
            if conn.in_transaction:  # a failed COMMIT (a full disk) has rolled back already
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
