"""Text the product commands print and parse: stored text with control characters shown as
escapes (so nothing printed can drive the terminal), and version numbers."""

from __future__ import annotations

import argparse
import re

MAX_VERSION = (1 << 63) - 1  # SQLite's INTEGER; store.products.MAX_VERSION
# Control characters (C0 but LF and TAB, DEL, C1) in stored text are refused on the way in; on
# the way out they are shown escaped as well, so nothing printed can drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with control characters written as escapes (\\x1b, \\n in a one-line field)."""
    pattern = _CONTROL_OR_BREAK if one_line else _CONTROL
    return pattern.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def version_number(text: str) -> int:
    """A version number: a whole number from 1 to 2^63 - 1 (a usage error otherwise)."""
    if not re.fullmatch(r"[0-9]{1,19}", text.strip()) or not 1 <= int(text) <= MAX_VERSION:
        raise argparse.ArgumentTypeError(f"a version is a whole number from 1 to {MAX_VERSION}, "
                                         f"not {text[:40]!r}")
    return int(text)
