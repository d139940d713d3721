"""Releasability to destination profiles and the use restriction."""

from __future__ import annotations

import pytest

from hstc_desk.markings import Decision, destination, parse, releasable

# destination, marking, expected ok, words the reason must contain ("" when ok)
TABLE = [
    # USA domestic: anything up to TS, NOFORN and ORCON fine
    ("USA", "(TS//HCS/SI/TK//OC/IMC/NF/PR//LES)", True, ""),
    ("USA", "(S)", True, ""),
    ("USA", "(S//REL TO USA, GBR)", True, ""),
    ("USA", "(U//LES-NF)", True, ""),
    # USA-DOJ: domestic, prosecution use, max S
    ("USA-DOJ", "(S//NF//LES)", True, ""),
    ("USA-DOJ", "(TS)", False, "TOP SECRET: above the maximum for USA-DOJ (SECRET)"),
    ("USA-DOJ", "(S//OC)", False, "ORCON: needs the originator's release for USA-DOJ"),
    # GBR
    ("GBR", "(S//REL TO USA, GBR)", True, ""),
    ("GBR", "(S//SI//REL TO USA, FVEY)", True, ""),
    ("GBR", "(C//REL TO USA, ACGU)", True, ""),
    ("GBR", "(U)", True, ""),
    ("GBR", "(U//FOUO)", True, ""),
    ("GBR", "(S//NF)", False, "NOFORN: not releasable to foreign destination GBR"),
    ("GBR", "(U//NF)", False, "NOFORN: not releasable to foreign destination GBR"),
    ("GBR", "(U//LES-NF)", False, "LES-NF: not releasable to foreign destination GBR"),
    ("GBR", "(S//REL TO USA, AUS)", False, "REL TO USA, AUS: does not include GBR (GBR)"),
    ("GBR", "(TS//REL TO USA, GBR)", False, "TOP SECRET: above the maximum for GBR (SECRET)"),
    ("GBR", "(S)", False, "no REL TO: no release decision for foreign destination GBR"),
    ("GBR", "(S//OC/REL TO USA, GBR)", False, "ORCON: needs the originator's release for GBR"),
    ("GBR", "(U//REL TO USA, MEX)", False, "does not include GBR"),
    # CAN, AUS, NZL
    ("CAN", "(S//REL TO USA, FVEY)", True, ""),
    ("CAN", "(S//REL TO USA, TEYE)", False, "REL TO USA, TEYE: does not include CAN (CAN)"),
    ("AUS", "(S//REL TO USA, TEYE)", True, ""),
    ("AUS", "(C//RELIDO)", False, "no REL TO"),
    ("NZL", "(S//REL TO USA, ACGU)", False, "does not include NZL"),
    ("NZL", "(S//REL TO USA, NZL//LES)", True, ""),
    # FVEY organization: every member must be in REL TO
    ("FVEY", "(S//REL TO USA, FVEY)", True, ""),
    ("FVEY", "(S//REL TO USA, AUS, CAN, GBR, NZL)", True, ""),
    ("FVEY", "(S//REL TO USA, GBR)", False, "does not include AUS, CAN, NZL (FVEY)"),
    ("FVEY", "(S//NF)", False, "NOFORN: not releasable to foreign destination FVEY"),
    # EUROPOL / FRONTEX: max C
    ("EUROPOL", "(C//REL TO USA, NATO)", False, "does not include AUT, CYP, IRL, MLT"),
    ("EUROPOL", "(S//REL TO USA, NATO)", False, "SECRET: above the maximum for EUROPOL"),
    ("EUROPOL", "(U//LES)", True, ""),
    ("EUROPOL", "(C)", False, "no REL TO"),
    ("FRONTEX", "(U//PR)", True, ""),
    ("FRONTEX", "(U//REL TO USA, FVEY)", False, "does not include"),
    # INTERPOL / UNODC: U only
    ("INTERPOL", "(U//LES)", True, ""),
    ("INTERPOL", "(C//REL TO USA, NATO)", False, "CONFIDENTIAL: above the maximum for INTERPOL"),
    ("INTERPOL", "(U//NF)", False, "NOFORN"),
    ("UNODC", "(U)", True, ""),
    ("UNODC", "(U//FOUO)", True, ""),
    ("UNODC", "(S//REL TO USA, NATO)", False, "SECRET: above the maximum for UNODC"),
]


@pytest.mark.parametrize(("dest", "marking", "ok", "reason"), TABLE)
def test_releasable(dest: str, marking: str, ok: bool, reason: str) -> None:
    d = releasable(parse(marking), destination(dest))
    assert d.ok is ok
    assert bool(d) is ok
    if ok:
        assert d.reason == ""
    else:
        assert reason in d.reason


def test_several_reasons_are_all_given() -> None:
    d = releasable(parse("(TS//OC/NF)"), destination("GBR"))
    assert d == Decision(
        False,
        "TOP SECRET: above the maximum for GBR (SECRET); "
        "NOFORN: not releasable to foreign destination GBR; "
        "ORCON: needs the originator's release for GBR",
    )


@pytest.mark.parametrize("dest", ["GBR", "FVEY", "USA-DOJ"])
def test_orcon_with_originator_release(dest: str) -> None:
    m = parse("(S//OC/REL TO USA, FVEY)")
    assert not releasable(m, destination(dest)).ok
    assert releasable(m, destination(dest), originator_release=True).ok


def test_orcon_domestic_intelligence_needs_no_release() -> None:
    assert releasable(parse("(TS//SI//OC/NF)"), destination("USA")).ok


def test_use_restricted() -> None:
    m = parse("(S//NF)")
    assert releasable(m, destination("USA"), use_restricted=True).ok
    d = releasable(m, destination("USA-DOJ"), use_restricted=True)
    assert not d.ok
    assert "use restricted" in d.reason and "USA-DOJ" in d.reason
    assert releasable(m, destination("USA-DOJ")).ok
    assert releasable(parse("(S//REL TO USA, GBR)"), destination("GBR"), use_restricted=True).ok
