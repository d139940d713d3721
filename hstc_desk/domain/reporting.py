"""Source reports from partner agencies, and the cases that tie items together."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from hstc_desk.domain.fields import AgencyCode, IsoDate, Label, ShortText
from hstc_desk.domain.item_base import ItemBase

Reliability = Literal["A", "B", "C", "D", "E", "F"]
CaseStatus = Literal["open", "closed", "suspended"]


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


class Report(ItemBase):
    """A source report: who reported, when the information dates from, how far to trust it.

    Reliability of the source runs A (reliable) to F (cannot be judged); credibility of the
    information 1 (confirmed) to 6 (cannot be judged).
    """

    KIND: ClassVar[str] = "report"

    kind: Literal["report"] = "report"
    originating_agency: AgencyCode
    date_of_information: IsoDate
    reliability: Reliability
    credibility: Annotated[int, Field(ge=1, le=6)]
    report_number: Label

    def search_fields(self) -> list[str]:
        return [self.report_number, self.originating_agency, self.originator]

    def primary_date(self) -> datetime:
        return _midnight_utc(self.date_of_information)

    def summary(self) -> str:
        grade = f"{self.reliability}{self.credibility}"
        return f"{self.marking} {self.report_number} [{grade}] {self.title}"


class Case(ItemBase):
    """An investigation that items belong to (through their `case_id`)."""

    KIND: ClassVar[str] = "case"

    kind: Literal["case"] = "case"
    name: ShortText
    status: CaseStatus
    opened: IsoDate
    lead_agency: AgencyCode

    def search_fields(self) -> list[str]:
        return [self.name, self.lead_agency, self.originator]

    def primary_date(self) -> datetime:
        return _midnight_utc(self.opened)

    def summary(self) -> str:
        return f"{self.marking} {self.name} ({self.status}, lead {self.lead_agency})"
