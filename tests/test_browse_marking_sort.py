"""The Marking column sorts by classification level, then SCI and controls, in SQL along an index
(issue 9 item 10: it sorted alphabetically, C, S, TS, U)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hstc_desk.store import Store, browse
from hstc_desk.store.browse import PAGE, BrowseFilter, Sort

from conftest import ANALYST, ANALYST_PW


@pytest.fixture(scope="module")
def store(demo_template: Path) -> Store:
    s = Store.open(demo_template, ANALYST, ANALYST_PW)
    yield s
    s.close()


def _all(store: Store, flt: BrowseFilter, sort: Sort) -> list[browse.Row]:
    rows: list[browse.Row] = []
    after = None
    while True:
        page = browse.page(store, flt, sort, after=after)
        rows += page
        if len(page) < PAGE:
            return rows
        after = page[-1].key


def _sci_controls(store: Store, rows: list[browse.Row]) -> list[tuple[int, int, int]]:
    got = dict((rid, (lv, sci, ctl)) for rid, lv, sci, ctl in store.conn.execute(
        "SELECT rid, level, sci, controls FROM items"))
    return [got[r.rid] for r in rows]


@pytest.mark.parametrize("descending", [False, True])
def test_marking_sorts_by_level_then_controls(store: Store, descending: bool) -> None:
    rows = _all(store, BrowseFilter(), Sort("marking", descending))
    assert len(rows) == browse.count(store, BrowseFilter())
    levels = [r.level for r in rows]
    assert levels == sorted(levels, reverse=descending)
    assert {levels[0], levels[-1]} == {0, 3}  # UNCLASSIFIED at one end, TOP SECRET at the other
    first = [r.marking[:3] for r in (rows if not descending else rows[::-1])]
    assert first[0].startswith("(U") and first[-1] == "(TS"
    keys = _sci_controls(store, rows)
    assert keys == sorted(keys, reverse=descending)  # within a level: SCI, then controls
    # one marking's items sit together
    seen: list[str] = []
    for r in rows:
        if not seen or seen[-1] != r.marking:
            seen.append(r.marking)
    assert len(seen) == len(set(seen))


def test_marking_sort_walks_an_index_and_jumps(store: Store) -> None:
    sort = Sort("marking", False)
    keys = browse.SORT_KEYS["marking"]
    plan = " ".join(str(r[-1]) for r in store.conn.execute(
        f"EXPLAIN QUERY PLAN SELECT rid FROM items ORDER BY {', '.join(keys)} LIMIT 10"))
    assert "items_level_sort" in plan and "TEMP B-TREE" not in plan
    rows = _all(store, BrowseFilter(), sort)
    target = rows[len(rows) * 2 // 3]
    assert browse.position(store, BrowseFilter(), sort, target.id) == len(rows) * 2 // 3
    w = browse.Window(store, sort=sort, max_blocks=2)
    w.reset()
    assert w.row(len(rows) - 5).rid == rows[-5].rid
