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
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from hstc_desk.domain.canonical import canonical_bytes, canonical_json
from hstc_desk.domain.declassify import check_declassify_on
from hstc_desk.domain.errors import DomainError, domain_error
from hstc_desk.domain.fields import MarkingText, UseRestriction, UtcDatetime
from hstc_desk.domain.plain_text import Line, Prose
from hstc_desk.domain.product_portions import (
    Canonical,
    Citation,
    DestinationCode,
    Figure,
    Heading,
    Paragraph,
    PortionId,
    PortionInput,
    ProductPortion,
    Tearline,
    rollup_markings,
)
from hstc_desk.domain.product_tearlines import TearlineSection, split
from hstc_desk.markings import Marking

__all__ = ["Citation", "Figure", "Heading", "Paragraph", "PortionInput", "Tearline"]

PRODUCT_ID_PATTERN: Final = r"^PRD-[0-9a-f]{16}$"
USERNAME_PATTERN: Final = r"^[a-z0-9.-]{2,32}$"
HEX64: Final = r"^[0-9a-f]{64}$"

ProductType = Literal["intelligence_bulletin", "intelligence_report", "strategic_assessment",
                      "target_assessment", "target_package", "referral"]
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


class ReviewComment(Canonical):
    """A reviewer's comment; ``anchor`` the portion id (``pid``) it is about, or None for the
    product as a whole."""

    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = ("anchor",)

    anchor: PortionId | None = None
    text: Text
    when: UtcDatetime
    who: UserName


class TearlineOf(Canonical):
    """What a tearline version is cut from: the parent product and the destination."""

    destination: DestinationCode
    product_id: ProductRef


MAX_ADDRESSEES: Final = 20


class Product(Canonical):
    """One version of a product.

    ``addressees`` and ``recommended_action``: a referral's (and only a referral's).
    ``tearline_of``: set on a tearline version only (see ``tearline_version``)."""

    CANONICAL_OMIT_NONE: ClassVar[tuple[str, ...]] = (
        "addressees", "recommended_action", "tearline_of")

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
    addressees: Annotated[list[DestinationCode], Field(min_length=1,
                                                       max_length=MAX_ADDRESSEES)] | None = None
    recommended_action: Text | None = None
    tearline_of: TearlineOf | None = None

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

    @field_validator("addressees")
    @classmethod
    def _addressees_unique(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("an addressee is listed twice")
        return value

    @model_validator(mode="after")
    def _referral_fields(self) -> Product:
        if self.product_type == "referral":
            if not self.addressees:
                raise ValueError("a referral needs one or more addressees")
            if self.recommended_action is None:
                raise ValueError("a referral needs its recommended action")
        elif self.addressees is not None or self.recommended_action is not None:
            raise ValueError("only a referral has addressees and a recommended action")
        if self.tearline_of is not None and any(isinstance(p, Tearline)
                                                for p in self.portions):
            raise ValueError("a tearline version holds no tearline")
        return self

    # -- behaviour -----------------------------------------------------------------------------

    def markings(self) -> list[str]:
        """The title marking, then every portion's, in order."""
        return [self.title_marking, *(p.marking for p in self.portions)]

    def banner_marking(self) -> Marking:
        return rollup_markings(self.markings())

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

    def figures(self) -> list[Figure]:
        return [p for p in self.portions if isinstance(p, Figure)]

    def body(self) -> list[tuple[int, PortionInput]]:
        """(index, portion) of the portions above the first tearline."""
        return split(self.portions)[0]

    def tearlines(self) -> list[TearlineSection]:
        """The tearline sections, in order (each: its Tearline, its portions with indexes)."""
        return split(self.portions)[1]

    def tearline(self, destination: str) -> TearlineSection | None:
        code = destination.strip().upper()
        return next((t for t in self.tearlines() if t.destination == code), None)

    def index_of(self, pid: str) -> int | None:
        """The 0-based index of the portion with id ``pid`` (None if none has it)."""
        return next((i for i, p in enumerate(self.portions) if p.pid == pid), None)

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


# ---- tearline versions --------------------------------------------------------------------------


def tearline_id(product_id: str, destination: str) -> str:
    """The id of a product's tearline version for ``destination``: derived, so every
    workstation names the same tearline version alike, and it is never the parent's id."""
    digest = hashlib.sha256(f"HSTC-TEARLINE\x00{product_id}\x00{destination}".encode())
    return f"PRD-{digest.hexdigest()[:16]}"


def tearline_version(product: Product, destination: str) -> Product:
    """The tearline version of ``product`` for ``destination``: its own id (tearline_id), the
    tearline's title and title mark, the tearline's portions alone, and so its own banner; the
    parent's type, authority block, version, status, author, editors, use restriction and
    times. It holds nothing of the parent body. DomainError if there is no such tearline."""
    section = product.tearline(destination)
    if section is None:
        raise DomainError(f"{product.id} has no tearline for {destination}")
    if not section.portions:
        raise DomainError(f"{product.id}: the tearline for {section.destination} holds no "
                          "portion")
    data = product.model_dump()
    data.update(
        id=tearline_id(product.id, section.destination), title=section.tearline.title,
        title_marking=section.tearline.marking,
        portions=[p.model_dump() for _, p in section.portions], comments=[],
        tearline_of={"destination": section.destination, "product_id": product.id})
    return parse_product(data)


# ---- what a change touched ----------------------------------------------------------------------


def field_digests(product: Product) -> dict[str, str]:
    """SHA-256 of each part of the canonical form: every top-level field by name, and every
    portion as "portion N (type)" (1-based). Kept beside a sign-off so that verification can
    say which part of a version differs from what was signed."""
    import pydantic_core

    from hstc_desk.domain.canonical import canonical_dict

    out: dict[str, str] = {}
    for name, value in canonical_dict(product).items():
        if name == "portions":
            for i, p in enumerate(product.portions):
                out[f"portion {i + 1} ({p.type})"] = hashlib.sha256(
                    pydantic_core.to_json(p)).hexdigest()
            out["portion count"] = hashlib.sha256(str(len(product.portions)).encode()).hexdigest()
        else:
            out[name] = hashlib.sha256(pydantic_core.to_json(value)).hexdigest()
    return out


def differing_fields(product: Product, digests: dict[str, str]) -> list[str]:
    """The names of the parts of ``product`` whose digest differs from ``digests``."""
    now = field_digests(product)
    return [name for name in sorted({*now, *digests}, key=_part_order)
            if now.get(name) != digests.get(name)]


def _part_order(name: str) -> tuple[int, int, str]:
    if name.startswith("portion ") and name[8:9].isdigit():
        return (1, int(name[8:].split(" ")[0]), name)
    return (0, 0, name)
