"""Case items dragged between windows (the browser's table to a product's portions): only the
ids travel, in a type of HSTC Desk's own, so a drop outside the app carries no marked text.

``ItemDragMixin`` gives an item table model with an ``item_id(row)`` method what Qt needs to
start a drag of the selected rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt

ITEM_IDS_MIME = "application/x-hstc-item-ids"
_ID = re.compile(r"^[A-Z]{3}-[0-9a-f]{16}$")
MAX_IDS = 200


def item_mime(ids: Sequence[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData(ITEM_IDS_MIME, "\n".join(dict.fromkeys(ids)).encode())
    return mime


def ids_from_mime(mime: QMimeData) -> list[str]:
    """The item ids a drag carries (well-formed ones only, at most MAX_IDS)."""
    if not mime.hasFormat(ITEM_IDS_MIME):
        return []
    raw = bytes(mime.data(ITEM_IDS_MIME).data()).decode("utf-8", "replace")
    return [t for t in raw.split("\n") if _ID.match(t)][:MAX_IDS]


class ItemDragMixin:
    """Mix into a QAbstractItemModel that has ``item_id(row) -> str | None``."""

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)  # type: ignore[misc]
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [ITEM_IDS_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self.item_id(r) for r in rows]  # type: ignore[attr-defined]
        return item_mime([i for i in ids if i])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction
