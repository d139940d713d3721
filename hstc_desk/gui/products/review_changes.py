"""The review view's Changes tab: what a version changed against the last approved one, a row
per change (coloured by kind: changed, added, moved, removed; a tool tip with was and now), and
the chosen change word by word below. ``portion_chosen`` carries the portion a chosen row is
about in this version (None for a removed one or a change of the title, authority or banner),
so the view can turn its pages to it."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.domain.product_diff import PortionChange, ProductDiff
from hstc_desk.domain.product_portions import PortionInput, portion_label
from hstc_desk.gui.products.review_diff_text import change_html
from hstc_desk.gui.products.review_text import one_line

KIND_COLOURS = {"changed": "#fff3bf", "added": "#d3f9d8", "removed": "#ffe3e3",
                "moved": "#e7f5ff"}


@lru_cache(maxsize=32)
def _brush(colour: str) -> QBrush:
    return QBrush(QColor(colour))


class ChangesPanel(QWidget):
    portion_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.note = QLabel(objectName="reviewChangesNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = QTableWidget(0, 3, objectName="reviewChanges")
        self.table.setHorizontalHeaderLabels(["Change", "Portion", "What"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 2)
        self.detail = QTextBrowser(objectName="reviewChangeDetail")
        self.detail.setPlaceholderText("Choose a change to see it word by word")
        layout.addWidget(self.detail, 3)
        self._details: list[str] = []
        self._portions: list[PortionInput | None] = []
        self.table.currentCellChanged.connect(lambda row, *_: self.choose(row))

    def show_diff(self, d: ProductDiff) -> None:
        self.table.setRowCount(0)
        self.detail.clear()
        if d.old_version is None:
            self.note.setText(f"No approved version before version {d.new_version}: every "
                              "portion is new.")
        elif not d.changed:
            self.note.setText(f"No change against approved version {d.old_version}.")
        else:
            n = sum(c.kind != "unchanged" for c in d.portions)
            self.note.setText(f"Against approved version {d.old_version}: {n} portion(s) "
                              f"changed, added, moved or removed"
                              + (f"; also {', '.join(d.meta)}" if d.meta else "") + ".")
        rows: list[tuple[str, str, str, str]] = []
        self._details, self._portions = [], []
        for name, (was, now) in d.meta.items():
            label = name.replace("_", " ")
            rows.append(("changed", label, f"{was} → {now}", f"was: {was}\nnow: {now}"))
            self._details.append(change_html(("", str(was)), ("", str(now)), label))
            self._portions.append(None)
        if d.old_banner and d.old_banner != d.new_banner:
            rows.append(("changed", "banner", f"{d.old_banner} → {d.new_banner}", ""))
            self._details.append(change_html(("", d.old_banner), ("", d.new_banner), "banner"))
            self._portions.append(None)
        for c in d.portions:
            if c.kind != "unchanged":
                rows.append(self._row(c))
        self.table.setRowCount(len(rows))
        for r, (kind, where, what, tip) in enumerate(rows):
            for col, text in enumerate((kind, where, what)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip)
                if kind in KIND_COLOURS:
                    cell.setBackground(_brush(KIND_COLOURS[kind]))
                    cell.setForeground(_brush("#000000"))
                self.table.setItem(r, col, cell)
        if rows:
            self.table.setCurrentCell(0, 0)
            self.choose(0)

    def _row(self, c: PortionChange) -> tuple[str, str, str, str]:
        shown = c.new if c.new is not None else c.old
        assert shown is not None
        index = c.new_index if c.new_index is not None else c.old_index
        where = portion_label(index or 0, shown)
        if c.kind == "removed":
            where = "was " + where
        what = one_line(shown, 90)
        if c.kind == "moved" and c.old_index is not None:
            what = f"(from {c.old_index + 1}) {what}"
        if c.fields and c.kind != "added":
            what = f"[{', '.join(c.fields)}] {what}"
        tip = "\n".join(f"{label}: {one_line(x, 400)}" for label, x in
                        (("was", c.old), ("now", c.new)) if x is not None)
        self._details.append(change_html(
            None if c.old is None else (c.old.marking, one_line(c.old, 20000)),
            None if c.new is None else (c.new.marking, one_line(c.new, 20000)),
            f"{where}: {c.kind}"))
        self._portions.append(c.new)  # a removed one is on no page of this version
        return c.kind, where, what, tip

    def choose(self, row: int) -> None:
        """Show change ``row`` word by word and say which portion it is about."""
        if 0 <= row < len(self._details):
            self.detail.setHtml(self._details[row])
        if 0 <= row < len(self._portions):
            self.portion_chosen.emit(self._portions[row])

    def chosen(self) -> None:
        """Say again which portion the current change is about (once the pages have come)."""
        self.choose(self.table.currentRow())
