"""Products (DESIGN §5): bulletins, reports, assessments and packages built of marked portions,
and the supervisor's sign-off record.

A product is strict, closed and immutable like every domain model. Nested models declare their
fields in alphabetical order, so ``canonical_bytes`` (which sorts the top level) gives JSON sorted
at every level: the form content digests, bundles and sign-offs cover.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from hstc_desk.domain.canonical import canonical_bytes, canonical_json
from hstc_desk.domain.declassify import check_declassify_on
from hstc_desk.domain.errors import DomainError, domain_error
from hstc_desk.domain.fields import ItemRef, MarkingText, UseRestriction, UtcDatetime
from hstc_desk.domain.plain_text import Line, Note, Prose
from hstc_desk.markings import Marking, parse, rollup

PRODUCT_ID_PATTERN: Final = r"^PRD-[0-9a-f]{16}$"
USERNAME_PATTERN: Final = r"^[a-z0-9.-]{2,32}$"
HEX64: Final = r"^[0-9a-f]{64}$"

ProductType = Literal["intelligence_bulletin", "intelligence_report", "strategic_assessment",
                      "target_assessment", "target_package"]
PRODUCT_TYPES: Final[tuple[str, ...]] = ProductType.__args__  # type: ignore[attr-defined]
Status = Literal["draft", "in_review", "approved"]
STATUSES: Final[tuple[str, ...]] = ("draft", "in_review", "approved")

ProductRef = Annotated[str, Field(pattern=PRODUCT_ID_PATTERN)]
UserName = Annotated[str, Field(pattern=USERNAME_PATTERN)]
Text = Prose  # free text: no control characters but line feeds and tabs (plain_text)
Short = Line  # one line, not blank, no control characters

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


def new_product_id(rng: random.Random | None = None) -> str:
    bits = rng.getrandbits(64) if rng is not None else secrets.randbits(64)
    return f"PRD-{bits:016x}"


class Authority(BaseModel):
    """The classification authority block: each line one non-blank line of text; "declassify
    on" a date YYYYMMDD, or an exemption or event form of the registry (domain.declassify)."""

    model_config = _STRICT

    classified_by: Short
    declassify_on: Short
    derived_from: Short

    @field_validator("declassify_on")
    @classmethod
    def _declassify_form(cls, value: str) -> str:
        return check_declassify_on(value)


class Paragraph(BaseModel):
    model_config = _STRICT

    marking: MarkingText
    text: Text
    type: Literal["paragraph"] = "paragraph"


class Figure(BaseModel):
    """A timeline or route image, drawn from case items (``data``: an item it depicts)."""

    model_config = _STRICT

    caption: Short
    data: ItemRef | None = None
    kind: Literal["timeline", "route"]
    marking: MarkingText
    type: Literal["figure"] = "figure"


class Citation(BaseModel):
    """A cited case item, with its marking and use restriction at citation time."""

    model_config = _STRICT

    item_id: ItemRef
    marking: MarkingText
    note: Note = ""
    type: Literal["citation"] = "citation"
    use_restriction: UseRestriction = "none"


ProductPortion = Annotated[Paragraph | Figure | Citation, Field(discriminator="type")]


class ReviewComment(BaseModel):
    model_config = _STRICT

    text: Text
    when: UtcDatetime
    who: UserName


class Product(BaseModel):
    """One version of a product."""

    model_config = _STRICT

    id: ProductRef
    product_type: ProductType
    title: Short
    title_marking: MarkingText
    authority: Authority | None = None
    portions: Annotated[list[ProductPortion], Field(min_length=1, max_length=2000)]
    status: Status = "draft"
    version: Annotated[int, Field(ge=1)] = 1
    author: UserName
    editors: list[UserName] = Field(default_factory=list)
    comments: list[ReviewComment] = Field(default_factory=list)
    use_restriction: UseRestriction = "none"
    created: UtcDatetime
    updated: UtcDatetime

    @field_validator("editors")
    @classmethod
    def _editors_unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("an editor is listed twice")
        return value

    @field_validator("use_restriction")
    @classmethod
    def _inherits_restriction(cls, value: str, info: ValidationInfo) -> str:
        portions = info.data.get("portions") or []
        cited = [p.item_id for p in portions
                 if isinstance(p, Citation) and p.use_restriction == "leads_only"]
        if cited and value != "leads_only":
            raise ValueError(f"must be leads_only: it cites {cited[0]}, which is leads only")
        return value

    @field_validator("updated")
    @classmethod
    def _updated_not_before_created(cls, value: datetime, info: ValidationInfo) -> datetime:
        created = info.data.get("created")
        if created is not None and value < created:
            raise ValueError(f"updated {value} is before created {created}")
        return value

    # -- behaviour -----------------------------------------------------------------------------

    def markings(self) -> list[str]:
        """The title marking, then every portion's, in order."""
        return [self.title_marking, *(p.marking for p in self.portions)]

    def banner_marking(self) -> Marking:
        return rollup(parse(m) for m in self.markings())

    def banner(self) -> str:
        """The banner: the roll-up of the title and every portion."""
        return self.banner_marking().banner()

    def marking(self) -> str:
        """The roll-up in portion form (what filters and bundles use)."""
        return self.banner_marking().portion()

    @property
    def leads_only(self) -> bool:
        return self.use_restriction == "leads_only"

    def citations(self) -> list[Citation]:
        return [p for p in self.portions if isinstance(p, Citation)]

    def participants(self) -> set[str]:
        """Who authored or edited this version (none of them may approve it)."""
        return {self.author, *self.editors}


class Signoff(BaseModel):
    """A supervisor's Ed25519 sign-off of one approved product version.

    ``content_hash`` is SHA-256 of ``signoff_message`` (see there); ``signature`` covers
    ``SIGNOFF_CONTEXT + content_hash`` with the key in ``signer_public_key``.
    """

    model_config = _STRICT

    audit_head: Annotated[str, Field(pattern=r"^[0-9]{1,15}:[0-9a-f]{64}$")]
    content_hash: Annotated[str, Field(pattern=HEX64)]
    product_id: ProductRef
    signature: Annotated[str, Field(pattern=r"^[0-9a-f]{128}$")]
    signed_at: UtcDatetime
    signer: UserName
    signer_public_key: Annotated[str, Field(pattern=HEX64)]
    version: Annotated[int, Field(ge=1)]


SIGNOFF_CONTEXT: Final = b"HSTC-PRODUCT-SIGNOFF-V1\x00"

_PRODUCT_ADAPTER: Final[TypeAdapter[Product]] = TypeAdapter(Product)
_SIGNOFF_ADAPTER: Final[TypeAdapter[Signoff]] = TypeAdapter(Signoff)


def _parse(adapter: TypeAdapter[Any], data: dict[str, Any] | str | bytes, name: str) -> Any:
    try:
        if isinstance(data, str | bytes):
            return adapter.validate_json(data)
        if not isinstance(data, dict):
            raise DomainError(f"{name}: expected a JSON object, not {type(data).__name__}")
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise domain_error(exc, prefix=name) from None


def parse_product(data: dict[str, Any] | str | bytes) -> Product:
    """Validate a product; DomainError reads "product.portions[2].marking: ..."."""
    return _parse(_PRODUCT_ADAPTER, data, "product")


def parse_signoff(data: dict[str, Any] | str | bytes) -> Signoff:
    return _parse(_SIGNOFF_ADAPTER, data, "signoff")


def product_to_json(product: Product) -> str:
    return canonical_json(product)


def signoff_to_json(signoff: Signoff) -> str:
    return canonical_json(signoff)


def change_product(product: Product, **changes: Any) -> Product:
    """A fully validated copy of ``product`` with ``changes`` (id and created stay)."""
    forbidden = {"id", "created"} & changes.keys()
    if forbidden:
        raise DomainError(f"product.{sorted(forbidden)[0]}: cannot be changed")
    data = product.model_dump()
    data.update(changes)
    return parse_product(data)


def signoff_message(product: Product, *, signer: str, signer_public_key: str, audit_head: str,
                    signed_at: datetime) -> bytes:
    """What a sign-off hashes: the whole approved version (content, every marking, author,
    editors, version, id), its banner, the audit head at approval, and who signed when."""
    meta = (f'{{"audit_head":"{audit_head}","banner":"{product.banner()}",'
            f'"signed_at":"{signed_at.isoformat()}","signer":"{signer}",'
            f'"signer_public_key":"{signer_public_key}"}}')
    return SIGNOFF_CONTEXT + canonical_bytes(product) + b"\n" + meta.encode()


def content_hash(product: Product, signoff: Signoff) -> str:
    """The SHA-256 the sign-off claims, recomputed from the product and the sign-off's fields."""
    return hashlib.sha256(signoff_message(
        product, signer=signoff.signer, signer_public_key=signoff.signer_public_key,
        audit_head=signoff.audit_head, signed_at=signoff.signed_at)).hexdigest()
