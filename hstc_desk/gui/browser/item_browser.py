"""The item list: a table over BrowseModel (all items, filtered and sorted in SQL) or, while the
search box holds words, over SearchModel (full-text hits with the matches highlighted)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.gui.browser.column_fit import ColumnFitter
from hstc_desk.gui.browser.filter_bar import FilterBar
from hstc_desk.gui.browser.item_models import COLUMNS, BrowseModel, CaseNames, SearchModel
from hstc_desk.store import Store, browse
from hstc_desk.store.browse import BrowseFilter


def highlight_html(text: str, terms: list[str]) -> str:
    out = html.escape(text)
    for term in sorted(set(terms), key=len, reverse=True):
        out = re.sub(rf"(?i)\b({re.escape(html.escape(term))}\w*)", r"<b><u>\1</u></b>", out)
    return out


def elide_words(text: str, font: QFont, width: int,
                fits: Callable[[str], bool] | None = None) -> str:
    """``text`` cut at the last word boundary that fits ``width`` pixels, ending in an
    ellipsis (mid-word only when even the first word does not fit). ``fits`` measures a
    candidate as it will be drawn; by default, in bold (as highlighted words are), so the cut
    text always fits."""
    bold = QFont(font)
    bold.setBold(True)
    fm = QFontMetrics(bold)
    if fits is None:
        fits = lambda s: fm.horizontalAdvance(s) <= width  # noqa: E731
    if fits(text):
        return text
    ends = [i for i in range(1, len(text)) if text[i] == " " and text[i - 1] != " "]
    lo, hi, best = 0, len(ends) - 1, ""
    while lo <= hi:  # the longest run of whole words that fits with its ellipsis
        mid = (lo + hi) // 2
        candidate = text[:ends[mid]].rstrip(" ,;:-") + "…"
        if fits(candidate):
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best or fm.elidedText(text, Qt.TextElideMode.ElideRight, width)


class HighlightDelegate(QStyledItemDelegate):
    """Paints a cell's text with the search words in bold underline."""

    def __init__(self, model: SearchModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.doc = QTextDocument(self)  # one document, reused for every cell
        self.doc.setDocumentMargin(2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self.doc
        doc.setDefaultFont(opt.font)
        room = opt.rect.width() - 2 * doc.documentMargin() - 2
        terms = self.model.terms

        def fits(candidate: str) -> bool:  # measured as drawn: highlighted words in bold
            doc.setHtml(highlight_html(candidate, terms))
            return doc.idealWidth() <= room

        doc.setHtml(highlight_html(elide_words(text, opt.font, int(room), fits), terms))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(group, role))
        painter.save()
        painter.translate(opt.rect.left(),
                          opt.rect.top() + max(0, (opt.rect.height() - doc.size().height()) / 2))
        ctx.clip = QRectF(0, 0, opt.rect.width(), opt.rect.height())
        painter.setClipRect(ctx.clip)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()


class ItemBrowser(QWidget):
    """Filter bar, count line and the item table. Emits ``current_changed(item_id)``."""

    current_changed = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filters = FilterBar(self)
        self.count_label = QLabel(self, objectName="countLabel")
        self.view = QTableView(self, objectName="itemTable")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows may be selected (to export a selection); the detail follows the current row.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setDragEnabled(True)  # rows drag into a product as citations (ids only)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(22)
        vh.hide()
        hh = self.view.horizontalHeader()
        hh.setSectionsClickable(True)
        hh.setStretchLastSection(False)
        hh.setSortIndicatorShown(True)
        hh.sortIndicatorChanged.connect(self._sort)
        self.browse_model = BrowseModel(store, self)
        self.search_model = SearchModel(store, self)
        self.delegate = HighlightDelegate(self.search_model, self.view)
        self.columns = ColumnFitter(self.view)  # Title stretches; re-fitted on every model
        self._use(self.browse_model)
        hh.blockSignals(True)  # the models already sort by date, newest first
        hh.setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        hh.blockSignals(False)
        self.filters.changed.connect(self.apply_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)
        self.filters.set_originators(browse.originators(store))
        self._update_count()

    @property
    def model(self) -> BrowseModel | SearchModel:
        return self.view.model()  # type: ignore[return-value]

    def _use(self, model: BrowseModel | SearchModel) -> None:
        if self.view.model() is model:
            return
        old = self.view.selectionModel()
        self.view.setModel(model)
        self.view.scrollToTop()  # a new list starts at its top, wherever the last one was
        if old is not None:
            old.deleteLater()
        self.view.setItemDelegateForColumn(1, self.delegate if model is self.search_model
                                           else None)
        self.view.selectionModel().currentRowChanged.connect(self._current)
        self._header_for(model)
        self.columns.fit()  # a new model resets the header's sections

    def _header_for(self, model: BrowseModel | SearchModel) -> None:
        """Search hits keep their own order (the count line says which), so in search mode the
        header shows no sort arrow and does not sort; the item list's arrow shows its order."""
        hh = self.view.horizontalHeader()
        browsing = model is self.browse_model
        hh.setSortIndicatorShown(browsing)
        hh.setSectionsClickable(browsing)
        if browsing:
            order = self.browse_model.order
            column = next(i for i, (key, _) in enumerate(COLUMNS) if key == order.column)
            hh.blockSignals(True)
            hh.setSortIndicator(column, Qt.SortOrder.DescendingOrder if order.descending
                                else Qt.SortOrder.AscendingOrder)
            hh.blockSignals(False)

    def detach(self) -> None:
        """Let go of the store (the session is locking): the view shows nothing."""
        self.view.setModel(None)

    def attach(self, store: Store) -> None:
        """Show ``store`` again with the same filter, sort and search."""
        self.browse_model.set_store(store)
        self.search_model.store = store
        self.search_model.cases = CaseNames(store)
        self.apply_filter(self.filters.current(), self.search_model.ranked)

    def apply_filter(self, flt: BrowseFilter, ranked: bool = False) -> None:
        if flt.text:
            self.search_model.set_filter(flt, ranked=ranked)
            self._use(self.search_model)
        else:
            self.browse_model.set_filter(flt)
            self._use(self.browse_model)
        self._update_count()

    def _update_count(self) -> None:
        m = self.model
        if m is None:
            return
        if isinstance(m, SearchModel):
            # FTS5 streams unranked hits by row id: the latest added first (not by their date)
            order = ("best matches first" if m.ranked
                     else "latest added first; Enter ranks by relevance")
            more = "+" if m.has_more else ""
            self.count_label.setText(f"{len(m.rows)}{more} matches ({order})")
        else:
            self.count_label.setText(f"{m.rowCount():,} items")

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        if self.model is self.browse_model:
            self.browse_model.sort(column, order)
        else:  # never an arrow that does not describe the list
            self._header_for(self.model)

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            item_id = self.model.item_id(current.row())
            if item_id:
                self.current_changed.emit(item_id)

    def select_item(self, item_id: str) -> bool:
        """Select ``item_id`` wherever it is in the list (search results: among those fetched)."""
        row = self.model.row_of(item_id)
        if row is None:
            self.view.clearSelection()
            return False
        self.view.blockSignals(True)
        self.view.selectRow(row)
        self.view.blockSignals(False)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def jump_to_row(self, row: int) -> None:
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, 0)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
        self.view.setCurrentIndex(index)
