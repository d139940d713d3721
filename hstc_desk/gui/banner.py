"""Classification banner bars in the standard colours, and the colour rule they use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from hstc_desk import markings
from hstc_desk.markings import Level, Marking

# (background, text): UNCLASSIFIED green, CONFIDENTIAL blue, SECRET red, TOP SECRET orange,
# TOP SECRET with SCI yellow.
COLOURS: dict[str, tuple[str, str]] = {
    "U": ("#007a33", "#ffffff"),
    "C": ("#0033a0", "#ffffff"),
    "S": ("#c8102e", "#ffffff"),
    "TS": ("#ff8c00", "#000000"),
    "TS-SCI": ("#fce83a", "#000000"),
}


def colour_key(level: Level, sci: frozenset[str] | set[str] = frozenset()) -> str:
    if level == Level.TS and sci:
        return "TS-SCI"
    return level.name


def banner_colours(marking: Marking) -> tuple[str, str]:
    return COLOURS[colour_key(marking.level, marking.sci)]


def clearance_banner(text: str) -> Marking:
    """The banner marking of a system high / clearance string like ``TS//HCS/SI/TK``."""
    c = markings.parse_clearance(text) if isinstance(text, str) else text
    return Marking(c.level, sci=c.sci)


class BannerBar(QLabel):
    """One banner line: the banner text centred on its classification colour."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "banner") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMargin(3)
        self.marking: Marking | None = None

    def set_marking(self, marking: Marking | None) -> None:
        self.marking = marking
        if marking is None:
            self.setText("")
            self.setStyleSheet("")
            return
        bg, fg = banner_colours(marking)
        self.setText(marking.banner())
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; font-weight: bold; letter-spacing: 1px; }}")
