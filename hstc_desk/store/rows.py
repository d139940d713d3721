"""Turn domain objects into table rows: the marking columns that filters and clearance use."""

from __future__ import annotations

from functools import lru_cache

from hstc_desk import markings
from hstc_desk.domain import Item, Link, item_to_json, link_to_json

SCI_BITS = {"HCS": 1, "SI": 2, "TK": 4}
CONTROL_BITS = {
    "FOUO": 1, "OC": 2, "IMC": 4, "NF": 8, "PR": 16, "REL": 32, "RELIDO": 64, "LES": 128,
    "LES-NF": 256,
}


@lru_cache(maxsize=4096)
def parse_marking(text: str) -> markings.Marking:
    """Parse with a cache: a store holds few distinct markings and many items."""
    return markings.parse(text)


def sci_bits(sci: frozenset[str]) -> int:
    return sum(SCI_BITS.get(s, 0) for s in sci)


@lru_cache(maxsize=4096)
def marking_columns(text: str) -> tuple[str, int, int, int]:
    """(canonical portion, level, sci bits, control bits) for a marking string."""
    m = parse_marking(text)
    controls = sum(CONTROL_BITS.get(t, 0) for t in m.tokens())
    return m.portion(), int(m.level), sci_bits(m.sci), controls


def item_row(rid: int, item: Item) -> tuple:
    portion, level, sci, controls = marking_columns(item.marking)
    return (
        rid, item.id, item.kind, item.version, item.title, portion, level, sci, controls,
        item.originator, int(item.use_restriction != "none"),
        item.primary_date().date().isoformat(), item.case_id, item.updated.isoformat(),
        item_to_json(item),
    )


ITEM_COLUMNS = ("rid, id, kind, version, title, marking, level, sci, controls, originator, "
                "restricted, day, case_id, updated, body")
ITEM_INSERT = f"INSERT INTO items ({ITEM_COLUMNS}) VALUES ({', '.join('?' * 15)})"
FTS_INSERT = "INSERT INTO items_fts (rowid, title, body) VALUES (?, ?, ?)"


def link_row(rid: int, link: Link) -> tuple:
    portion, level, sci, _ = marking_columns(link.marking)
    return (rid, link.id, link.src, link.dst, link.link_type, link.version, portion, level, sci,
            link_to_json(link))


LINK_INSERT = ("INSERT INTO links (rid, id, src, dst, link_type, version, marking, level, sci, "
               "body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
