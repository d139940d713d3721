"""The restrictiveness order (markings.dominance): a partial order, never a count of controls,
whose least upper bound is the roll-up, and under which releasability only shrinks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from hstc_desk.markings import Marking, at_least, destinations, lowers, parse, releasable, rollup

from markings_strategies import valid_markings

DESTINATIONS = list(destinations().values())
PAIRS = 2000


@pytest.mark.parametrize(("high", "low"), [
    ("(S//NF//LES)", "(S//REL TO USA, GBR//LES)"),  # issue 8: one control each, NOFORN higher
    ("(S//NF)", "(S//REL TO USA, FVEY)"),
    ("(S//REL TO USA, GBR)", "(S//REL TO USA, GBR, FRA)"),  # a shorter list restricts more
    ("(S//REL TO USA, GBR)", "(S//REL TO USA, FVEY)"),  # groups expanded: GBR is in FVEY
    ("(S)", "(S//REL TO USA, FVEY)"),  # classified with no REL TO: no release decision
    ("(S//NF)", "(S)"),
    ("(S//OC/NF)", "(S//NF)"),
    ("(S//IMC/REL TO USA, GBR)", "(S//REL TO USA, GBR)"),
    ("(U//PR)", "(U)"),
    ("(S//REL TO USA, GBR)", "(S//REL TO USA, GBR/RELIDO)"),  # RELIDO loosens
    ("(U//LES)", "(U//FOUO)"),
    ("(U//LES-NF)", "(U//LES)"),
    ("(S//NF//LES)", "(S//LES-NF)"),  # the same, written as a banner would
    ("(TS//SI)", "(S//SI//REL TO USA, GBR)"),
    ("(U//REL TO USA, GBR)", "(U)"),
])
def test_examples_in_order(high: str, low: str) -> None:
    h, lo = parse(high), parse(low)
    assert at_least(h, lo) and not lowers(lo, h)
    assert at_least(h, h) and at_least(lo, lo)
    if rollup([h]) != rollup([lo]):
        assert not at_least(lo, h) and lowers(h, lo)


@pytest.mark.parametrize(("a", "b", "top"), [
    ("(S//REL TO USA, GBR)", "(S//REL TO USA, FRA)", "(S//NF)"),
    ("(TS//SI)", "(S//HCS)", "(TS//HCS/SI)"),
    ("(S//OC/REL TO USA, GBR)", "(S//NF)", "(S//OC/NF)"),
    ("(U//LES)", "(U//NF)", "(U//NF//LES)"),
])
def test_incomparable_pairs_meet_only_at_the_rollup(a: str, b: str, top: str) -> None:
    ma, mb = parse(a), parse(b)
    assert not at_least(ma, mb) and not at_least(mb, ma)
    assert rollup([ma, mb]) == parse(top)
    assert at_least(parse(top), ma) and at_least(parse(top), mb)


def test_a_count_of_controls_is_not_the_order() -> None:
    # The old merge ranked by level, then the number of SCI and control bits: these tie.
    nf, rel = parse("(S//NF//LES)"), parse("(S//REL TO USA, GBR//LES)")
    assert len(nf.tokens()) == len(rel.tokens())
    assert at_least(nf, rel) and not at_least(rel, nf)


def test_order_is_the_one_whose_join_is_the_rollup() -> None:
    seen: list[tuple[Marking, Marking]] = []

    @settings(max_examples=PAIRS, deadline=None, database=None)
    @given(valid_markings(), valid_markings())
    def check(a: Marking, b: Marking) -> None:
        seen.append((a, b))
        assert at_least(a, b) == (rollup([a, b]) == rollup([a]))
        top = rollup([a, b])
        assert at_least(top, a) and at_least(top, b)
        if at_least(a, b) and at_least(b, a):
            assert rollup([a]) == rollup([b])  # antisymmetric, up to how it is written
        if at_least(a, b):
            # Never releasable anywhere the lower one is not.
            for d in DESTINATIONS:
                for restricted in (False, True):
                    assert not releasable(a, d, use_restricted=restricted) or releasable(
                        b, d, use_restricted=restricted), (a, b, d.code)

    check()
    comparable = sum(at_least(a, b) or at_least(b, a) for a, b in seen)
    print(f"dominance: {len(seen)} random pairs checked against the roll-up "
          f"({comparable} comparable, {len(seen) - comparable} incomparable)")
    assert len(seen) >= PAIRS


@settings(max_examples=500, deadline=None)
@given(valid_markings(), valid_markings(), valid_markings())
def test_transitive_and_the_rollup_bounds_every_part(a: Marking, b: Marking, c: Marking) -> None:
    if at_least(a, b) and at_least(b, c):
        assert at_least(a, c)
    top = rollup([a, b, c])
    assert at_least(top, a) and at_least(top, b) and at_least(top, c)
    assert at_least(rollup([rollup([a, b]), c]), top)


def test_a_rollup_of_rollups_can_say_more_than_the_rollup_of_all() -> None:
    """Why the merge rolls up markings as they arrived (exchange.merge, conflict_arrivals)."""
    aus, can, c = parse("(U//REL TO USA, AUS)"), parse("(U//REL TO USA, CAN)"), parse("(C)")
    assert rollup([aus, can]) == parse("(U//NF)")
    assert rollup([rollup([aus, can]), c]) == parse("(C//NF)")
    assert rollup([aus, can, c]) == parse("(C)")
    assert at_least(c, aus) and at_least(c, can) and not at_least(c, rollup([aus, can]))
