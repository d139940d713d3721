"""Browse queries (no Qt): paging, sorting, filtering, jumping, search, clearance."""

from __future__ import annotations

from pathlib import Path

import pytest

from hstc_desk.store import TEST_KDF, Store, browse
from hstc_desk.store.browse import PAGE, BrowseFilter, Sort, Window

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW


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


@pytest.mark.parametrize("column", browse.SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_cover_every_row_once_in_order(store: Store, column: str,
                                                    descending: bool) -> None:
    sort = Sort(column, descending)
    rows = _all(store, BrowseFilter(), sort)
    assert len(rows) == browse.count(store, BrowseFilter()) == len({r.rid for r in rows})
    keys = [tuple("" if v is None else (v.lower() if isinstance(v, str) and column == "title"
                                          else v) for v in r.key) for r in rows]
    assert keys == sorted(keys, reverse=descending)


def test_window_jump_matches_sequential_rows(store: Store) -> None:
    sort = Sort("title", False)
    rows = _all(store, BrowseFilter(), sort)
    w = Window(store, sort=sort, max_blocks=3)
    w.reset()
    for index in (len(rows) - 1, 1234, 5, PAGE * 2 + 7, 2999 if len(rows) > 2999 else 0):
        assert w.row(index).rid == rows[index].rid
    assert w.blocks_cached <= 3  # bounded: never every row
    assert w.row(len(rows)) is None


def test_filters_are_sql_and_agree_with_row_data(store: Store) -> None:
    flt = BrowseFilter(kinds=("person",), levels=(2,), controls=("NF",))
    rows = _all(store, flt, Sort())
    assert rows and all(r.kind == "person" and r.level == 2 and "NF" in r.marking for r in rows)
    day = rows[len(rows) // 2].day
    dated = _all(store, BrowseFilter(day_from=day, day_to=day), Sort())
    assert dated and {r.day for r in dated} == {day}
    case = browse.cases_page(store, limit=1)[0]
    in_case = _all(store, BrowseFilter(case_id=case.id), Sort("kind"))
    assert in_case and all(r.case_id == case.id for r in in_case)
    assert sum(n for _, n in browse.case_kinds(store, case.id)) == len(in_case)
    origin = rows[0].originator
    assert all(r.originator == origin for r in _all(store, BrowseFilter(originator=origin), Sort()))
    with pytest.raises(ValueError, match="unknown control"):
        browse.count(store, BrowseFilter(controls=("BOGUS",)))


def test_search_pages_ranked_and_newest(store: Store) -> None:
    title = browse.page(store, BrowseFilter(), Sort(), limit=1)[0].title
    word = max(title.split(","), key=len).split()[0]
    first = browse.search_page(store, BrowseFilter(text=word), limit=10)
    assert first
    more = browse.search_page(store, BrowseFilter(text=word), limit=10,
                              after=first[-1].key)
    assert not {h.rid for h in first} & {h.rid for h in more}
    newest = browse.search_page(store, BrowseFilter(text=word[:3]), ranked=False, limit=20)
    assert [h.rid for h in newest] == sorted((h.rid for h in newest), reverse=True)
    narrowed = browse.search_page(store, BrowseFilter(text=word, kinds=("person",)))
    assert all(h.kind == "person" for h in narrowed)
    assert browse.search_page(store, BrowseFilter(text="   ")) == []


def test_lower_clearance_never_sees_above_it(demo_copy: Path) -> None:
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as admin:
        admin.add_user("low", "low clearance pw", "analyst", clearance="S", kdf=TEST_KDF)
        everything = browse.count(admin, BrowseFilter())
    with Store.open(demo_copy, "low", "low clearance pw") as low:
        seen = _all(low, BrowseFilter(), Sort("marking"))
        assert 0 < len(seen) == browse.count(low, BrowseFilter()) < everything
        assert all(r.level <= 2 for r in seen)
        hits = browse.search_page(low, BrowseFilter(text="passport"), limit=500)
        assert all(h.level <= 2 for h in hits)
        assert all(c.marking[:3] != "(TS" for c in browse.cases_page(low, limit=500))


def test_audit_pages_newest_first(store: Store) -> None:
    first = browse.audit_page(store, limit=2)
    assert len(first) == 2 and first[0].seq > first[1].seq
    assert browse.audit_page(store, before=first[-1].seq, limit=1)[0].seq < first[-1].seq
    assert browse.originators(store)


@pytest.mark.parametrize("column", browse.SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_position_is_the_index_in_the_list(store: Store, column: str, descending: bool) -> None:
    """Counted in SQL, the position of an item equals where the pages put it."""
    for flt in (BrowseFilter(), BrowseFilter(kinds=("person", "event"))):
        sort = Sort(column, descending)
        rows = _all(store, flt, sort)
        for i in (0, 1, len(rows) // 3, len(rows) // 2, len(rows) - 1):
            assert browse.position(store, flt, sort, rows[i].id) == i
    hidden = store.conn.execute("SELECT id FROM items WHERE kind = 'case' LIMIT 1").fetchone()[0]
    assert browse.position(store, BrowseFilter(kinds=("person",)), Sort(), hidden) is None
