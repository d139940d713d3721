"""Clearances and dominance."""

from __future__ import annotations

import pytest

from hstc_desk.markings import (
    Clearance,
    Level,
    MarkingError,
    Rule,
    dominates,
    parse,
    parse_clearance,
)


@pytest.mark.parametrize(
    ("text", "level", "sci", "canonical"),
    [
        ("TS//HCS/SI/TK", Level.TS, {"HCS", "SI", "TK"}, "TS//HCS/SI/TK"),
        ("S", Level.S, set(), "S"),
        ("SECRET//SI", Level.S, {"SI"}, "S//SI"),
        ("top secret // tk / si", Level.TS, {"SI", "TK"}, "TS//SI/TK"),
        ("(C)", Level.C, set(), "C"),
        ("UNCLASSIFIED", Level.U, set(), "U"),
    ],
)
def test_parse_clearance(text: str, level: Level, sci: set[str], canonical: str) -> None:
    c = parse_clearance(text)
    assert c == Clearance(level, frozenset(sci))
    assert str(c) == canonical


@pytest.mark.parametrize(
    ("text", "token", "rule"),
    [
        ("", None, Rule.CLEARANCE),
        ("X", "X", Rule.CLEARANCE),
        ("S//NF", "NF", Rule.CLEARANCE),
        ("TS//SI//NF", "TS//SI//NF", Rule.CLEARANCE),
        ("TS//SI/SI", "SI", Rule.DUPLICATE),
        ("U//SI", "SI", Rule.CLASSIFIED_ONLY),
    ],
)
def test_parse_clearance_refused(text: str, token: str | None, rule: Rule) -> None:
    with pytest.raises(MarkingError) as info:
        parse_clearance(text)
    assert info.value.token == token
    assert info.value.rule == rule


@pytest.mark.parametrize(
    ("clearance", "marking", "ok"),
    [
        ("TS//HCS/SI/TK", "(TS//HCS/SI/TK//OC/NF)", True),
        ("TS//SI/TK", "(TS//HCS/SI)", False),
        ("TS", "(S//SI)", False),
        ("TS", "(S//NF//LES)", True),
        ("S//SI", "(TS//SI)", False),
        ("S//SI", "(S//SI)", True),
        ("S//SI", "(C)", True),
        ("S", "(S)", True),
        ("C", "(S)", False),
        ("U", "(U//FOUO)", True),
        ("U", "(C)", False),
    ],
)
def test_dominates(clearance: str, marking: str, ok: bool) -> None:
    assert dominates(parse_clearance(clearance), parse(marking)) is ok
