"""Search: pages equal the bare FTS5 query; head lists never answer stale; clearance holds."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from hstc_desk.store import TEST_KDF, SearchCursor, Store, search_head
from hstc_desk.store.search import fts_query

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW

RAW = ("SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY bm25(items_fts), rowid "
       "LIMIT ?")


def _raw(store: Store, text: str, n: int) -> list[int]:
    conn = sqlcipher3.connect(str(store.path / "store.db"))
    conn.execute(f"PRAGMA key = \"x'{store._keys.db_key.hex()}'\"")
    try:
        return [r[0] for r in conn.execute(RAW, (fts_query(text), n))]
    finally:
        conn.close()


def _pages(store: Store, text: str, pages: int, size: int = 50) -> list[int]:
    got: list[int] = []
    after = None
    for _ in range(pages):
        page = store.search(text, limit=size, after=after)
        got += [h.rid for h in page]
        if len(page) < size:
            break
        after = SearchCursor(page[-1].rank, page[-1].rid)
    return got


def _head_terms(store: Store) -> list[str]:
    return [t for (t,) in store.conn.execute("SELECT DISTINCT term FROM search_head")]


def test_pages_equal_the_bare_query(demo_copy: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_head, "MIN_DOCS", 100)
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        s.optimize()
        heads = _head_terms(s)
        assert heads, "a 3,000-item store has head terms at this threshold"
        for text in [heads[0], heads[-1], "smuggling network", "safe house", "tapachula"]:
            assert _pages(s, text, 8) == _raw(s, text, 400), text


def test_head_lists_go_stale_on_any_change(demo_copy: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_head, "MIN_DOCS", 100)
    with Store.open(demo_copy, ADMIN, ADMIN_PW) as s:
        s.optimize()
        term = _head_terms(s)[0]
        assert search_head.fresh(s.conn)
        assert search_head.lookup(s.conn, term, 50, None) is not None
        item = s.get_item(s.conn.execute("SELECT id FROM items LIMIT 1").fetchone()[0])
        s.save_item(item.model_copy(update={"title": f"{term} {term} {term}",
                                            "version": item.version + 1}))
        assert not search_head.fresh(s.conn)
        assert search_head.lookup(s.conn, term, 50, None) is None
        # The edited item, now dense in the word, ranks first: the stale list did not answer.
        assert s.search(term, limit=1)[0].id == item.id
        assert _pages(s, term, 3) == _raw(s, term, 150)


def test_search_hides_what_the_clearance_does_not_dominate(tmp_path: Path) -> None:
    from hstc_desk.demo import generate

    path = tmp_path / "s"
    with Store.create(path, ADMIN, ADMIN_PW, kdf=TEST_KDF) as s:
        s.add_user(ANALYST, ANALYST_PW, "analyst", clearance="S", kdf=TEST_KDF)
        s.insert_items(generate(2000, 3))
        s.optimize()
        everything = _pages(s, "smuggling", 40)
    with Store.open(path, ANALYST, ANALYST_PW) as s:
        seen = _pages(s, "smuggling", 40)
        levels = {r[0] for r in s.conn.execute(
            f"SELECT DISTINCT level FROM items WHERE rid IN ({','.join(map(str, seen))})")}
        sci = s.conn.execute(
            f"SELECT max(sci) FROM items WHERE rid IN ({','.join(map(str, seen))})").fetchone()
        assert levels <= {0, 1, 2} and sci == (0,)
        hidden = set(everything) - set(seen)
        assert hidden, "the demo world holds TS and SCI items"
        assert set(seen) <= set(everything)
        for rid in list(hidden)[:20]:
            item_id = s.conn.execute("SELECT id FROM items WHERE rid = ?", (rid,)).fetchone()[0]
            try:
                s.get_item(item_id)
            except Exception as exc:
                assert "no item" in str(exc)
            else:
                raise AssertionError(f"{item_id} is above the clearance but was shown")


def test_query_text_is_never_fts_syntax(demo_copy: Path) -> None:
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as s:
        for text in ['"', "AND OR NOT", "a*", "col:word", "NEAR(a b)", "(((", "^x", ""]:
            s.search(text)  # no syntax error escapes
        assert fts_query('x" OR "y') == '"x" "OR" "y"'
