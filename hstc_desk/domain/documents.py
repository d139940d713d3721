"""Travel and identity documents, genuine or fraudulent."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from hstc_desk.domain.fields import PersonRef, Trigraph
from hstc_desk.domain.item_base import ItemBase

DocType = Literal["passport", "visa", "national_id", "residence_permit", "seaman_book"]
FraudType = Literal[
    "none", "counterfeit", "forged", "impostor", "fraudulently_obtained", "stolen_blank"
]


class Document(ItemBase):
    """A travel or identity document. It is genuine exactly when its fraud type is "none"."""

    KIND: ClassVar[str] = "document"

    kind: Literal["document"] = "document"
    doc_type: DocType
    number: Annotated[str, Field(min_length=1, max_length=64)]
    issuing_country: Trigraph
    holder_id: PersonRef | None = None
    genuine: bool
    fraud_type: FraudType

    @field_validator("fraud_type")
    @classmethod
    def _genuine_iff_no_fraud(cls, value: str, info: ValidationInfo) -> str:
        genuine = info.data.get("genuine")
        if genuine is True and value != "none":
            raise ValueError(f"a genuine document has fraud type 'none', not {value!r}")
        if genuine is False and value == "none":
            raise ValueError("a document that is not genuine needs a fraud type other than 'none'")
        return value

    def search_fields(self) -> list[str]:
        return [
            self.number,
            self.issuing_country,
            self.doc_type.replace("_", " "),
            self.fraud_type.replace("_", " ") if not self.genuine else "",
            self.originator,
        ]

    def summary(self) -> str:
        state = "genuine" if self.genuine else self.fraud_type.replace("_", " ")
        kind = self.doc_type.replace("_", " ")
        return f"{self.marking} {self.issuing_country} {kind} {self.number} ({state})"
