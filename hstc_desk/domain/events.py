"""Events: encounters, interdictions, crossings, payments, communications, arrests."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from hstc_desk.domain.fields import ItemRef, LocationRef, UtcDatetime
from hstc_desk.domain.item_base import ItemBase

EventType = Literal["encounter", "interdiction", "crossing", "payment", "communication", "arrest"]


class Event(ItemBase):
    """Something that happened at a time, perhaps at a place, with participants.

    `amount_usd` belongs to payments only.
    """

    KIND: ClassVar[str] = "event"

    kind: Literal["event"] = "event"
    event_type: EventType
    occurred: UtcDatetime
    location_id: LocationRef | None = None
    participant_ids: list[ItemRef] = Field(default_factory=list)
    amount_usd: Annotated[float, Field(ge=0.0, allow_inf_nan=False)] | None = None

    @field_validator("amount_usd")
    @classmethod
    def _amount_only_for_payments(cls, value: float | None, info: ValidationInfo) -> float | None:
        event_type = info.data.get("event_type")
        if value is not None and event_type is not None and event_type != "payment":
            raise ValueError(f"only a payment carries an amount, not a {event_type} event")
        return value

    def search_fields(self) -> list[str]:
        return [self.event_type, self.originator]

    def primary_date(self) -> datetime:
        return self.occurred
