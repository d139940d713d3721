"""Fields every stored record (item or link) carries: provenance, marking, version, times."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from hstc_desk.domain.fields import AgencyCode, UseRestriction, UtcDatetime


class Record(BaseModel):
    """Base of items and links. Strict, closed (unknown fields are errors) and immutable.

    The `marking` field is declared by the subclasses: an item validates it after its portions.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    originator: AgencyCode
    use_restriction: UseRestriction = "none"
    version: Annotated[int, Field(ge=1)] = 1
    created: UtcDatetime
    updated: UtcDatetime

    @field_validator("updated")
    @classmethod
    def _updated_not_before_created(cls, value: object, info: ValidationInfo) -> object:
        created = info.data.get("created")
        if created is not None and value < created:  # type: ignore[operator]
            raise ValueError(f"updated {value} is before created {created}")
        return value

    @property
    def leads_only(self) -> bool:
        """True when the information may be used to develop investigative leads only."""
        return self.use_restriction == "leads_only"
