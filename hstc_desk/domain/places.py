"""Locations and the route legs that join them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from hstc_desk.domain.fields import LocationRef, OrganizationRef, ShortText, Trigraph, UtcDatetime
from hstc_desk.domain.item_base import ItemBase

LocationType = Literal[
    "city", "border_crossing", "port", "airport", "safe_house", "transit_camp", "landing_site"
]
TravelMode = Literal["land", "sea", "air", "foot", "river"]


class Location(ItemBase):
    """A place on a route: a city, crossing, port, airport, safe house, camp or landing site."""

    KIND: ClassVar[str] = "location"

    kind: Literal["location"] = "location"
    name: ShortText
    country: Trigraph
    lat: Annotated[float, Field(ge=-90.0, le=90.0, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180.0, le=180.0, allow_inf_nan=False)]
    loc_type: LocationType

    def search_fields(self) -> list[str]:
        return [self.name, self.country, self.loc_type.replace("_", " "), self.originator]

    def summary(self) -> str:
        return f"{self.marking} {self.name}, {self.country} ({self.lat:.4f}, {self.lon:.4f})"


class RouteLeg(ItemBase):
    """One leg of a journey between two locations, by one mode, over a time span."""

    KIND: ClassVar[str] = "route_leg"

    kind: Literal["route_leg"] = "route_leg"
    from_location_id: LocationRef
    to_location_id: LocationRef
    mode: TravelMode
    start: UtcDatetime
    end: UtcDatetime
    network_id: OrganizationRef | None = None

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError(f"end {value.isoformat()} is before start {start.isoformat()}")
        return value

    def search_fields(self) -> list[str]:
        return [self.mode, self.originator]

    def primary_date(self) -> datetime:
        return self.start
