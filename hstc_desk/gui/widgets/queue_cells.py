"""Cells the product lists share: a banner on its classification colour, an age at a glance."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
)

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


@lru_cache(maxsize=512)
def _look(banner: str) -> tuple[str, str, QBrush, QBrush] | None:
    """A marking's portion form, banner form and colours (a product's portions repeat a few
    markings many times)."""
    try:
        marking = markings.parse(banner)
    except markings.MarkingError:
        return None
    bg, fg = banner_colours(marking)
    return marking.portion(), marking.banner(), QBrush(QColor(bg)), QBrush(QColor(fg))


def banner_cell(banner: str, *, portion_form: bool = False) -> QTableWidgetItem:
    """The banner text (or, where room is short, the same marking in portion form, the banner
    in its tool tip) on its classification colour."""
    cell = QTableWidgetItem(banner)
    look = _look(banner)
    if look is None:
        return cell
    portion, full, bg, fg = look
    if portion_form:
        cell.setText(portion)
        cell.setToolTip(full)
    cell.setBackground(bg)
    cell.setForeground(fg)
    font = cell.font()
    font.setBold(True)
    cell.setFont(font)
    return cell


class KeepColourDelegate(QStyledItemDelegate):
    """Draws a cell's own background and text colour even when its row is selected, so a
    banner cell keeps its classification colour under the selection highlight."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if option.backgroundBrush.style() != Qt.BrushStyle.NoBrush:
            option.state &= ~QStyle.StateFlag.State_Selected


def keep_banner_colours(table: QAbstractItemView, column: int = 0) -> None:
    table.setItemDelegateForColumn(column, KeepColourDelegate(table))


MARK_WIDTH = 104  # '(S//NF//LES)' on one line; '(S//REL TO USA, GBR)' on two


def queue_table(columns: tuple[str, ...], name: str) -> QTableWidget:
    """A queue's table: (marking, text) rows, the marking in its colour in a narrow column that
    wraps, the text taking the rest; one row selected; nothing editable."""
    table = QTableWidget(0, len(columns), objectName=name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    # a long marking wraps after a category in its own narrow column, and a long title wraps
    # too: the row grows, nothing is cut
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    keep_banner_colours(table)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
    table.setColumnWidth(0, MARK_WIDTH)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the title takes the rest
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table
