"""The limited rich text of a product paragraph: what both Qt and reportlab render.

Markup (kept in ``Paragraph.text``; plain text is valid markup):
- one block per line; blank lines are left out;
- a line starting ``- `` is a bullet item; ``N. `` (N a whole number) a numbered item;
  any other line a plain text block;
- inline ``**bold**`` and ``*italic*`` (``***both***``); a marker without its partner is kept
  as a literal asterisk;
- a backslash escapes the next character (``\\*`` is an asterisk, ``\\\\`` a backslash, ``\\-``
  at the start of a line a literal dash).

``parse`` never fails: any text is a list of blocks. ``to_markup`` writes blocks back (so a
GUI that builds blocks from its document writes canonical markup), ``to_html`` gives the small
HTML subset (``<b>``, ``<i>``, escaped text) that QTextDocument and reportlab's Paragraph both
take, one string per block; ``plain`` is the text without markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Final, Literal

BlockKind = Literal["text", "bullet", "number"]

_NUMBERED: Final = re.compile(r"([0-9]{1,4})\. (.*)", re.DOTALL)
_TOKEN: Final = re.compile(r"\\.|\*\*|\*|[^\\*]+|\\", re.DOTALL)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    runs: tuple[Run, ...]
    number: int | None = None  # a numbered item's number

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def _inline(text: str) -> tuple[Run, ...]:
    tokens = _TOKEN.findall(text)
    # An odd count of a marker leaves its last one unpaired: that one is literal.
    literal: set[int] = set()
    for marker in ("**", "*"):
        idx = [i for i, t in enumerate(tokens) if t == marker]
        if len(idx) % 2:
            literal.add(idx[-1])
    runs: list[Run] = []
    bold = italic = False
    buf: list[str] = []

    def flush() -> None:
        if buf:
            runs.append(Run("".join(buf), bold, italic))
            buf.clear()

    for i, tok in enumerate(tokens):
        if tok in ("**", "*") and i not in literal:
            flush()
            if tok == "**":
                bold = not bold
            else:
                italic = not italic
        elif tok.startswith("\\") and len(tok) == 2:
            buf.append(tok[1])
        else:
            buf.append(tok)
    flush()
    merged: list[Run] = []
    for r in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic)
        else:
            merged.append(r)
    return tuple(merged)


def parse(text: str) -> list[Block]:
    """The blocks of a paragraph's markup."""
    blocks: list[Block] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if line.startswith("- "):
            blocks.append(Block("bullet", _inline(line[2:])))
        elif m := _NUMBERED.fullmatch(line):
            blocks.append(Block("number", _inline(m[2]), int(m[1])))
        else:
            blocks.append(Block("text", _inline(line)))
    return blocks


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*")


def _run_markup(run: Run) -> str:
    if not run.text:
        return ""
    mark = ("**" if run.bold else "") + ("*" if run.italic else "")
    return f"{mark}{_escape(run.text)}{mark[::-1]}"


def to_markup(blocks: list[Block]) -> str:
    """Blocks back to markup (canonical: ``parse(to_markup(b))`` gives ``b`` again)."""
    lines = []
    for b in blocks:
        body = "".join(_run_markup(r) for r in b.runs)
        if b.kind == "bullet":
            lines.append(f"- {body}")
        elif b.kind == "number":
            lines.append(f"{b.number or 1}. {body}")
        else:
            if body.startswith("- ") or _NUMBERED.fullmatch(body):
                body = "\\" + body
            lines.append(body)
    return "\n".join(lines)


def run_html(run: Run) -> str:
    out = html.escape(run.text, quote=False)
    if run.italic:
        out = f"<i>{out}</i>"
    if run.bold:
        out = f"<b>{out}</b>"
    return out


def to_html(block: Block) -> str:
    """One block's runs as ``<b>``/``<i>`` HTML (no list bullet: the renderer draws it)."""
    return "".join(run_html(r) for r in block.runs)


def plain(text: str) -> str:
    """The text without markup, one line per block (bullets as "- ", numbers as "N. ")."""
    out = []
    for b in parse(text):
        prefix = "- " if b.kind == "bullet" else f"{b.number}. " if b.kind == "number" else ""
        out.append(prefix + b.text)
    return "\n".join(out)
