"""Between the drafting window's DraftState and the store's products (store.products,
store.product_images): load a product version into a state, and save a state as a draft
(create the first time, autosave in place after, edit when the latest version is approved,
which makes the next version).

A state that cannot be saved yet (a portion not marked, an empty paragraph, no title) raises
``NotReady`` naming what is missing; nothing is written and the window says so."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from hstc_desk import markings
from hstc_desk.domain.errors import domain_error
from hstc_desk.domain.product_portions import (
    Citation,
    Figure,
    Heading,
    Paragraph,
    PortionInput,
    Tearline,
    new_portion_id,
)
from hstc_desk.domain.product_templates import template_portions
from hstc_desk.domain.products import Authority, Product
from hstc_desk.gui.products.portion_state import DraftState, Entry, describe
from hstc_desk.store import Store, StoreError
from hstc_desk.store import product_images as images
from hstc_desk.store import products as store_products


class NotReady(ValueError):
    """The draft cannot be saved as it is; the message says what is missing."""


def new_state(product_type: str) -> DraftState:
    """A new draft of ``product_type``: its template's section headings (marked (U): section
    names are unclassified words), the title and its mark left for the analyst."""
    entries = tuple(Entry("heading", marking=h.marking, text=h.text, pid=new_portion_id())
                    for h in template_portions(product_type))
    return DraftState(product_type=product_type, entries=entries)


def _entry(store: Store, p: PortionInput) -> Entry:
    pid = p.pid or new_portion_id()
    if isinstance(p, Paragraph):
        return Entry("paragraph", p.marking, p.text, pid=pid)
    if isinstance(p, Heading):
        return Entry("heading", p.marking, p.text, pid=pid)
    if isinstance(p, Citation):
        return Entry("citation", p.marking, p.note, pid=pid, item_id=p.item_id,
                     item_title=p.title or "", use_restriction=p.use_restriction)
    if isinstance(p, Tearline):
        return Entry("tearline", p.marking, p.title, pid=pid, destination=p.destination)
    png = b""
    if p.image_sha256:
        try:
            png = images.get_image(store, p.image_sha256)
        except StoreError:  # absent or above the user: shown as "(no image)", the rest opens
            png = b""
    items = tuple(p.depicted())
    return Entry("figure", p.marking, p.caption, pid=pid, figure_kind=p.kind, image=png,
                 depicted=items, depicted_count=len(items))


def state_of(store: Store, product: Product) -> DraftState:
    a = product.authority
    return DraftState(
        product_type=product.product_type, title=product.title,
        title_marking=product.title_marking,
        classified_by=a.classified_by if a else "", derived_from=a.derived_from if a else "",
        declassify_on=a.declassify_on if a else "",
        entries=tuple(_entry(store, p) for p in product.portions),
        addressees=", ".join(product.addressees or ()),
        recommended_action=product.recommended_action or "")


def _portion(store: Store, e: Entry, row: int, stored: set[str]) -> PortionInput:
    if e.marked and not e.marking:
        raise NotReady(f"{describe(e, row)} is not marked yet")
    try:
        if e.kind == "paragraph":
            if not e.text.strip():
                raise NotReady(f"{describe(e, row)} is empty")
            return Paragraph(marking=e.marking, text=e.text, pid=e.pid or None)
        if e.kind == "heading":
            if not e.text.strip():
                raise NotReady(f"{describe(e, row)} has no text")
            return Heading(marking=e.marking, text=e.text.strip(), pid=e.pid or None)
        if e.kind == "citation":
            return Citation(item_id=e.item_id, marking=e.marking, note=e.text,
                            pid=e.pid or None)
        if e.kind == "tearline":
            if not e.text.strip():
                raise NotReady(f"{describe(e, row)} has no title (a tearline version has its "
                               "own title)")
            return Tearline(destination=e.destination, title=e.text.strip(),
                            marking=e.marking, pid=e.pid or None)
        if not e.text.strip():
            raise NotReady(f"{describe(e, row)} has no caption")
        sha = e.image_sha256 or None
        if sha and sha not in stored:
            images.put_image(store, e.image, marking=e.marking)
            stored.add(sha)
        return Figure(marking=e.marking, caption=e.text.strip(), kind=e.figure_kind or "timeline",
                      items=list(e.depicted) or None, image_sha256=sha, pid=e.pid or None)
    except ValidationError as exc:
        raise NotReady(f"{describe(e, row)}: {domain_error(exc)}") from None


def authority_of(s: DraftState) -> Authority | None:
    """The authority block, or None while all of it is blank; NotReady if half filled."""
    parts = (s.classified_by.strip(), s.derived_from.strip(), s.declassify_on.strip())
    if not any(parts):
        return None
    if not all(parts):
        missing = [n for n, v in zip(("classified by", "derived from", "declassify on"), parts,
                                     strict=True) if not v]
        raise NotReady(f"the authority block needs {', '.join(missing)} too")
    try:
        return Authority(classified_by=parts[0], derived_from=parts[1], declassify_on=parts[2])
    except ValidationError as exc:
        raise NotReady(f"the authority block: {domain_error(exc)}") from None


@dataclass
class Saved:
    """What the window last loaded or wrote: the product version (None before the first
    save) and the state it was written from."""

    product: Product | None = None
    state: DraftState | None = None


class DraftSaver:
    def __init__(self, product: Product | None = None, state: DraftState | None = None) -> None:
        self.saved = Saved(product, state)
        self._stored_images: set[str] = set()

    @property
    def product_id(self) -> str | None:
        return self.saved.product.id if self.saved.product else None

    def read_only_reason(self) -> str:
        p = self.saved.product
        if p is not None and p.status == "in_review":
            return (f"{p.id} version {p.version} is in review: a supervisor returns it to draft "
                    "before it is edited")
        return ""

    def dirty(self, state: DraftState) -> bool:
        return state != self.saved.state

    def save(self, store: Store, state: DraftState) -> Product | None:
        """Write ``state``: None when nothing changed. NotReady, or the store's StoreError /
        PermissionDenied / DomainError, when it cannot be written (nothing is)."""
        if not self.dirty(state):
            return None
        if not state.title.strip():
            raise NotReady("the product needs a title")
        if not state.title_marking:
            raise NotReady("the title needs its portion mark")
        portions = [_portion(store, e, i, self._stored_images)
                    for i, e in enumerate(state.entries)]
        if not portions:
            raise NotReady("the product needs at least one portion")
        fields = {"title": state.title.strip(), "title_marking": state.title_marking,
                  "portions": portions, "authority": authority_of(state)}
        if state.product_type == "referral":
            codes = [c.strip().upper() for c in state.addressees.split(",") if c.strip()]
            if not codes:
                raise NotReady("a referral needs one or more addressees")
            for c in codes:
                try:
                    markings.destination(c)
                except KeyError as exc:
                    raise NotReady(f"addressee {c}: {exc.args[0]}") from None
            if not state.recommended_action.strip():
                raise NotReady("a referral needs its recommended action")
            fields.update(addressees=codes, recommended_action=state.recommended_action.strip())
        p = self.saved.product
        if p is None:
            product: Product | None = store_products.create(
                store, product_type=state.product_type, **fields)
        elif p.status == "approved":
            product = store_products.edit(store, p.id, **fields)
        else:
            product = store_products.autosave(store, p.id, version=p.version, **fields)
        if product is not None:
            self.saved = Saved(product, state)
        else:
            self.saved = Saved(p, state)
        return product
