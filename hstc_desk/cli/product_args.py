"""The portions of ``hstc product new`` and ``hstc product edit``, taken in command-line order.

    --portion "(S//NF) text"         a paragraph (rich text markup: **bold**, *italic*, "- " lists)
    --heading "(U) Summary"          a section heading
    --cite ITEM_ID                   a citation (marking, title, restriction taken from the item)
    --figure FILE.png "Caption"      a figure exported by the Movement workspace or `hstc figure`
                                     (its marking and the items it depicts come from the PNG)
    --tearline DEST "(U) Title"      a tearline for destination profile DEST, with its own marked
                                     title; every portion after it (up to the next --tearline)
                                     belongs to it

A --template flag on ``new`` starts from the type's sections (headings) before these.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from hstc_desk.cli.credentials import UsageError

MARKED = re.compile(r"\s*\(([^()]{1,300})\)\s*(.+)", re.DOTALL)
MAX_FIGURE_FILE = 32 * 1024 * 1024


class _Ordered(argparse.Action):
    """Append (kind, value) to ``namespace.parts``, keeping the order across flags."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        parts = list(getattr(namespace, "parts", None) or [])
        parts.append((self.dest, values))
        namespace.parts = parts


def add_portion_args(p: argparse.ArgumentParser) -> None:
    p.set_defaults(parts=[])
    p.add_argument("--portion", dest="paragraph", action=_Ordered, metavar='"(S//NF) text"',
                   help="a paragraph, starting with its portion mark (repeatable, in order)")
    p.add_argument("--heading", dest="heading", action=_Ordered, metavar='"(U) Summary"',
                   help="a section heading, starting with its portion mark")
    p.add_argument("--cite", dest="citation", action=_Ordered, metavar="ITEM_ID",
                   help="cite a case item (its marking and title come from the item)")
    p.add_argument("--figure", dest="figure", action=_Ordered, nargs=2,
                   metavar=("FILE.png", "CAPTION"),
                   help="a figure exported by the Movement workspace or `hstc figure`")
    p.add_argument("--tearline", dest="tearline", action=_Ordered, nargs=2,
                   metavar=("DEST", '"(U) Title"'),
                   help="a tearline for destination profile DEST with its own marked title; "
                        "the portions after it belong to it")


def _marked(flag: str, text: str) -> tuple[str, str]:
    m = MARKED.fullmatch(text)
    if not m:
        raise UsageError(f"{flag} must start with its portion mark, as in \"(S//NF) text\": "
                         f"{text[:40]!r}")
    return m[1], m[2].strip()


def build_portions(store: Any, parts: list[tuple[str, Any]]) -> list[Any]:
    """The portions the flags describe (figures read and their images kept in ``store``)."""
    from pydantic import ValidationError

    from hstc_desk.domain.errors import domain_error
    from hstc_desk.domain.products import Citation, Heading, Paragraph, Tearline
    from hstc_desk.inputs import read_regular_file
    from hstc_desk.movement.figures import FigureError
    from hstc_desk.store import product_images

    out: list[Any] = []
    for n, (kind, value) in enumerate(parts, 1):
        try:
            if kind == "paragraph":
                marking, text = _marked("--portion", value)
                out.append(Paragraph(marking=marking, text=text))
            elif kind == "heading":
                marking, text = _marked("--heading", value)
                out.append(Heading(marking=marking, text=text))
            elif kind == "citation":
                out.append(Citation(item_id=value, marking="U"))  # marking from the item
            elif kind == "tearline":
                dest, titled = value
                marking, title = _marked("--tearline title", titled)
                out.append(Tearline(destination=dest.strip().upper(), marking=marking,
                                    title=title))
            elif kind == "figure":
                path, caption = value
                png = read_regular_file(path, MAX_FIGURE_FILE, "figure")
                try:
                    out.append(product_images.figure_from_png(store, png, caption=caption))
                except FigureError as exc:
                    raise UsageError(f"--figure {Path(path).name}: {exc}") from None
        except ValidationError as exc:
            raise domain_error(exc, prefix=f"portion {n}") from None
    return out
