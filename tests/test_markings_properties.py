"""Hypothesis properties of parsing, roll-up and releasability."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hstc_desk.markings import (
    Level,
    Marking,
    destinations,
    dominates,
    parse,
    parse_clearance,
    releasable,
    rollup,
)

from markings_strategies import marking_lists, valid_markings

DESTINATIONS = list(destinations().values())
PROFILE = settings(max_examples=200, deadline=None)


@PROFILE
@given(valid_markings())
def test_round_trip(m: Marking) -> None:
    assert parse(m.portion()) == m == parse(m.banner())
    assert parse(m.portion().lower()) == m
    assert parse(m.portion()[1:-1]) == m
    assert str(m) == m.portion()


@PROFILE
@given(marking_lists(), st.randoms(use_true_random=False))
def test_rollup_order_independent(ms: list[Marking], rnd: object) -> None:
    shuffled = list(ms)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rollup(shuffled) == rollup(ms)


@PROFILE
@given(marking_lists())
def test_rollup_idempotent(ms: list[Marking]) -> None:
    r = rollup(ms)
    assert rollup([r]) == r
    assert rollup([*ms, r]) == r
    assert rollup(ms + ms) == r


@PROFILE
@given(marking_lists())
def test_rollup_is_valid_and_round_trips(ms: list[Marking]) -> None:
    r = rollup(ms)
    assert parse(r.banner()) == r == parse(r.portion())


@PROFILE
@given(marking_lists(min_size=1))
def test_banner_dominates_each_portion(ms: list[Marking]) -> None:
    r = rollup(ms)
    banner_rel = r.rel_countries()
    for m in ms:
        assert r.level >= m.level
        assert r.sci >= m.sci
        assert r.dissem >= m.dissem & {"ORCON", "IMCON", "PROPIN"}
        if "NOFORN" in m.dissem:
            assert "NOFORN" in r.dissem and r.rel_to is None
        if m.non_ic:
            assert r.non_ic
        if m.noforn:
            assert r.noforn
        if banner_rel is not None:
            if m.level > Level.U:
                assert m.rel_countries() is not None
            portion_rel = m.rel_countries()
            if portion_rel is not None:
                assert banner_rel <= portion_rel
        # a clearance that can see the banner can see every portion
        clearance = parse_clearance(f"{r.level.name}" + ("//" + "/".join(r.sci) if r.sci else ""))
        assert dominates(clearance, m)


@PROFILE
@given(marking_lists(min_size=1))
def test_banner_is_no_more_releasable_than_any_portion(ms: list[Marking]) -> None:
    r = rollup(ms)
    for dest in DESTINATIONS:
        if releasable(r, dest).ok:
            for m in ms:
                assert releasable(m, dest).ok, (m, r, dest.code)


@PROFILE
@given(valid_markings(), st.booleans(), st.booleans())
def test_releasability_never_leaks(m: Marking, originator_release: bool, restricted: bool) -> None:
    for dest in DESTINATIONS:
        d = releasable(m, dest, originator_release=originator_release, use_restricted=restricted)
        if d.ok:
            assert m.level <= dest.max_level
            if dest.foreign:
                assert "NOFORN" not in m.dissem and "LES-NF" not in m.non_ic
                assert originator_release or "ORCON" not in m.dissem
                if m.level > Level.U:
                    assert m.rel_to is not None
            if m.rel_to is not None:
                assert dest.countries <= (m.rel_countries() or frozenset())
            if dest.prosecution_use:
                assert not restricted
                assert originator_release or "ORCON" not in m.dissem
        else:
            assert d.reason


@PROFILE
@given(valid_markings())
def test_domestic_usa_takes_everything(m: Marking) -> None:
    assert releasable(m, DESTINATIONS[0]).ok
    assert DESTINATIONS[0].code == "USA"
