"""The case tree: cases (newest first, paged with fetchMore), each opening onto its item kinds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from hstc_desk.store import Store, browse

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


class CaseTreeModel(QAbstractItemModel):
    """Top level: cases (browse.cases_page, keyset pages); children: (kind, count) of each case,
    loaded when the case is expanded. ``internalId`` is 0 for a case, case row + 1 for a kind."""

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.cases: list[browse.CaseRow] = []
        self.kinds: dict[int, list[tuple[str, int]]] = {}
        self._more = True
        self.fetchMore(QModelIndex())

    def set_store(self, store: Store) -> None:
        self.beginResetModel()
        self.store = store
        self.cases, self.kinds, self._more = [], {}, True
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self.cases) else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        kinds = self.kinds.get(parent.row(), [])
        return self.createIndex(row, 0, parent.row() + 1) if row < len(kinds) else QModelIndex()

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.cases)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self.kinds.get(parent.row(), []))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return bool(self.cases)
        return parent.internalId() == 0 and parent.column() == 0 and (
            parent.row() not in self.kinds or bool(self.kinds[parent.row()]))

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return self._more
        return parent.internalId() == 0 and parent.row() not in self.kinds

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            if not self._more:
                return
            after = (self.cases[-1].day, self.cases[-1].rid) if self.cases else None
            more = browse.cases_page(self.store, after=after)
            self._more = len(more) == browse.PAGE
            if more:
                self.beginInsertRows(QModelIndex(), len(self.cases),
                                     len(self.cases) + len(more) - 1)
                self.cases += more
                self.endInsertRows()
            return
        if parent.internalId() != 0 or parent.row() in self.kinds:
            return
        kinds = browse.case_kinds(self.store, self.cases[parent.row()].id)
        if kinds:
            self.beginInsertRows(parent, 0, len(kinds) - 1)
            self.kinds[parent.row()] = kinds
            self.endInsertRows()
        else:
            self.kinds[parent.row()] = kinds

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            case = self.cases[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{case.marking} {case.title}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{case.id}, opened {case.day}"
            if role == CASE_ROLE:
                return case.id
            return None
        case_row = index.internalId() - 1
        kind, n = self.kinds[case_row][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{kind.replace('_', ' ')} ({n})"
        if role == CASE_ROLE:
            return self.cases[case_row].id
        if role == KIND_ROLE:
            return kind
        return None
