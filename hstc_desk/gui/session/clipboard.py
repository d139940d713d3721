"""Copying marked text: the portion mark goes with it, once, and every clipboard mode the platform
has (the clipboard, X11's PRIMARY selection, macOS's find buffer) is cleared on a timer and on
lock if it still holds what this app put there (KeePassXC-style)."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

from hstc_desk import markings
from hstc_desk.markings import MarkingError

DEFAULT_CLEAR_SECONDS = 60
_LEADING_MARK = re.compile(r"^\s*(\([^()\n]*\))[ \t]*")
Mode = QClipboard.Mode


def marked_copy(portion: str, text: str) -> str:
    """``(S//NF) text``: the text with its portion mark in front, once.

    A copy from a view that shows the marks begins with the first paragraph's own mark; that mark
    is not repeated: it is folded into the one in front (their roll-up, never lower than either).
    Later paragraphs keep their own marks."""
    body = text.lstrip()
    found = _LEADING_MARK.match(body)
    if found is not None and portion:
        try:
            leading = markings.parse(found.group(1))
            portion = markings.rollup([markings.parse(portion), leading]).portion()
            body = body[found.end():]
        except MarkingError:
            pass  # "(see above) ..." is text, not a mark
    if not portion:
        return body
    return f"{portion} {body}" if body else portion


def modes() -> list[QClipboard.Mode]:
    """The clipboard modes this platform has."""
    clip = QGuiApplication.clipboard()
    out = [Mode.Clipboard]
    if clip.supportsSelection():
        out.append(Mode.Selection)
    if clip.supportsFindBuffer():
        out.append(Mode.FindBuffer)
    return out


def _owns(clip: QClipboard, mode: QClipboard.Mode) -> bool:
    if mode == Mode.Selection:
        return clip.ownsSelection()
    if mode == Mode.FindBuffer:
        return clip.ownsFindBuffer()
    return clip.ownsClipboard()


class ClipboardGuard(QObject):
    """Clears what this app put on any clipboard mode: ``seconds`` after it got there, and on
    ``clear_if_ours()`` (lock, quit). Text selected in a read-only view becomes X11's PRIMARY
    selection by itself; that counts as ours too, since this app owns it."""

    def __init__(self, seconds: int = DEFAULT_CLEAR_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear_if_ours)
        self.set_seconds(seconds)
        QGuiApplication.clipboard().changed.connect(self._changed)

    def set_seconds(self, seconds: float) -> None:
        self.timer.setInterval(max(1, int(seconds * 1000)))

    def copy_marked(self, portion: str, text: str) -> str:
        """Put ``(S//NF) text`` on the clipboard and start the clearing timer."""
        value = marked_copy(portion, text)
        self._ours.add(value)
        QGuiApplication.clipboard().setText(value)
        self.timer.start()
        return value

    def expect(self, value: str) -> None:
        """Qt is about to put ``value`` on a clipboard mode for us (a copy from a text view)."""
        self._ours.add(value)
        self.timer.start()

    def _changed(self, mode: QClipboard.Mode) -> None:
        if self.holds_ours(mode):
            self.timer.start()  # anything of ours on any mode is cleared in time

    def holds_ours(self, mode: QClipboard.Mode) -> bool:
        """This app owns ``mode`` (the platform says so), or it holds a value we put there."""
        clip = QGuiApplication.clipboard()
        return _owns(clip, mode) or (bool(self._ours) and clip.text(mode) in self._ours)

    def clear_if_ours(self) -> None:
        """Clear every mode that still holds what we put there; leave others' copies alone."""
        clip = QGuiApplication.clipboard()
        for mode in modes():
            if self.holds_ours(mode):
                clip.clear(mode)
        self._ours.clear()
