"""What the review view and Export PDF print: one stored product version rendered by
``hstc_desk.reports`` exactly as ``hstc report`` renders it (``reports.from_store.document_of``:
its sign-off, the cited items' titles under the user's clearance, the figures' images), whole or
as one tearline version. No Qt here."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from hstc_desk.markings import Marking
from hstc_desk.reports.from_store import document_of
from hstc_desk.reports.render import render_document
from hstc_desk.reports.story import Document
from hstc_desk.store import Store


@dataclass(frozen=True)
class Printed:
    """A PDF and the document it prints (a tearline version is a product of its own)."""

    doc: Document
    pdf: bytes

    @property
    def banner(self) -> Marking:
        return self.doc.banner()


# One render at a time: the review view renders off the GUI thread while Export PDF may render
# on it, and reportlab keeps module-level state; the same document must give the same bytes.
_RENDERING = threading.Lock()


def render(doc: Document) -> bytes:
    """``doc`` rendered to PDF bytes (safe from any thread; renders one at a time)."""
    with _RENDERING:
        return render_document(doc)


def printed(store: Store, product_id: str, *, version: int | None = None,
            tearline: str | None = None) -> Printed:
    """The PDF of a stored version (latest by default), or of its tearline version."""
    doc = document_of(store, product_id, version=version, tearline=tearline)
    return Printed(doc, render(doc))
