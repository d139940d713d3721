"""The shipped data files: token registry and destination profiles."""

from __future__ import annotations

import pytest

from hstc_desk.markings import Destination, Level, destination, destinations, registry


def test_registry_orders() -> None:
    reg = registry()
    assert reg.sci == ("HCS", "SI", "TK")
    assert reg.dissem == ("FOUO", "ORCON", "IMCON", "NOFORN", "PROPIN", "REL TO", "RELIDO")
    assert reg.non_ic == ("LES", "LES-NF")
    assert {reg.dissem_short[d] for d in ("NOFORN", "ORCON", "IMCON", "PROPIN")} == {
        "NF",
        "OC",
        "IMC",
        "PR",
    }
    assert [reg.level_long[lv] for lv in Level] == [
        "UNCLASSIFIED",
        "CONFIDENTIAL",
        "SECRET",
        "TOP SECRET",
    ]


def test_registry_countries_and_groups() -> None:
    reg = registry()
    wanted = (
        "MEX GTM HND SLV LBY ITA ERI ETH SOM SDN PAK AFG IND BGD ARE QAT TUR GRC SRB HUN BIH MKD "
        "DOM HTI CUB BHS JAM COL ESP FRA DEU NLD BEL"
    )
    for code in wanted.split(" "):
        assert code in reg.countries
    assert reg.groups["FVEY"] == {"USA", "AUS", "CAN", "GBR", "NZL"}
    assert all(len(c) == 3 and c.isupper() for c in reg.countries)
    assert not set(reg.groups) & set(reg.countries)


def test_destinations() -> None:
    ds = destinations()
    for code in ("USA", "USA-DOJ", "GBR", "CAN", "AUS", "NZL", "FVEY", "EUROPOL", "FRONTEX"):
        assert code in ds
    assert {"INTERPOL", "UNODC"} <= set(ds)
    usa = ds["USA"]
    assert usa.kind == "domestic" and not usa.foreign and usa.max_level == Level.TS
    assert ds["USA-DOJ"].prosecution_use and ds["USA-DOJ"].purpose == "prosecution"
    assert not any(d.prosecution_use for c, d in ds.items() if c != "USA-DOJ")
    assert ds["FVEY"].members == ("AUS", "CAN", "GBR", "NZL", "USA")
    assert ds["GBR"].countries == {"GBR"} and ds["GBR"].max_level == Level.S
    assert len(ds["EUROPOL"].members) == 27
    assert set(ds["EUROPOL"].members) < set(ds["FRONTEX"].members)
    assert {"NOR", "CHE", "ISL", "LIE"} <= set(ds["FRONTEX"].members)
    assert ds["INTERPOL"].max_level == ds["UNODC"].max_level == Level.U
    reg = registry()
    for d in ds.values():
        assert isinstance(d, Destination)
        assert d.countries <= set(reg.countries)


def test_destination_lookup() -> None:
    assert destination("gbr") is destination("GBR")
    with pytest.raises(KeyError, match="known: USA, USA-DOJ, GBR"):
        destination("MARS")
