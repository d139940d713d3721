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

    `amount_usd` belongs to payments only. A time known only roughly ("March 2023", "the
    afternoon of the 4th") is a window: `occurred` its start and `occurred_latest` its end,
    drawn as a window on the timeline, never as a false point. Unset, it is left out of the
    canonical form, so events written before it existed keep their bytes and digests.
    """

    CANONICAL_OMIT_NONE: ClassVar[frozenset[str]] = frozenset({"occurred_latest"})

    KIND: ClassVar[str] = "event"

    kind: Literal["event"] = "event"
    event_type: EventType
    occurred: UtcDatetime
    occurred_latest: UtcDatetime | None = None
    location_id: LocationRef | None = None
    participant_ids: list[ItemRef] = Field(default_factory=list)
    amount_usd: Annotated[float, Field(ge=0.0, allow_inf_nan=False)] | None = None

    @field_validator("occurred_latest")
    @classmethod
    def _window_not_backwards(cls, value: datetime | None,
                              info: ValidationInfo) -> datetime | None:
        occurred = info.data.get("occurred")
        if value is not None and occurred is not None and value < occurred:
            raise ValueError(f"the latest time {value} is before the earliest {occurred}")
        return value

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
