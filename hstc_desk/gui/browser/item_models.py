"""Item table models: thin adapters over the store's browse queries (hstc_desk.store.browse).

``BrowseModel`` shows a whole filtered, sorted list: its row count comes from SQL and rows are
fetched in blocks as the view asks for them (a bounded cache), so the scroll bar spans the whole
list and a jump to any row costs one indexed query. ``SearchModel`` shows ranked full-text hits and
grows a keyset page at a time through canFetchMore/fetchMore.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from hstc_desk.gui.widgets.banner import COLOURS
from hstc_desk.gui.widgets.item_drag import ItemDragMixin
from hstc_desk.store import Store, browse
from hstc_desk.store.browse import BrowseFilter, Row, Sort

COLUMNS: tuple[tuple[str, str], ...] = (
    ("kind", "Kind"), ("title", "Title"), ("marking", "Marking"),
    ("originator", "Originator"), ("day", "Date"), ("case", "Case"),
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
MARKING_ROLE = Qt.ItemDataRole.UserRole + 2
_LEVEL_KEY = {0: "U", 1: "C", 2: "S", 3: "TS"}
_Index = QModelIndex | QPersistentModelIndex


class CaseNames:
    """Case id -> "(marking) title" for the case column, fetched a block of ids at a time and
    only for cases this user may see (others show as their id)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.names: dict[str, str] = {}

    def name(self, case_id: str | None, neighbours: list[Row]) -> str:
        if not case_id:
            return ""
        if case_id not in self.names:
            wanted = {r.case_id for r in neighbours if r.case_id} - self.names.keys()
            wanted.add(case_id)
            found = browse.titles_of(self.store, sorted(wanted))
            for cid in wanted:
                self.names[cid] = f"{found[cid][2]} {found[cid][1]}" if cid in found else cid
            if len(self.names) > 20000:
                self.names.clear()
        return self.names.get(case_id, case_id)


# The roles _cell answers. A view asks about a dozen roles per cell on every paint; the others
# are refused before any row is looked up.
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.ForegroundRole, ID_ROLE, MARKING_ROLE})


def _cell(row: Row, column: int, role: int, cases: CaseNames | None = None,
          block: list | None = None) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        if column == 5:
            return cases.name(row.case_id, block or []) if cases else (row.case_id or "")
        return (row.kind.replace("_", " "), row.title, row.marking, row.originator, row.day,
                "")[column]
    if role == Qt.ItemDataRole.ToolTipRole and column == 5:
        return row.case_id
    if role == ID_ROLE:
        return row.id
    if role == MARKING_ROLE:
        return row.marking
    if role == Qt.ItemDataRole.ToolTipRole and column == 1:
        return f"{row.marking} {row.title}"
    if role == Qt.ItemDataRole.ToolTipRole and column == 2:
        return row.marking  # whole, where a narrow column elides it
    if role == Qt.ItemDataRole.ForegroundRole and column == 2:
        key = _LEVEL_KEY.get(row.level, "U")
        return QColor(COLOURS[key][0] if key != "TS" else "#b35f00")
    return None


def _header(section: int, orientation: Qt.Orientation, role: int) -> Any:
    if role != Qt.ItemDataRole.DisplayRole:
        return None
    if orientation == Qt.Orientation.Horizontal:
        return COLUMNS[section][1] if 0 <= section < len(COLUMNS) else None
    return section + 1


class BrowseModel(ItemDragMixin, QAbstractTableModel):
    """The filtered, sorted item list of one store.

    Attributes: ``window`` (the sparse block cache over browse.page), ``filter`` and ``order``
    (the current BrowseFilter and Sort). Rows above the user's clearance never reach it.
    """

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.window = browse.Window(store)
        self.window.reset()
        self.cases = CaseNames(store)

    @property
    def filter(self) -> BrowseFilter:
        return self.window.flt

    @property
    def order(self) -> Sort:
        return self.window.sort

    def set_store(self, store: Store) -> None:
        self.beginResetModel()
        self.window = browse.Window(store, self.window.flt, self.window.sort)
        self.window.reset()
        self.cases = CaseNames(store)
        self.endResetModel()

    def set_filter(self, flt: BrowseFilter) -> None:
        self.beginResetModel()
        self.window.reset(flt=flt)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self.window.flt)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.window.total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        row = self.window.row(index.row())
        if row is None:
            return None
        block = self.window.cached_block(index.row())
        return _cell(row, index.column(), role, self.cases, block)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return _header(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.beginResetModel()
        self.window.reset(sort=Sort(COLUMNS[column][0],
                                    order == Qt.SortOrder.DescendingOrder))
        self.endResetModel()

    def item_id(self, row: int) -> str | None:
        r = self.window.row(row)
        return r.id if r else None

    def row_of(self, item_id: str) -> int | None:
        """The row of an item in the list (fetched or not), or None if the filter hides it."""
        return self.window.find(item_id)


class SearchModel(ItemDragMixin, QAbstractTableModel):
    """Ranked full-text hits for the current filter's text; grows by keyset pages (fetchMore)."""

    PAGE = 100
    NEAR_END = 50  # the next page is fetched once rows this close to the end are looked at

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.cases = CaseNames(store)
        self.filter = BrowseFilter()
        self.rows: list[Row] = []
        self._more = False
        self.terms: list[str] = []
        self.ranked = False
        self._near_end = False

    def set_store(self, store: Store) -> None:
        self.store = store
        self.cases = CaseNames(store)
        self.set_filter(self.filter)

    def set_filter(self, flt: BrowseFilter, *, ranked: bool | None = None) -> None:
        """Show hits for ``flt``: latest added first while typing, best first when ``ranked``."""
        from hstc_desk.store.search import query_terms

        self.beginResetModel()
        self.filter = flt
        if ranked is not None:
            self.ranked = ranked
        self.terms = query_terms(flt.text)
        self.rows = (browse.search_page(self.store, flt, limit=self.PAGE, ranked=self.ranked)
                     if flt.text else [])
        self._more = len(self.rows) == self.PAGE
        self._near_end = False
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if index.row() >= len(self.rows) - self.NEAR_END:
            self._near_end = True
        start = index.row() - index.row() % self.PAGE
        return _cell(self.rows[index.row()], index.column(), role, self.cases,
                     self.rows[start:start + self.PAGE])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return _header(section, orientation, role)

    @property
    def has_more(self) -> bool:
        """More hits exist beyond the rows fetched so far."""
        return self._more

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        # Views ask as soon as a model is set, before the first page is even painted; the next
        # page is worth its query only once the analyst scrolls toward the end.
        return not parent.isValid() and self._more and self._near_end

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or not self.rows:
            return
        self._near_end = False
        last = self.rows[-1]
        more = browse.search_page(self.store, self.filter, after=last.key,
                                  limit=self.PAGE, ranked=self.ranked)
        self._more = len(more) == self.PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows += more
            self.endInsertRows()

    def item_id(self, row: int) -> str | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def row_of(self, item_id: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == item_id), None)
