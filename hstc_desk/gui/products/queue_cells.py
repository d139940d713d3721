"""Cells the product lists share: a banner on its classification colour, an age at a glance."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidgetItem

from hstc_desk import markings
from hstc_desk.gui.widgets.banner import banner_colours


def age_text(age: timedelta) -> str:
    """How long, in the one unit a person reads at a glance: 40 min, 5 h, 3 d."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def banner_cell(banner: str) -> QTableWidgetItem:
    """The banner text on its classification colour."""
    cell = QTableWidgetItem(banner)
    try:
        bg, fg = banner_colours(markings.parse(banner))
    except markings.MarkingError:
        return cell
    cell.setBackground(QBrush(QColor(bg)))
    cell.setForeground(QBrush(QColor(fg)))
    font = cell.font()
    font.setBold(True)
    cell.setFont(font)
    return cell
