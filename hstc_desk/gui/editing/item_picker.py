"""Pick an item by its title instead of typing its id.

Type words of the title: up to ``ItemPicker.LIMIT`` matches (full-text, best first, only what the
user may see) drop down under the field as "(portion mark) title · id"; Down and Up move, Enter
or a click picks, Esc closes. With the field empty, Down lists the newest items. Each query is
one limited page; the picker never loads a whole table. A pasted item id is looked up as it is.

``bind_to`` puts a picker in place of a form's id line edit and keeps the two in step, so code
(and tests) that read or set the id field still work.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.domain.ids import KIND_PREFIX
from hstc_desk.store import Store, browse
from hstc_desk.store.browse import BrowseFilter, Sort

ID_ROLE = Qt.ItemDataRole.UserRole + 1
_ID = re.compile(r"^(PER|ORG|LOC|DOC|EVT|LEG|RPT|CAS)-[0-9a-f]{16}$")
Match = tuple[str, str, str]  # (item id, portion mark, title)
POPUP_MAX_WIDTH = 760
HINT = "Type words of the title; Down lists matches, Enter picks."


class ItemPicker(QWidget):
    """Emits ``picked(item_id)`` when the user picks an item, ``picked("")`` when they clear
    the choice or start typing another."""

    picked = Signal(str)
    # the marked titles on show changed: the list dropped down or closed (hosts re-banner)
    shown_changed = Signal()
    LIMIT = 20
    DEBOUNCE_MS = 150

    def __init__(self, store: Store | Callable[[], Store], *, kinds: tuple[str, ...] = (),
                 placeholder: str = "Type words of the title…", info: bool = True,
                 parent: QWidget | None = None) -> None:
        """``info``: a line under the field with hints and the picked id (False where room is
        short; the id is then in the field's tooltip, as it always is)."""
        super().__init__(parent)
        # a callable for a session's store, which is another object after each unlock
        self._store: Callable[[], Store] = store if callable(store) else lambda: store
        self.kinds = kinds
        self.item_id = ""
        self.rows: list[Match] = []
        self.edit = QLineEdit(self, objectName="pickerEdit", placeholderText=placeholder,
                              clearButtonEnabled=True)
        self.info = QLabel(HINT, self, objectName="pickerInfo")
        self.info.setStyleSheet("color: #555;")
        self.info.setWordWrap(True)
        self.info.setVisible(info)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.edit)  # the picker, not the completer, sets the text
        self.completer.activated[QModelIndex].connect(self._activated)
        self.completer.popup().installEventFilter(self)  # its showing and hiding
        self._debounce = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.search(self.edit.text()))
        self.edit.textEdited.connect(self._typed)
        self.edit.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.info)
        self.setFocusProxy(self.edit)

    def store(self) -> Store:
        return self._store()

    # ---- querying ----

    def matches(self, text: str) -> list[Match]:
        """At most LIMIT visible items for ``text`` as (id, portion mark, title): the best
        title matches, the item itself for a pasted id, the newest with no text."""
        text = text.strip()
        flt = BrowseFilter(kinds=self.kinds, text=text)
        if _ID.match(text):
            info = browse.titles_of(self._store(), [text]).get(text)
            wanted = not self.kinds or text[:3] in {KIND_PREFIX.get(k) for k in self.kinds}
            return [(text, info[2], info[1])] if info is not None and wanted else []
        rows = (browse.search_page(self._store(), flt, limit=self.LIMIT, ranked=True) if text
                else browse.page(self._store(), flt, Sort(), limit=self.LIMIT))
        return [(r.id, r.marking, r.title) for r in rows]

    def search(self, text: str) -> list[Match]:
        """Run the query for ``text`` and drop its matches down under the field."""
        self.rows = self.matches(text)
        self.model.clear()
        for item_id, mark, title in self.rows:
            entry = QStandardItem(f"{mark} {title}  ·  {item_id}")
            entry.setData(item_id, ID_ROLE)
            entry.setToolTip(f"{mark} {title}\n{item_id}")
            entry.setEditable(False)
            self.model.appendRow(entry)
        if self.rows:
            popup = self.completer.popup()  # wide enough for the ids, within reason
            fm = popup.fontMetrics()
            widest = max(fm.horizontalAdvance(self.model.item(r).text())
                         for r in range(self.model.rowCount()))
            popup.setMinimumWidth(min(POPUP_MAX_WIDTH, widest + 40))
            if popup.isVisible():
                self.shown_changed.emit()  # other matches in a list already open
            self.info.setText(f"{len(self.rows)}{'+' if len(self.rows) == self.LIMIT else ''} "
                              "matches: Down and Enter to pick.")
            self.completer.complete()
        else:
            self.info.setText("No visible item matches." if text.strip() else HINT)
            self.completer.popup().hide()
        return self.rows

    # ---- choosing ----

    def choose(self, index: int) -> str:
        """Pick the ``index``-th match (as Enter on it would)."""
        item_id = self.rows[index][0]
        self.set_item(item_id)
        self.picked.emit(item_id)
        return item_id

    def _activated(self, index: QModelIndex) -> None:
        item_id = str(index.data(ID_ROLE) or "")
        if item_id:
            self.set_item(item_id)
            self.picked.emit(item_id)

    def set_item(self, item_id: str) -> None:
        """Show ``item_id`` as the choice (no signal): its portion mark and title."""
        self.item_id = item_id
        if not item_id:
            self.edit.setToolTip("")
            self.edit.clear()
            self.info.setText(HINT)
            return
        info = browse.titles_of(self._store(), [item_id]).get(item_id)
        if info is None:
            self.edit.setText(item_id)
            self.info.setText("Not an item you can see.")
        else:
            self.edit.setText(f"{info[2]} {info[1]}")
            self.edit.setCursorPosition(0)
            self.info.setText(item_id)
        self.edit.setToolTip(item_id)

    def _typed(self, _text: str) -> None:
        if self.item_id:  # typing replaces the choice
            self.item_id = ""
            self.picked.emit("")
        self._debounce.start()

    def listed_marks(self) -> list[str]:
        """The portion marks of the matches on show in the dropped-down list (none when it is
        closed): the window around the picker must banner them too while they are shown."""
        return [m for _id, m, _t in self.rows] if self.completer.popup().isVisible() else []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.completer.popup() and event.type() in (QEvent.Type.Show,
                                                                  QEvent.Type.Hide):
            self.shown_changed.emit()
            return False
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]  # a QKeyEvent
            popup = self.completer.popup()
            if key == Qt.Key.Key_Down and not popup.isVisible():
                self._debounce.stop()
                self.search("" if self.item_id else self.edit.text())
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._debounce.isActive():
                self._debounce.stop()  # Enter before the list came: show it first
                self.search(self.edit.text())
                return True
        return False


def bind_to(picker: ItemPicker, edit: QLineEdit, layout: QLayout) -> ItemPicker:
    """Show ``picker`` where ``edit`` (an id field) was in ``layout``; ``edit`` stays, hidden,
    holding the picked id: a pick sets it, and setting it shows that item in the picker."""
    layout.replaceWidget(edit, picker)
    edit.hide()
    picker.destroyed.connect(edit.deleteLater)  # a form rebuilt drops the pair together
    picker.set_item(edit.text().strip())
    edit.textChanged.connect(lambda text: text.strip() != picker.item_id
                             and picker.set_item(text.strip()))
    picker.picked.connect(lambda item_id: edit.text() != item_id and edit.setText(item_id))
    label = layout.labelForField(picker) if hasattr(layout, "labelForField") else None
    if isinstance(label, QLabel):
        label.setBuddy(picker.edit)
    return picker


def add_to(picker: ItemPicker, edit: QLineEdit, form: QFormLayout) -> ItemPicker:
    """Put ``picker`` on a row of its own under ``edit``, a field of comma-separated ids: each
    pick is added to the list (once), and the picker clears for the next. The list stays
    editable, and its tooltip names each id's item."""
    row, _role = form.getWidgetPosition(edit)
    form.insertRow(row + 1, "", picker)

    def add(item_id: str) -> None:
        if not item_id:
            return
        ids = [t.strip() for t in edit.text().split(",") if t.strip()]
        if item_id not in ids:
            edit.setText(", ".join([*ids, item_id]))
        picker.set_item("")

    def name_them(text: str) -> None:
        ids = [t.strip() for t in text.split(",") if t.strip()][:ItemPicker.LIMIT]
        found = browse.titles_of(picker.store(), ids) if ids else {}
        edit.setToolTip("\n".join(f"{found[i][2]} {found[i][1]}" if i in found
                                  else f"{i} (not an item you can see)" for i in ids))

    picker.picked.connect(add)
    edit.textChanged.connect(name_them)
    name_them(edit.text())
    return picker
