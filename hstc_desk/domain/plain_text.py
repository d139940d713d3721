"""Free text at the domain boundary: no control characters, so nothing a user types can forge a
line of output, move a terminal's cursor or hide in a NUL.

Refused everywhere: C0 controls (U+0000-U+001F), DEL (U+007F) and C1 controls (U+0080-U+009F).
Prose (a paragraph, a note, a comment) may hold line feeds and tabs; a one-line field (a title,
a caption, an authority line) holds neither, nor the Unicode line and paragraph separators.
"""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import AfterValidator, Field

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAK: Final = re.compile(r"[\t\n\u2028\u2029]")


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def prose(value: str) -> str:
    """Multi-line text: line feeds and tabs allowed, every other control character refused."""
    if m := _CONTROL.search(value):
        raise ValueError(f"holds the control character {_name(m[0])} at position {m.start()}; "
                         "text may hold line feeds and tabs but no other control characters")
    return value


def one_line(value: str) -> str:
    """A single line: no control character, no line break, no tab."""
    if m := _LINE_BREAK.search(value):
        raise ValueError(f"must be a single line: it holds {_name(m[0])} at position "
                         f"{m.start()}")
    prose(value)
    return value


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Line = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(one_line),
                 AfterValidator(not_blank)]
"""A one-line, non-blank text of up to 300 characters."""

Prose = Annotated[str, Field(min_length=1, max_length=20000), AfterValidator(prose),
                  AfterValidator(not_blank)]
"""Non-blank text of up to 20,000 characters; line feeds and tabs allowed."""

Note = Annotated[str, Field(max_length=2000), AfterValidator(prose)]
"""Optional text (may be empty) of up to 2,000 characters; line feeds and tabs allowed."""
