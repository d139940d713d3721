"""Movement queries against a real demo store: SQL aggregates equal a brute-force count over the
items themselves, clearance hides what it must even from counts, the view's banner is the
roll-up of exactly what it shows, and the plans walk indexes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hstc_desk import markings
from hstc_desk.movement import leg_table, routes
from hstc_desk.movement import query as mq
from hstc_desk.store import TEST_KDF, Store

from conftest import ADMIN, ADMIN_PW, make_store


def _order(g: mq.LegGroup) -> tuple:
    return (g.loc_from or "", g.loc_to or "", g.key or "")


def _ts(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def _facts(store: Store) -> list[dict]:
    """Every movement item, read the slow way: each body parsed in Python (small stores only)."""
    out = []
    for rid, body in store.conn.execute(
            "SELECT rid, body FROM items WHERE kind IN ('event', 'route_leg', 'report')"):
        item = __import__("json").loads(body)
        kind = item["kind"]
        if kind == "event":  # a time known roughly spans its window
            t0, t1 = _ts(item["occurred"]), _ts(item.get("occurred_latest") or item["occurred"])
        elif kind == "route_leg":
            t0, t1 = _ts(item["start"]), _ts(item["end"])
        else:
            t0 = t1 = _ts(item["date_of_information"] + "T00:00:00Z")
        out.append(dict(rid=rid, kind=kind, t0=t0, t1=t1, network=item.get("network_id"),
                        mode=item.get("mode"), case=item.get("case_id"),
                        people=set(item.get("participant_ids", [])),
                        loc_from=item.get("from_location_id", item.get("location_id")),
                        loc_to=item.get("to_location_id"), marking=item["marking"]))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    path = make_store(tmp_path_factory.mktemp("mv") / "store", items=1500, seed=11)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        yield s


@pytest.fixture(scope="module")
def facts(store: Store) -> list[dict]:
    return _facts(store)


def test_the_table_holds_every_movement_item(store: Store, facts: list[dict]) -> None:
    rows = {r[0]: r[1:] for r in store.conn.execute(
        "SELECT rid, kind, t0, t1, network, mode, case_id, marking FROM movement")}
    assert len(rows) == len(facts) > 200
    for f in facts:
        assert rows[f["rid"]] == (f["kind"], f["t0"], f["t1"], f["network"], f["mode"],
                                  f["case"], f["marking"])
    people = Counter(r[0] for r in store.conn.execute("SELECT rid FROM movement_people"))
    assert people == Counter({f["rid"]: len(f["people"]) for f in facts if f["people"]})


def _pick(draw: st.DrawFn, facts: list[dict]) -> mq.MovementFilter:
    lo, hi = min(f["t0"] for f in facts), max(f["t1"] for f in facts)
    a = draw(st.integers(lo - 86400, hi))
    b = draw(st.integers(a, hi + 86400))
    nets = sorted({f["network"] for f in facts if f["network"]})
    cases = sorted({f["case"] for f in facts if f["case"]})
    return mq.MovementFilter(
        t_from=draw(st.one_of(st.none(), st.just(a))),
        t_to=draw(st.one_of(st.none(), st.just(b))),
        kinds=tuple(draw(st.sets(st.sampled_from(mq.KINDS), min_size=1))),
        networks=tuple(draw(st.lists(st.sampled_from(nets), max_size=2, unique=True))),
        cases=tuple(draw(st.lists(st.sampled_from(cases), max_size=2, unique=True))),
        modes=tuple(draw(st.lists(st.sampled_from(["air", "sea", "land", "foot", "river"]),
                                  max_size=2, unique=True))),
    )


_FACTS: dict[str, list[dict]] = {}


def _brute(facts: list[dict], flt: mq.MovementFilter) -> list[dict]:
    out = []
    for f in facts:
        if f["kind"] not in flt.kinds:
            continue
        if flt.t_to is not None and f["t0"] > flt.t_to:
            continue
        if flt.t_from is not None and f["t1"] < flt.t_from:
            continue
        if flt.networks and f["network"] not in flt.networks:
            continue
        if flt.modes and f["mode"] not in flt.modes:
            continue
        if flt.cases and f["case"] not in flt.cases:
            continue
        out.append(f)
    return out


@settings(max_examples=60)
@given(data=st.data())
def test_aggregates_equal_a_brute_force_count(store: Store, data: st.DataObject) -> None:
    facts = _FACTS.setdefault("facts", _facts(store))
    flt = data.draw(st.composite(lambda draw: _pick(draw, facts))())
    want = _brute(facts, flt)
    assert mq.count(store, flt) == len(want)
    # legs grouped by (from, to, network) and by mode
    for by, key in (("network", "network"), ("mode", "mode")):
        groups = Counter((f["loc_from"], f["loc_to"], f[key]) for f in want
                         if f["kind"] == "route_leg")
        got = {(g.loc_from, g.loc_to, g.key): g.count for g in mq.leg_groups(store, flt, by)}
        assert got == dict(groups)
        # the map's table (one query, modes regrouped in memory): the same groups, in order
        table = leg_table.load(store, flt)
        rows = table.mask(flt.modes)
        mem, which = table.groups(by, rows)
        assert mem == mq.leg_groups(store, flt, by, limit=100_000)
        assert (which >= 0).sum() == rows.sum() and (which[~rows] == -1).all()
        # its bit sets give exactly the markings of the legs in view (what the banner rolls up)
        assert table.markings_of(rows) == sorted({f["marking"] for f in want
                                                  if f["kind"] == "route_leg"})
        # the two busiest keep their colour, the rest merge per route: no leg lost
        merged, _ = table.groups(by, rows, keep=table.busiest(by, rows, 2))
        brute = routes.keep_busiest(mem, colours=2)
        assert sorted(merged, key=_order) == sorted(brute, key=_order)
        assert sum(g.count for g in merged) == sum(groups.values())
    # lanes by case and their buckets
    lanes = Counter(f["case"] for f in want)
    assert {ln.key: ln.count for ln in mq.lanes(store, flt, "case", limit=10_000)} == lanes
    if want:
        t0 = min(f["t0"] for f in want)
        t1 = max(f["t0"] for f in want) + 1
        buckets = data.draw(st.integers(1, 50))
        hist = mq.histogram(store, flt, t0, t1, buckets)
        width = (t1 - t0) / buckets
        # the histogram's own window replaces the filter's: items starting inside it
        inside = [f for f in _brute(facts, flt.between(t0, t1)) if f["t0"] >= t0]
        brute = Counter(min(int((f["t0"] - t0) / width), buckets - 1) for f in inside)
        assert hist.tolist() == [brute.get(i, 0) for i in range(buckets)]
        keys = list(lanes)[:5]
        bins = mq.lane_bins(store, flt, "case", t0, t1, buckets, keys)
        for k in keys:
            b = Counter(min(int((f["t0"] - t0) / width), buckets - 1) for f in inside
                        if f["case"] == k)
            assert bins[k].tolist() == [b.get(i, 0) for i in range(buckets)]
    # the banner is the roll-up of exactly the markings in view
    expected = (markings.rollup([markings.parse(f["marking"]) for f in want]).banner()
                if want else "UNCLASSIFIED")
    assert mq.view_banner(store, flt) == expected


def test_person_lanes_and_filter(store: Store, facts: list[dict]) -> None:
    person = Counter(p for f in facts for p in f["people"]).most_common(1)[0][0]
    flt = mq.MovementFilter(persons=(person,))
    want = [f for f in facts if person in f["people"]]
    assert mq.count(store, flt) == len(want) > 0
    got = mq.marks(store, flt, by="person")
    assert got is not None and sorted(m.rid for m in got) == sorted(f["rid"] for f in want)
    assert [m.t0 for m in got] == sorted(m.t0 for m in got)


def test_marks_give_way_to_bins_past_their_limit(store: Store, facts: list[dict]) -> None:
    assert mq.marks(store, mq.MovementFilter(), limit=len(facts) - 1) is None
    every = mq.marks(store, mq.MovementFilter(), limit=len(facts))
    assert every is not None and len(every) == len(facts)


def test_clearance_hides_legs_even_from_counts(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", items=1500, seed=11)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        s.add_user("nosi", "no si clearance here", "analyst", clearance="S", kdf=TEST_KDF)
        si = s.conn.execute("SELECT count(*) FROM movement WHERE sci & 2").fetchone()[0]
        ts = s.conn.execute("SELECT count(*) FROM movement WHERE level = 3").fetchone()[0]
        total = mq.count(s, mq.MovementFilter())
    assert si + ts > 0
    with Store.open(path, "nosi", "no si clearance here") as low:
        flt = mq.MovementFilter()
        seen = mq.count(low, flt)
        assert seen < total
        marks = mq.marks(low, flt, limit=100_000)
        assert marks is not None and len(marks) == seen
        assert all("SI" not in markings.parse(m.marking).sci for m in marks)
        assert all(markings.parse(m.marking).level <= markings.Level.S for m in marks)
        groups = mq.leg_groups(low, flt)
        assert sum(g.count for g in groups) == mq.count(
            low, mq.MovementFilter(kinds=("route_leg",)))
        assert sum(ln.count for ln in mq.lanes(low, flt, "network", limit=10_000)) == seen
        banner = markings.parse(mq.view_banner(low, flt))
        assert "SI" not in banner.sci and banner.level <= markings.Level.S
        # the map's table never holds an SI or TS leg, not even in a count
        table = leg_table.load(low, flt)
        assert table.legs == sum(g.count for g in groups)
        assert all("SI" not in markings.parse(m).sci
                   and markings.parse(m).level <= markings.Level.S for m in table.markings)


def test_view_as_a_partner_shows_only_what_it_may_receive(store: Store) -> None:
    flt = mq.MovementFilter(destination="EUROPOL")
    dest = markings.destination("EUROPOL")
    shown = mq.marks(store, flt, limit=100_000)
    assert shown is not None and 0 < len(shown) < mq.count(store, mq.MovementFilter())
    assert all(markings.releasable(markings.parse(m.marking), dest) for m in shown)
    assert "NOFORN" not in mq.view_banner(store, flt)


def test_triggers_follow_edits_and_deletes(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", items=300, seed=3)
    with Store.open(path, ADMIN, ADMIN_PW) as s:
        rid, item_id = s.conn.execute(
            "SELECT rid, id FROM items WHERE kind = 'event' LIMIT 1").fetchone()
        event = s.get_item(item_id)
        moved = event.model_copy(update={
            "occurred": datetime(2001, 2, 3, 4, 5, 6, tzinfo=event.occurred.tzinfo),
            "version": event.version + 1})
        s.save_item(moved, expected_version=event.version)
        assert s.conn.execute("SELECT t0 FROM movement WHERE rid = ?", (rid,)).fetchone()[0] \
            == _ts("2001-02-03T04:05:06Z")
        with s.transaction() as conn:
            conn.execute("DELETE FROM items WHERE rid = ?", (rid,))
        assert s.conn.execute("SELECT count(*) FROM movement WHERE rid = ?",
                              (rid,)).fetchone()[0] == 0
        assert s.conn.execute("SELECT count(*) FROM movement_people WHERE rid = ?",
                              (rid,)).fetchone()[0] == 0


def test_plans_walk_indexes(store: Store) -> None:
    """Time windows walk the table's own time order; networks, cases and legs their indexes;
    nothing scans items."""
    def plan(flt: mq.MovementFilter, sql: str) -> str:
        w, args = mq.where(store, flt)
        rows = store.conn.execute(f"EXPLAIN QUERY PLAN {sql.format(w=w)}", args).fetchall()
        return " | ".join(r[-1] for r in rows)

    window = mq.MovementFilter(t_from=1_600_000_000, t_to=1_610_000_000)
    p = plan(window, "SELECT count(*) FROM movement m WHERE {w}")
    print(p)
    assert "SEARCH m USING PRIMARY KEY (t0>? AND t0<?)" in p
    p = plan(mq.MovementFilter(networks=("ORG-0000000000000000",)),
             "SELECT count(*) FROM movement m WHERE {w}")
    print(p)
    assert "movement_network (network=?)" in p
    p = plan(mq.MovementFilter(cases=("CAS-0000000000000000",)),
             "SELECT count(*) FROM movement m WHERE {w}")
    print(p)
    assert "movement_case (case_id=?)" in p
    p = plan(mq.MovementFilter(kinds=("route_leg",)),
             "SELECT m.loc_from, m.loc_to, m.network, count(*) FROM movement m "
             "WHERE m.kind = 'route_leg' AND {w} GROUP BY m.loc_from, m.loc_to, m.network")
    print(p)
    assert "movement_legs" in p and "TEMP B-TREE" not in p
    assert "SCAN items" not in p
    p = " | ".join(r[-1] for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT sum(n) FROM movement_bins WHERE lane_by = 'all' AND "
        "((width = 86400 AND bucket BETWEEN 1 AND 5) OR (width = 604800 AND bucket BETWEEN 1 "
        "AND 5))"))
    print(p)
    assert "SCAN movement_bins" not in p


def test_places_of_leg_ends_under_clearance(store: Store) -> None:
    groups = mq.leg_groups(store, mq.MovementFilter())
    ends = {g.loc_from for g in groups} | {g.loc_to for g in groups}
    found = mq.places(store, sorted(ends))
    assert found and set(found) <= ends
    for p in found.values():
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180 and len(p.country) == 3
        assert markings.parse(p.marking)


def test_view_as_hides_places_the_partner_may_not_receive(store: Store) -> None:
    groups = mq.leg_groups(store, mq.MovementFilter())
    ends = sorted({g.loc_from for g in groups} | {g.loc_to for g in groups})
    every = mq.places(store, ends)
    europol = mq.places(store, ends, destination="EUROPOL")
    dest = markings.destination("EUROPOL")
    assert set(europol) <= set(every)
    assert all(markings.releasable(markings.parse(p.marking), dest) for p in europol.values())
    assert {k for k, p in every.items()
            if markings.releasable(markings.parse(p.marking), dest)} == set(europol)
