"""The ordered portions as a list model: a thin adapter over the window's entries (a tuple of
portion_state.Entry). It never changes them itself: a drop (portions moved by drag, or case
items dragged in from the browser) is handed to the window, which pushes an undoable change
and gives the model the new entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from hstc_desk.gui.products.portion_state import KIND_NAMES, Entry, describe, section_banner
from hstc_desk.gui.widgets.item_drag import ITEM_IDS_MIME, ids_from_mime

PORTION_MIME = "application/x-hstc-portion-uids"
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_BANNER_ROLE = Qt.ItemDataRole.UserRole + 2  # a tearline row: its section's roll-up
COMMENTS_ROLE = Qt.ItemDataRole.UserRole + 3  # how many review comments are anchored to it
_Index = QModelIndex | QPersistentModelIndex

MoveHandler = Callable[[list[int], int], None]  # (uids, row to put them before)
CiteHandler = Callable[[list[str], int], None]  # (item ids, row to put them before)


class PortionModel(QAbstractListModel):
    def __init__(self, on_move: MoveHandler, on_cite: CiteHandler, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: tuple[Entry, ...] = ()
        self.comment_counts: dict[str, int] = {}  # portion id -> anchored review comments
        self.on_move = on_move
        self.on_cite = on_cite

    def set_entries(self, entries: tuple[Entry, ...]) -> None:
        """Show ``entries``: one row's change is a dataChanged, anything else a reset."""
        old = self.entries
        if len(old) == len(entries):
            changed = [i for i, (a, b) in enumerate(zip(old, entries, strict=True)) if a is not b]
            if len(changed) == 1 and old[changed[0]].uid == entries[changed[0]].uid:
                self.entries = entries
                index = self.index(changed[0])
                self.dataChanged.emit(index, index)
                return
            if not changed:
                self.entries = entries
                return
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        if role == ENTRY_ROLE:
            return e
        if role == COMMENTS_ROLE:
            return self.comment_counts.get(e.pid, 0)
        if role == SECTION_BANNER_ROLE:
            return section_banner(self.entries, index.row()) if e.kind == "tearline" else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            mark = e.marking or ("not marked" if e.marked else "")
            return f"{mark} {KIND_NAMES[e.kind]}: {describe(e, index.row())}".strip()
        if role == Qt.ItemDataRole.ToolTipRole:
            n = self.comment_counts.get(e.pid, 0)
            return describe(e, index.row()) + (
                f"\n{n} review comment{'s' if n > 1 else ''} on it" if n else "")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled  # between rows, never onto one

    # ---- drag and drop ----

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [PORTION_MIME, ITEM_IDS_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(PORTION_MIME, ",".join(str(self.entries[r].uid) for r in rows).encode())
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: _Index) -> bool:
        return data.hasFormat(PORTION_MIME) or bool(ids_from_mime(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: _Index) -> bool:
        """Hand the drop to the window: portions moved before ``row`` (the end when -1; onto a
        row means before it), or items cited there."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.entries)
        if data.hasFormat(PORTION_MIME):
            raw = bytes(data.data(PORTION_MIME).data()).decode()
            uids = [int(t) for t in raw.split(",") if t.isdigit()]
            if uids:
                self.on_move(uids, row)
                return True
            return False
        ids = ids_from_mime(data)
        if ids:
            self.on_cite(ids, row)
            return True
        return False
