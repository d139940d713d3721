"""How the review room writes a portion in one line, finds it on a page, and escapes text for
Qt's rich text. No Qt here."""

from __future__ import annotations

import html

from hstc_desk.domain.product_portions import Paragraph, PortionInput, portion_summary
from hstc_desk.domain.rich_text import plain


def one_line(portion: PortionInput, width: int) -> str:
    """One line of a portion as a reader sees it (the rich-text markup left out)."""
    if isinstance(portion, Paragraph):
        text = " ".join(plain(portion.text).split())
        return text if len(text) <= width else text[: width - 1] + "\u2026"
    return portion_summary(portion, width)


def snippet(portion: PortionInput) -> str:
    """Words the portion prints early on, to find its page by (its mark stands apart)."""
    if isinstance(portion, Paragraph):
        text = plain(portion.text).split("\n")[0].lstrip("- ")
    else:
        text = (getattr(portion, "caption", None) or getattr(portion, "title", None)
                or getattr(portion, "item_id", None) or getattr(portion, "text", ""))
    return str(text)[:48]


def escape(text: str) -> str:
    """Text shown in a rich-text label, never read as markup."""
    return html.escape(text, quote=False)
