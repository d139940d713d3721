"""Persons and organizations (smuggling and trafficking networks, companies, NGOs, governments)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from hstc_desk.domain.fields import ShortText, Trigraph
from hstc_desk.domain.item_base import ItemBase

PersonRole = Literal[
    "smuggler",
    "facilitator",
    "recruiter",
    "financier",
    "forger",
    "transporter",
    "migrant",
    "victim",
    "witness",
    "official",
]

OrgType = Literal[
    "smuggling_network",
    "trafficking_ring",
    "money_laundering_cell",
    "document_fraud_ring",
    "transport_company",
    "ngo",
    "government",
]


class Person(ItemBase):
    """A person of interest: a network member, a migrant or victim, a witness, an official."""

    KIND: ClassVar[str] = "person"

    kind: Literal["person"] = "person"
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list)
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    nationality: Trigraph
    role: PersonRole

    def search_fields(self) -> list[str]:
        return [self.name, *self.aliases, self.nationality, self.role, self.originator]

    def summary(self) -> str:
        born = f", b. {self.birth_year}" if self.birth_year else ""
        return f"{self.marking} {self.name} ({self.role}, {self.nationality}{born})"


class Organization(ItemBase):
    """A network or other organization, with the area and countries it works in."""

    KIND: ClassVar[str] = "organization"

    kind: Literal["organization"] = "organization"
    name: ShortText
    org_type: OrgType
    area: Annotated[str, Field(max_length=300)] = ""
    countries: list[Trigraph] = Field(default_factory=list)

    def search_fields(self) -> list[str]:
        return [self.name, self.area, *self.countries, self.originator]

    def summary(self) -> str:
        return f"{self.marking} {self.name} ({self.org_type.replace('_', ' ')}, {self.area})"
