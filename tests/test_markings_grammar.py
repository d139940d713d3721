"""Parsing and canonical forms (DESIGN §3 grammar)."""

from __future__ import annotations

import pytest

from hstc_desk.markings import Level, Marking, is_valid, parse
from hstc_desk.markings.registry import level_word

# input, canonical portion, canonical banner
CASES = [
    ("(U)", "(U)", "UNCLASSIFIED"),
    ("U", "(U)", "UNCLASSIFIED"),
    ("UNCLASSIFIED", "(U)", "UNCLASSIFIED"),
    ("(C)", "(C)", "CONFIDENTIAL"),
    ("CONFIDENTIAL", "(C)", "CONFIDENTIAL"),
    ("(S)", "(S)", "SECRET"),
    ("TOP SECRET", "(TS)", "TOP SECRET"),
    ("(TS)", "(TS)", "TOP SECRET"),
    ("(S//SI//NF)", "(S//SI//NF)", "SECRET//SI//NOFORN"),
    ("SECRET//SI//NOFORN", "(S//SI//NF)", "SECRET//SI//NOFORN"),
    ("(S//REL TO USA, GBR)", "(S//REL TO USA, GBR)", "SECRET//REL TO USA, GBR"),
    ("(U//FOUO)", "(U//FOUO)", "UNCLASSIFIED//FOUO"),
    ("(TS//HCS/SI//OC/NF)", "(TS//HCS/SI//OC/NF)", "TOP SECRET//HCS/SI//ORCON/NOFORN"),
    ("TOP SECRET//HCS/SI//ORCON/NOFORN", "(TS//HCS/SI//OC/NF)", "TOP SECRET//HCS/SI//ORCON/NOFORN"),
    (
        "SECRET//REL TO USA, AUS, GBR//LES",
        "(S//REL TO USA, AUS, GBR//LES)",
        "SECRET//REL TO USA, AUS, GBR//LES",
    ),
    ("(S//REL TO USA, AUS, GBR//LES)", "(S//REL TO USA, AUS, GBR//LES)", None),
    # every dissemination control, short and long, in registry order
    ("(S//OC/IMC/PR/RELIDO)", "(S//OC/IMC/PR/RELIDO)", "SECRET//ORCON/IMCON/PROPIN/RELIDO"),
    ("SECRET//ORCON/IMCON/PROPIN/RELIDO", "(S//OC/IMC/PR/RELIDO)", None),
    ("(S//OC/REL TO USA, CAN/RELIDO)", "(S//OC/REL TO USA, CAN/RELIDO)", None),
    ("(C//IMC/NF//LES)", "(C//IMC/NF//LES)", "CONFIDENTIAL//IMCON/NOFORN//LES"),
    ("(TS//HCS/SI/TK)", "(TS//HCS/SI/TK)", "TOP SECRET//HCS/SI/TK"),
    ("(U//LES)", "(U//LES)", "UNCLASSIFIED//LES"),
    ("(U//LES-NF)", "(U//LES-NF)", "UNCLASSIFIED//LES-NF"),
    ("(U//FOUO//LES)", "(U//FOUO//LES)", "UNCLASSIFIED//FOUO//LES"),
    ("(U//PR)", "(U//PR)", "UNCLASSIFIED//PROPIN"),
    ("(U//NF)", "(U//NF)", "UNCLASSIFIED//NOFORN"),
    ("(U//REL TO USA, MEX)", "(U//REL TO USA, MEX)", "UNCLASSIFIED//REL TO USA, MEX"),
    ("(S//NF//LES-NF)", "(S//NF//LES-NF)", "SECRET//NOFORN//LES-NF"),
    # group codes stay as written, after the trigraphs
    ("(S//REL TO USA, FVEY)", "(S//REL TO USA, FVEY)", "SECRET//REL TO USA, FVEY"),
    ("(S//REL TO USA, NATO, FVEY, MEX)", "(S//REL TO USA, MEX, FVEY, NATO)", None),
    # mixed short/long forms, either accepted
    ("SECRET//SI//NF", "(S//SI//NF)", None),
    ("(S//SI//NOFORN)", "(S//SI//NF)", None),
    ("(TOP SECRET//SI)", "(TS//SI)", None),
    # case and whitespace tolerance
    ("s//si//nf", "(S//SI//NF)", None),
    ("  ( S // SI // NF )  ", "(S//SI//NF)", None),
    ("top  secret // hcs / si", "(TS//HCS/SI)", None),
    ("(S//REL TO USA,GBR)", "(S//REL TO USA, GBR)", None),
    ("(S//REL  TO  USA ,  GBR)", "(S//REL TO USA, GBR)", None),
    ("(s//rel to usa, gbr//les)", "(S//REL TO USA, GBR//LES)", None),
    # order inside a category and of categories is unambiguous: accepted, canonicalised
    ("(TS//SI/HCS)", "(TS//HCS/SI)", None),
    ("(TS//TK/SI/HCS)", "(TS//HCS/SI/TK)", None),
    ("(S//NF/OC)", "(S//OC/NF)", None),
    ("(S//RELIDO/REL TO USA, GBR/PR)", "(S//PR/REL TO USA, GBR/RELIDO)", None),
    ("(S//NF//SI)", "(S//SI//NF)", None),
    ("(S//LES//NF//SI)", "(S//SI//NF//LES)", None),
    ("(S//REL TO USA, GBR, AUS)", "(S//REL TO USA, AUS, GBR)", None),
]


@pytest.mark.parametrize(("text", "portion", "banner"), CASES)
def test_parse_canonical(text: str, portion: str, banner: str | None) -> None:
    m = parse(text)
    assert m.portion() == portion
    assert str(m) == portion
    if banner is not None:
        assert m.banner() == banner
    assert parse(m.portion()) == m == parse(m.banner())


def test_fields() -> None:
    m = parse("(TS//HCS/SI//OC/IMC/NF//LES)")
    assert m == Marking(
        Level.TS,
        frozenset({"HCS", "SI"}),
        frozenset({"ORCON", "IMCON", "NOFORN"}),
        None,
        frozenset({"LES"}),
    )
    r = parse("(S//REL TO USA, GBR, FVEY//LES)")
    assert r.rel_to == ("USA", "GBR", "FVEY")
    assert r.dissem == frozenset()
    assert r.rel_countries() == frozenset({"USA", "AUS", "CAN", "GBR", "NZL"})
    assert parse("(S//NF)").rel_countries() is None


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("(U)", set()),
        ("(TS//HCS/SI/TK//OC/IMC/NF/PR//LES)", {"HCS", "SI", "TK", "OC", "IMC", "NF", "PR", "LES"}),
        ("(S//REL TO USA, GBR/RELIDO)", {"REL", "RELIDO"}),
        ("(U//FOUO//LES-NF)", {"FOUO", "LES-NF"}),
    ],
)
def test_tokens(text: str, tokens: set[str]) -> None:
    assert parse(text).tokens() == tokens


def test_constructor_canonicalises() -> None:
    m = Marking(Level.S, dissem=frozenset({"NF", "OC"}))
    assert m.dissem == {"NOFORN", "ORCON"}
    assert Marking(Level.S, rel_to=("USA", "NZL", "FVEY", "AUS")).rel_to == (
        "USA",
        "AUS",
        "NZL",
        "FVEY",
    )
    assert Marking(2) == Marking(Level.S)  # type: ignore[arg-type]
    assert isinstance(Marking(2).level, Level)  # type: ignore[arg-type]


def test_level_words() -> None:
    assert [level_word(lv) for lv in Level] == ["UNCLASSIFIED", "CONFIDENTIAL", "SECRET",
                                                 "TOP SECRET"]
    assert Level.U < Level.C < Level.S < Level.TS


def test_is_valid() -> None:
    assert is_valid("(S//SI//NF)")
    assert not is_valid("(S//FOUO)")
    assert not is_valid("(X)")


def test_non_string_is_type_error() -> None:
    with pytest.raises(TypeError):
        parse(None)  # type: ignore[arg-type]
