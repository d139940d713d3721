"""Reusable annotated field types: UTC timestamps, dates, codes, markings, references."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, Strict

from hstc_desk.domain.agencies import AGENCY_PATTERN
from hstc_desk.domain.ids import ITEM_ID_PATTERN, id_pattern
from hstc_desk.markings import Marking, parse, rollup


def _utc_datetime(value: object) -> datetime:
    """A timezone-aware timestamp in UTC, from a datetime or an ISO 8601 string.

    One call per timestamp (this runs for every timestamp of every imported record). The
    standard library parses ISO 8601 (with "Z") in C and labels UTC as datetime.UTC, which is
    passed through untouched; other offsets are converted.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 timestamp: {value!r}") from None
    elif not isinstance(value, datetime):
        raise ValueError("expected an ISO 8601 timestamp with a timezone")
    if value.tzinfo is UTC:
        return value
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("expected a timestamp with a timezone (naive timestamps are refused)")
    return value.replace(tzinfo=UTC) if not offset else value.astimezone(UTC)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_input(value: object) -> object:
    if isinstance(value, datetime):
        raise ValueError("expected a date, not a timestamp")
    if isinstance(value, date) or (isinstance(value, str) and _DATE.fullmatch(value)):
        return value
    raise ValueError("expected an ISO 8601 date (YYYY-MM-DD)")


UtcDatetime = Annotated[AwareDatetime, Strict(False), BeforeValidator(_utc_datetime)]
"""A timezone-aware timestamp (naive ones are refused), held in UTC."""

IsoDate = Annotated[date, Strict(False), BeforeValidator(_date_input)]
"""A calendar date, from a `date` or a "YYYY-MM-DD" string."""

Trigraph = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
"""An ISO 3166-1 alpha-3 country code."""

AgencyCode = Annotated[str, Field(pattern=AGENCY_PATTERN)]
"""An agency code such as CBP, ICE-HSI, GBR-NCA."""

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Label = Annotated[str, Field(min_length=1, max_length=64)]

UseRestriction = Literal["none", "leads_only"]

ItemRef = Annotated[str, Field(pattern=ITEM_ID_PATTERN)]
PersonRef = Annotated[str, Field(pattern=id_pattern("person"))]
OrganizationRef = Annotated[str, Field(pattern=id_pattern("organization"))]
LocationRef = Annotated[str, Field(pattern=id_pattern("location"))]
CaseRef = Annotated[str, Field(pattern=id_pattern("case"))]


@lru_cache(maxsize=4096)
def canonical_marking(text: str) -> str:
    """The canonical portion form of a marking; raises MarkingError (a ValueError) if invalid."""
    return parse(text).portion()


def _marking(value: str) -> str:
    return canonical_marking(value)


MarkingText = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_marking)]
"""A classification marking, validated by the marking engine and held in canonical portion form."""


def same_marking(a: Marking, b: Marking) -> bool:
    """True when two markings say the same (REL TO compared by countries, groups expanded)."""
    return (
        a.level == b.level
        and a.sci == b.sci
        and a.dissem == b.dissem
        and a.non_ic == b.non_ic
        and a.rel_countries() == b.rel_countries()
    )


@lru_cache(maxsize=16384)
def marking_excess(marking: str, *portions: str) -> bool:
    """True when the roll-up of `marking` with `portions` says more than `marking` alone."""
    base = parse(marking)
    return not same_marking(rollup([base, *(parse(p) for p in portions)]), base)


@lru_cache(maxsize=16384)
def below_portions(marking: str, portions: tuple[str, ...]) -> str:
    """Why ``marking`` is below its portions (naming the first portion it is below, or the
    roll-up of them all), or "" when it is not."""
    for index, portion in enumerate(portions):
        if marking_excess(marking, portion):
            return (f"marking {marking} is below portion {index} marked {portion}"
                    f" (roll-up gives {rollup_text((marking, portion))})")
    others = tuple(sorted(set(portions)))
    if marking_excess(marking, *others):
        return (f"marking {marking} is below the roll-up of its portions "
                f"({rollup_text((marking, *others))})")
    return ""


@lru_cache(maxsize=16384)
def rollup_text(markings: tuple[str, ...]) -> str:
    """The canonical roll-up of several markings (order does not matter)."""
    return rollup(parse(m) for m in markings).portion()
