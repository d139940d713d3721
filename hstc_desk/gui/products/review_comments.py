"""The review view's Portions and comments tab: every portion (number, mark on its colour,
its text in one wrapped line) with its comment, a box that edits the chosen portion's comment,
the overall comment a return needs, and the comments of earlier reviews. ``portion_chosen``
carries the chosen portion, so the view can turn its pages to it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.domain.product_portions import portion_label
from hstc_desk.domain.products import Product
from hstc_desk.gui.products.review_text import escape, one_line
from hstc_desk.gui.widgets.queue_cells import banner_cell, keep_banner_colours

COMMENT_COLUMN = 3
MARK_WIDTH = 110
PID_ROLE = Qt.ItemDataRole.UserRole
EARLIER_SHOWN = 8


class CommentsPanel(QWidget):
    portion_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        hint = QLabel("Choose a portion and type its comment in the box below; the overall "
                      "comment says why the version goes back to draft.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.portions = QTableWidget(0, 4, objectName="reviewPortions")
        self.portions.setHorizontalHeaderLabels(["#", "Mark", "Portion", "Comment"])
        self.portions.verticalHeader().hide()
        self.portions.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                      | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.portions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.portions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.portions.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COMMENT_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.portions.setColumnWidth(COMMENT_COLUMN, 140)
        # a long mark wraps in its narrow column, a portion's line wraps too: nothing is cut
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.portions.setColumnWidth(1, MARK_WIDTH)
        self.portions.setWordWrap(True)
        self.portions.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.portions.currentCellChanged.connect(lambda row, *_: self._chosen(row))
        keep_banner_colours(self.portions, 1)
        layout.addWidget(self.portions, 3)
        self.comment_label = QLabel("Comment on the portion chosen above",
                                    objectName="reviewCommentLabel")
        layout.addWidget(self.comment_label)
        self.comment = QPlainTextEdit(objectName="reviewPortionComment")
        self.comment.setPlaceholderText("Choose a portion, then type what should change in it")
        self.comment.setMaximumHeight(70)
        self.comment.textChanged.connect(self._typed)
        layout.addWidget(self.comment)
        layout.addWidget(QLabel("Overall comment"))
        self.overall = QPlainTextEdit(objectName="reviewOverall")
        self.overall.setPlaceholderText("Why this version goes back to draft")
        self.overall.setMaximumHeight(90)
        layout.addWidget(self.overall)
        self.earlier = QLabel(objectName="reviewEarlierComments")
        self.earlier.setWordWrap(True)
        self.earlier.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.earlier)
        self.product: Product | None = None
        self._row = -1

    def show_product(self, p: Product, earlier: list) -> None:
        """``earlier``: the product's comments (product_history.CommentInfo), oldest first."""
        self.product = p
        self._row = -1
        self.portions.setRowCount(len(p.portions))
        for r, portion in enumerate(p.portions):
            cells = [QTableWidgetItem(str(r + 1)), banner_cell(portion.marking),
                     QTableWidgetItem(one_line(portion, 120)), QTableWidgetItem("")]
            cells[1].setText(portion.marking)
            for c, cell in enumerate(cells):
                if c != COMMENT_COLUMN:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                cell.setData(PID_ROLE, portion.pid)
                self.portions.setItem(r, c, cell)
        if earlier:
            lines = [f"v{c.version} {c.comment.who} {c.comment.when:%Y-%m-%d %H:%M}"
                     + (f" on {c.portion_label}" if c.portion_label else "")
                     + f": {escape(c.comment.text)}" for c in earlier[-EARLIER_SHOWN:]]
            self.earlier.setText("<b>Earlier comments</b><br>" + "<br>".join(lines))
        else:
            self.earlier.setText("")

    def set_open(self, is_open: bool) -> None:
        """Comments can be typed only while the reviewer may return the version."""
        self.overall.setReadOnly(not is_open)
        self.comment.setEnabled(is_open and self._row >= 0)

    def anchored_comments(self) -> list[tuple[str, str]]:
        """The (portion id, text) of every portion with a comment typed in."""
        out = []
        for r in range(self.portions.rowCount()):
            cell = self.portions.item(r, COMMENT_COLUMN)
            text = cell.text().strip() if cell is not None else ""
            if text:
                out.append((cell.data(PID_ROLE), text))
        return out

    def _chosen(self, row: int) -> None:
        """The comment box edits the chosen portion's comment; the pages turn to it."""
        self._row = row
        p = self.product
        cell = self.portions.item(row, COMMENT_COLUMN) if row >= 0 else None
        self.comment.blockSignals(True)
        self.comment.setPlainText("" if cell is None else cell.text())
        self.comment.blockSignals(False)
        self.comment.setEnabled(cell is not None and not self.overall.isReadOnly())
        if cell is not None and p is not None and row < len(p.portions):
            self.comment_label.setText(f"Comment on {portion_label(row, p.portions[row])}")
            self.portion_chosen.emit(p.portions[row])

    def _typed(self) -> None:
        cell = self.portions.item(self._row, COMMENT_COLUMN) if self._row >= 0 else None
        if cell is not None:
            cell.setText(self.comment.toPlainText())
