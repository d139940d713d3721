"""Releasability as a property: over random markings and destinations, nothing NOFORN or ORCON
ever reaches a foreign destination, nothing goes above a destination's level, and nothing
use-restricted goes to a prosecution-use destination — in the preview and in the signed bundle."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hstc_desk import markings
from hstc_desk.exchange.reader import verify
from hstc_desk.exchange.selection import plan
from hstc_desk.exchange.trust import Keyring
from hstc_desk.store import Store

from exchange_helpers import build_bytes, location, new_store
from markings_strategies import valid_markings

DESTS = list(markings.destinations())
COUNTER = itertools.count(1)
CHECKED = {"examples": 0, "released": 0, "left_out": 0}


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    tmp = Path(tempfile.mkdtemp(prefix="hstc-rel-"))
    s = new_store(tmp / "s")
    yield s
    s.close()


def _assert_release_ok(marking: markings.Marking, dest: markings.Destination,
                       leads_only: bool) -> None:
    assert marking.level <= dest.max_level
    if dest.foreign:
        assert not marking.noforn and "NOFORN" not in marking.dissem
        assert "ORCON" not in marking.dissem
    if dest.prosecution_use:
        assert not leads_only


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(marks=st.lists(st.tuples(valid_markings(), st.booleans()), min_size=1, max_size=6),
       dest=st.sampled_from(DESTS))
def test_releasability_property(store: Store, marks: list, dest: str) -> None:
    store.conn.execute("DELETE FROM items")  # each example on its own content
    store.conn.execute("DELETE FROM items_fts")
    items = [location(next(COUNTER), m.portion(), leads_only=lo) for m, lo in marks]
    store.insert_items(items)
    p = plan(store, dest)
    d = markings.destination(dest)
    import json

    for body in p.items:
        doc = json.loads(body)
        _assert_release_ok(markings.parse(doc["marking"]), d,
                           doc["use_restriction"] == "leads_only")
    assert len(p.items) + len(p.excluded) == len(items)
    for e in p.excluded:
        assert e.reason and e.category in ("above level", "not releasable", "use restriction")
    data = build_bytes(store, dest)
    v = verify(data, Keyring.of_own(store))
    assert v.ok, v.error
    for rec in v.items:
        _assert_release_ok(markings.parse(rec.marking), d, rec.obj.leads_only)
    if p.items:
        banner = markings.parse(markings.rollup(
            [markings.parse(r.marking) for r in v.items]).portion())
        _assert_release_ok(banner, d, False)
    CHECKED["examples"] += 1
    CHECKED["released"] += len(p.items)
    CHECKED["left_out"] += len(p.excluded)


def test_releasability_property_count() -> None:
    print(f"releasability property: {CHECKED}")


def test_reasons_are_specific(tmp_path: Path) -> None:
    with new_store(tmp_path / "s") as s:
        s.insert_items([location(1, "(TS//NF)"), location(2, "(S//REL TO USA, GBR)"),
                        location(3, "(S//OC/REL TO USA, GBR)"), location(4, "(U)", leads_only=True),
                        location(5, "(C//REL TO USA, ITA)")])
        gbr = {e.id[-1]: e for e in plan(s, "GBR").excluded}
        assert gbr["1"].category == "above level" and "NOFORN" in gbr["1"].reason
        assert gbr["3"].category == "not releasable" and "ORCON" in gbr["3"].reason
        assert "does not include GBR" in gbr["5"].reason
        assert set(gbr) == {"1", "3", "5"}
        doj = {e.id[-1]: e for e in plan(s, "USA-DOJ").excluded}
        assert doj["4"].category == "use restriction"
        assert "1" in doj  # TOP SECRET above the DOJ profile's maximum
