"""The drafting window's row of tools: add a paragraph, a heading from the type's template,
a figure (the Movement workspace's views as shown, or a marked PNG), a tearline for a destination
profile; remove and move the selected portion; undo and redo. Each button names its shortcut in
its tooltip and takes Tab focus; the window owns what they do (``DraftingActions``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from hstc_desk import markings
from hstc_desk.domain.product_templates import sections


class DraftingActions(Protocol):
    """What the tools ask of the window."""

    def add_paragraph(self) -> None: ...
    def add_heading(self, text: str) -> None: ...
    def add_tearline(self, code: str, title: str = "") -> bool: ...
    def choose_figure(self) -> None: ...
    def add_figure_from_view(self, view: QWidget) -> bool: ...
    def movement_views(self) -> list[tuple[str, QWidget]]: ...
    def remove_current(self) -> None: ...
    def step_current(self, step: int) -> None: ...


class DraftingTools(QWidget):
    def __init__(self, actions: DraftingActions, stack: QUndoStack, search: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.add_paragraph_button = self._tool("+ Paragraph", "Add a paragraph (Ctrl+Return)",
                                               "addParagraphButton", actions.add_paragraph)
        self.add_heading_button = self._tool("+ Heading", "Add a section heading",
                                             "addHeadingButton")
        self.heading_menu = self._menu(self.add_heading_button)
        self._menu_type = ""
        self.add_figure_button = self._tool("+ Figure", "Place a marked figure: the Movement "
                                            "workspace's timeline or route map as shown, or "
                                            "a PNG it exported (or hstc figure made)",
                                            "addFigureButton")
        self.figure_menu = self._menu(self.add_figure_button)
        self.figure_menu.aboutToShow.connect(self._fill_figure_menu)
        self.add_tearline_button = self._tool("+ Tearline", "Insert a tearline for a "
                                              "destination", "addTearlineButton")
        menu = self._menu(self.add_tearline_button)
        for code, dest in markings.destinations().items():
            menu.addAction(f"{code}: {dest.name}", lambda c=code: actions.add_tearline(c))
        self.remove_button = self._tool("Remove", "Remove the selected portion (Delete)",
                                        "removeButton", actions.remove_current)
        self.up_button = self._tool("↑", "Move the selected portion up (Alt+Up)", "upButton",
                                    lambda: actions.step_current(-1))
        self.down_button = self._tool("↓", "Move the selected portion down (Alt+Down)",
                                      "downButton", lambda: actions.step_current(1))
        self.undo_button = self._tool("Undo", "Undo (Ctrl+Z)", "undoButton", stack.undo)
        self.redo_button = self._tool("Redo", "Redo (Ctrl+Shift+Z)", "redoButton", stack.redo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(stack.canUndo())
        self.redo_button.setEnabled(stack.canRedo())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for b in self.buttons():
            row.addWidget(b)
        row.addSpacing(12)
        row.addWidget(search, 1)

    def buttons(self) -> list[QToolButton]:
        return [self.add_paragraph_button, self.add_heading_button, self.add_figure_button,
                self.add_tearline_button, self.remove_button, self.up_button, self.down_button,
                self.undo_button, self.redo_button]

    def editing_buttons(self) -> list[QToolButton]:
        """The buttons that change the draft (off for a read-only one); undo and redo stay."""
        return self.buttons()[:7]

    def _tool(self, text: str, tip: str, name: str,
              slot: Callable[[], object] | None = None) -> QToolButton:
        b = QToolButton(self, objectName=name, text=text, toolTip=tip)
        b.setAccessibleName(tip)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # tool buttons take Tab focus too
        if slot is not None:
            b.clicked.connect(slot)
        return b

    @staticmethod
    def _menu(button: QToolButton) -> QMenu:
        menu = QMenu(button)
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return menu

    def show_type(self, product_type: str) -> None:
        """The + Heading menu offers the type's template sections."""
        if product_type == self._menu_type:
            return
        self._menu_type = product_type
        self.heading_menu.clear()
        for name in sections(product_type):
            self.heading_menu.addAction(name, lambda n=name: self.actions.add_heading(n))
        self.heading_menu.addSeparator()
        self.heading_menu.addAction("Other heading", lambda: self.actions.add_heading(""))

    def _fill_figure_menu(self) -> None:
        self.figure_menu.clear()
        for name, view in self.actions.movement_views():
            self.figure_menu.addAction(name,
                                       lambda v=view: self.actions.add_figure_from_view(v))
        self.figure_menu.addAction("From a PNG file…", self.actions.choose_figure)
