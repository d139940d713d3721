"""What every case item has: id, title, marked portions, the item marking, provenance, case."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from hstc_desk.domain.fields import (
    CaseRef,
    ItemRef,
    MarkingText,
    below_portions,
)
from hstc_desk.domain.ids import KIND_PREFIX
from hstc_desk.domain.records import Record


class Portion(BaseModel):
    """One marked paragraph of an item."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    marking: MarkingText
    text: Annotated[str, Field(min_length=1, max_length=20000)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


class ItemBase(Record):
    """Fields and behaviour shared by every kind of item. Subclasses add `kind` and their own."""

    KIND: ClassVar[str] = ""

    id: ItemRef
    title: Annotated[str, Field(min_length=1, max_length=300)]
    portions: list[Portion] = Field(default_factory=list)
    marking: MarkingText
    case_id: CaseRef | None = None

    @field_validator("id")
    @classmethod
    def _id_matches_kind(cls, value: str) -> str:
        prefix = KIND_PREFIX.get(cls.KIND)
        if prefix and not value.startswith(prefix + "-"):
            raise ValueError(f"a {cls.KIND} id starts with {prefix}-, not {value[:4]!r}")
        return value

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        return _not_blank(value)

    @field_validator("marking")
    @classmethod
    def _marking_not_below_portions(cls, value: str, info: ValidationInfo) -> str:
        portions: list[Portion] | None = info.data.get("portions")
        if portions:
            problem = below_portions(value, tuple(p.marking for p in portions))
            if problem:
                raise ValueError(problem)
        return value

    # -- behaviour -----------------------------------------------------------------------------

    def search_fields(self) -> list[str]:
        """Kind-specific searchable values (names, aliases, numbers, agencies)."""
        return [self.originator]

    def search_text(self) -> str:
        """Title, portion texts and the kind's searchable fields, one per line (for FTS)."""
        parts = [self.title, *(p.text for p in self.portions), *self.search_fields()]
        return "\n".join(part for part in parts if part)

    def primary_date(self) -> datetime:
        """The date the item is about (when it happened or was reported); by default `created`."""
        return self.created

    def summary(self) -> str:
        """A one-line description for lists and tooltips."""
        return f"{self.marking} {self.title}"

    def portion_markings(self) -> list[str]:
        """The markings of the portions, in order."""
        return [p.marking for p in self.portions]
