"""One change of the review view in detail: what a portion said in the approved version and what
it says now, word by word (removed words struck through in red, added ones in green), each
under its own portion mark. HTML for a QTextBrowser; no Qt here (difflib does the matching)."""

from __future__ import annotations

import difflib
import html
import re

_WORDS = re.compile(r"\S+|\s+")
_CUT = "<span style='background:#ffd8d8; color:#7a0010; text-decoration:line-through'>{}</span>"
_ADD = "<span style='background:#d3f9d8; color:#0b5d1e; font-weight:bold'>{}</span>"


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def word_diff(was: str, now: str) -> tuple[str, str]:
    """(was, now) as HTML: in ``was`` the words that went are marked, in ``now`` the new ones."""
    a, b = _words(was), _words(now)
    old, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left, right = html.escape("".join(a[i1:i2])), html.escape("".join(b[j1:j2]))
        if op == "equal":
            old.append(left)
            new.append(right)
            continue
        if left:
            old.append(_CUT.format(left))
        if right:
            new.append(_ADD.format(right))
    return "".join(old), "".join(new)


def change_html(was: tuple[str, str] | None, now: tuple[str, str] | None,
                heading: str = "") -> str:
    """``was`` / ``now``: (portion mark, text) of the portion before and after, None when it
    was added or removed."""
    parts = [f"<p><b>{html.escape(heading)}</b></p>"] if heading else []
    if was is not None and now is not None:
        old, new = word_diff(was[1], now[1])
        mark_old, mark_new = html.escape(was[0]), html.escape(now[0])
        if was[0] != now[0]:
            mark_old, mark_new = _CUT.format(mark_old), _ADD.format(mark_new)
        parts += [f"<p><i>Approved version</i><br><b>{mark_old}</b> {old}</p>",
                  f"<p><i>This version</i><br><b>{mark_new}</b> {new}</p>"]
    elif now is not None:
        parts.append(f"<p><i>Added</i><br><b>{html.escape(now[0])}</b> "
                     f"{_ADD.format(html.escape(now[1]))}</p>")
    elif was is not None:
        parts.append(f"<p><i>Removed</i><br><b>{html.escape(was[0])}</b> "
                     f"{_CUT.format(html.escape(was[1]))}</p>")
    return "".join(parts).replace("\n", "<br>")
