"""The portion list view: one row per portion, reordered by drag (or Alt+Up / Alt+Down), and
a drop target for case items dragged from the browser (each becomes a citation)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from hstc_desk.gui.products.portion_delegate import PortionDelegate
from hstc_desk.gui.products.portion_model import PortionModel


class PortionList(QListView):
    def __init__(self, model: PortionModel, on_step: Callable[[int], None],
                 parent: QWidget | None = None) -> None:
        """``on_step(+1 / -1)``: move the current portion down or up (Alt+Down / Alt+Up)."""
        super().__init__(parent)
        self.setObjectName("portionList")
        self.setAccessibleName("Portions")
        self.setModel(model)
        self.delegate = PortionDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAlternatingRowColors(True)
        self.on_step = on_step

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)  # the model hands the drop to the window
        if event.isAccepted():
            # the window has moved the rows itself; a Move would make the view remove them
            event.setDropAction(Qt.DropAction.CopyAction)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() == Qt.KeyboardModifier.AltModifier and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.on_step(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)
