"""Each item's local time, from the system's time-zone database (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hstc_desk.movement import local_time as lt

pytestmark = pytest.mark.skipif(not lt.zones(), reason="no zone1970.tab on this machine")


def test_places_take_the_zone_of_the_nearest_zone_city() -> None:
    assert lt.zone_at(41.9, 12.5) == "Europe/Rome"
    assert lt.zone_at(40.4, -3.7) == "Europe/Madrid"
    assert lt.zone_at(-33.9, 151.2) == "Australia/Sydney"
    assert lt.zone_at(19.43, -99.13) == "America/Mexico_City"
    # near a border the nearest zone city can be across it (Miami reads Havana): the label
    # always names the zone it used
    assert lt.zone_at(25.77, -80.19) == "America/Havana"


def test_local_time_names_its_zone_and_follows_summer_time() -> None:
    winter = int(datetime(2023, 1, 15, 12, 0, tzinfo=UTC).timestamp())
    summer = int(datetime(2023, 7, 15, 12, 0, tzinfo=UTC).timestamp())
    assert lt.local_time(winter, 41.9, 12.5) == (
        "2023-01-15 13:00 CET (Europe/Rome, the nearest zone city)")
    assert lt.local_time(summer, 41.9, 12.5).startswith("2023-07-15 14:00 CEST")


def test_coordinates_in_both_iso_forms() -> None:
    assert lt._degrees("+4154", 2) == pytest.approx(41.9)
    assert lt._degrees("-0034515", 3) == pytest.approx(-(3 + 45 / 60 + 15 / 3600))
