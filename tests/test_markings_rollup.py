"""Roll-up of portions to the banner, DESIGN §3 rules 1-8 (table tests)."""

from __future__ import annotations

import pytest

from hstc_desk.markings import Level, Marking, parse, rollup

# (rule, portions, expected banner)
CASES = [
    ("empty", [], "UNCLASSIFIED"),
    ("single", ["(U)"], "UNCLASSIFIED"),
    # 1. classification: the highest
    ("1", ["(U)", "(C)"], "CONFIDENTIAL"),
    ("1", ["(C)", "(TS)", "(S)"], "TOP SECRET"),
    ("1", ["(S)", "(U)"], "SECRET"),
    # 2. SCI: the union
    ("2", ["(TS//SI)", "(TS//TK)"], "TOP SECRET//SI/TK"),
    ("2", ["(S//HCS)", "(TS//SI)", "(U)"], "TOP SECRET//HCS/SI"),
    # 3. NOFORN anywhere -> banner NOFORN, and no REL TO
    ("3", ["(S//NF)", "(S)"], "SECRET//NOFORN"),
    ("3", ["(S//NF)", "(S//REL TO USA, GBR)"], "SECRET//NOFORN"),
    ("3", ["(C//REL TO USA, GBR)", "(U//NF)"], "CONFIDENTIAL//NOFORN"),
    ("3", ["(U//NF)", "(U)"], "UNCLASSIFIED//NOFORN"),
    # 4. REL TO: intersection, only if every classified portion is REL TO
    ("4", ["(S//REL TO USA, GBR)", "(S//REL TO USA, GBR)"], "SECRET//REL TO USA, GBR"),
    (
        "4",
        ["(S//REL TO USA, AUS, GBR)", "(C//REL TO USA, GBR, NZL)"],
        "SECRET//REL TO USA, GBR",
    ),
    ("4", ["(S//REL TO USA, FVEY)"], "SECRET//REL TO USA, AUS, CAN, GBR, NZL"),
    (
        "4",
        ["(S//REL TO USA, FVEY)", "(S//REL TO USA, ACGU, MEX)"],
        "SECRET//REL TO USA, AUS, CAN, GBR",
    ),
    ("4", ["(S//REL TO USA, GBR)", "(S)"], "SECRET"),
    ("4", ["(S//REL TO USA, GBR)", "(U)"], "SECRET//REL TO USA, GBR"),
    ("4", ["(S//REL TO USA, GBR)", "(U//FOUO)"], "SECRET//REL TO USA, GBR"),
    ("4", ["(S//REL TO USA, AUS, GBR)", "(U//REL TO USA, GBR)"], "SECRET//REL TO USA, GBR"),
    ("4", ["(S)", "(U//REL TO USA, GBR)"], "SECRET"),
    ("4 USA alone", ["(S//REL TO USA, GBR)", "(S//REL TO USA, AUS)"], "SECRET//NOFORN"),
    ("4 USA alone", ["(S//REL TO USA, MEX)", "(C//REL TO USA, FVEY)"], "SECRET//NOFORN"),
    ("4 U doc", ["(U//REL TO USA, GBR)", "(U)"], "UNCLASSIFIED//REL TO USA, GBR"),
    ("4 U doc", ["(U//REL TO USA, GBR)", "(U//REL TO USA, MEX)"], "UNCLASSIFIED//NOFORN"),
    # 5. ORCON, IMCON, PROPIN: any portion
    ("5", ["(S//OC)", "(S)"], "SECRET//ORCON"),
    ("5", ["(C//IMC)", "(S//PR)", "(TS//OC/NF)"], "TOP SECRET//ORCON/IMCON/NOFORN/PROPIN"),
    ("5", ["(U//PR)", "(U)"], "UNCLASSIFIED//PROPIN"),
    ("5", ["(U//PR)", "(S//REL TO USA, GBR)"], "SECRET//PROPIN/REL TO USA, GBR"),
    # 6. RELIDO only if every classified portion carries it
    ("6", ["(S//RELIDO)", "(C//RELIDO)"], "SECRET//RELIDO"),
    ("6", ["(S//RELIDO)", "(C)"], "SECRET"),
    ("6", ["(S//RELIDO)", "(U)"], "SECRET//RELIDO"),
    ("6", ["(S//REL TO USA, GBR/RELIDO)", "(S//NF)"], "SECRET//NOFORN"),
    (
        "6",
        ["(S//REL TO USA, GBR/RELIDO)", "(S//REL TO USA, GBR/RELIDO)"],
        "SECRET//REL TO USA, GBR/RELIDO",
    ),
    ("6 U doc", ["(U//RELIDO)", "(U)"], "UNCLASSIFIED"),
    ("6 U doc", ["(U//RELIDO)", "(U//RELIDO//LES)"], "UNCLASSIFIED//RELIDO//LES"),
    # 7. FOUO: only for an unclassified document without LES
    ("7", ["(U//FOUO)", "(U)"], "UNCLASSIFIED//FOUO"),
    ("7", ["(U//FOUO)", "(C)"], "CONFIDENTIAL"),
    ("7", ["(U//FOUO)", "(U//LES)"], "UNCLASSIFIED//LES"),
    ("7", ["(U//FOUO)", "(U//LES-NF)"], "UNCLASSIFIED//LES-NF"),
    ("7", ["(U//FOUO//LES)"], "UNCLASSIFIED//LES"),
    ("7", ["(U//FOUO/NF)", "(U//FOUO)"], "UNCLASSIFIED//FOUO/NOFORN"),
    # 8. LES rolls up; LES-NF in a classified document -> NOFORN + LES
    ("8", ["(U//LES)", "(U)"], "UNCLASSIFIED//LES"),
    ("8", ["(S//LES)", "(S//SI)"], "SECRET//SI//LES"),
    ("8", ["(U//LES)", "(S//REL TO USA, GBR)"], "SECRET//REL TO USA, GBR//LES"),
    ("8", ["(U//LES-NF)", "(S)"], "SECRET//NOFORN//LES"),
    ("8", ["(U//LES-NF)", "(S//REL TO USA, GBR)"], "SECRET//NOFORN//LES"),
    ("8", ["(S//LES-NF)"], "SECRET//NOFORN//LES"),
    ("8", ["(U//LES-NF)", "(U//LES)"], "UNCLASSIFIED//LES-NF"),
    ("8", ["(U//LES-NF)", "(U//REL TO USA, GBR)"], "UNCLASSIFIED//LES-NF"),
    ("8", ["(U//LES-NF)", "(U//RELIDO)"], "UNCLASSIFIED//LES-NF"),
    # all together
    (
        "all",
        [
            "(TS//HCS/SI//OC/REL TO USA, FVEY)",
            "(S//TK//IMC/REL TO USA, GBR, AUS/RELIDO//LES)",
            "(U//FOUO)",
            "(C//PR/REL TO USA, ACGU/RELIDO)",
        ],
        "TOP SECRET//HCS/SI/TK//ORCON/IMCON/PROPIN/REL TO USA, AUS, GBR//LES",
    ),
]


@pytest.mark.parametrize(("rule", "portions", "banner"), CASES)
def test_rollup(rule: str, portions: list[str], banner: str) -> None:
    ms = [parse(p) for p in portions]
    result = rollup(ms)
    assert result.banner() == banner, rule
    assert rollup(reversed(ms)) == result
    assert rollup(iter(ms)) == result  # any iterable
    assert rollup([result]) == result


def test_empty_is_unclassified() -> None:
    assert rollup([]) == Marking(Level.U)


def test_rel_to_in_banner_is_expanded_trigraphs() -> None:
    banner = rollup([parse("(S//REL TO USA, TEYE)")])
    assert banner.rel_to == ("USA", "AUS", "GBR")
