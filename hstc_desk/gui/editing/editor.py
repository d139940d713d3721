"""The caveat-marked item editor: every kind, portions each with its own mark, the item marking
as their roll-up (never below them), inline validation, undo/redo, and import conflicts.

Undo works on snapshots of the form's state: each change pushes (before, after); typing in one
field merges into one step. Loading someone else's version is a step too, so undo returns the
analyst's own text: nothing is lost.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.domain import KINDS, DomainError, Item, new_id, parse_item
from hstc_desk.gui.editing.item_fields import KindFields
from hstc_desk.gui.editing.item_picker import ItemPicker, add_to, bind_to
from hstc_desk.gui.editing.marking_picker import MarkingPicker
from hstc_desk.gui.forms.ui_item_editor import Ui_ItemEditor
from hstc_desk.gui.session.session import Session
from hstc_desk.gui.widgets.banner import Banners, clearance_banner
from hstc_desk.markings import MarkingError
from hstc_desk.store import StoreError, browse

State = dict[str, Any]
# The editor's own keys (what, keys, slot): made into shortcuts here, listed by Help too.
EDITOR_KEYS: tuple[tuple[str, QKeySequence.StandardKey | str, str], ...] = (
    ("Undo", QKeySequence.StandardKey.Undo, "undo"), ("Redo", "Ctrl+Shift+Z", "redo"),
    ("Save", QKeySequence.StandardKey.Save, "save"))
FIELDS_MIN_HEIGHT = 60  # the kind's fields: at least two rows before they scroll
# the kind of item an id field of a kind refers to (what its picker offers)
ID_FIELD_KINDS = {"holder_id": ("person",), "location_id": ("location",),
                  "from_location_id": ("location",), "to_location_id": ("location",),
                  "network_id": ("organization",), "participant_ids": ("person",)}
_TEXT_KEYS = ("title", "originator", "case_id", "raise", "fields", "portion_text")


class SnapshotCommand(QUndoCommand):
    def __init__(self, editor: ItemEditor, before: State, after: State, key: str) -> None:
        super().__init__(f"edit {key}")
        self.editor, self.before, self.after, self.key = editor, before, after, key
        self._first = True

    def id(self) -> int:
        return 1 if self.key in _TEXT_KEYS else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SnapshotCommand) or other.key != self.key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._first:  # the widgets already show it
            self._first = False
            return
        self.editor.apply_state(self.after)

    def undo(self) -> None:
        self.editor.apply_state(self.before)


def rollup_portion(marks: list[str]) -> str:
    """The roll-up of markings, canonical; one distinct marking stands as it is (so a REL TO
    group code such as FVEY is not spelled out when nothing narrows it)."""
    distinct = sorted({markings.parse(m).portion() for m in marks})
    if len(distinct) == 1:
        return distinct[0]
    return markings.rollup(markings.parse(m) for m in distinct).portion()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class ItemEditor(QDialog):
    """Create (``item`` None) or edit an item. Emits ``saved(item_id)``."""

    saved = Signal(str)

    def __init__(self, session: Session, item: Item | None = None, *, kind: str = "person",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ItemEditor()
        self.ui.setupUi(self)
        self.session = session
        self.original = item
        self.base_version = item.version if item else None
        self.item_id = item.id if item else None
        self.undo_stack = QUndoStack(self)
        self.ask_before_close = True  # False only where no analyst is there to answer (tests)
        self._discarded = False
        self._applying = False
        self._state: State = {}
        self.picker = MarkingPicker(self.ui.pickerHost)
        self.picker.setObjectName("portionPicker")
        self.picker.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.ui.pickerHostLayout.addWidget(self.picker)
        for k in KINDS:
            self.ui.kindCombo.addItem(k.replace("_", " ").capitalize(), k)
        self.ui.restrictionCombo.addItem("none", "none")
        self.ui.restrictionCombo.addItem("leads only (intelligence information)", "leads_only")
        self.ui.conflictFrame.hide()
        self.fields: KindFields | None = None
        self._fields_kind = ""
        # The case is picked by its title; the id field stays, hidden, holding the case's id.
        self.case_picker = bind_to(
            ItemPicker(lambda: session.store, kinds=("case",),
                       placeholder="Type words of the case's title (optional)", info=False,
                       parent=self),
            self.ui.caseEdit, self.ui.commonForm)
        self.case_picker.setObjectName("casePicker")
        self.case_picker.shown_changed.connect(self.validate)  # re-banner what it lists
        self.case_picker.picked.connect(lambda _id: self._changed("case_id"))
        # banners top and bottom: the roll-up of the portions (the system high until they roll up)
        self.system_high = clearance_banner(session.store.accreditation)
        self.banners = Banners(self, self.system_high)
        self.banner = self.banners.top
        self.ui.portionList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.ui.portionEditLayout.setStretch(0, 1)  # the text grows, the picker stays compact
        # The kind's fields scroll when the screen is short (1280x800), so the whole editor,
        # portions, picker and buttons included, fits on it; on a tall screen nothing scrolls.
        self.fields_scroll = QScrollArea(self, objectName="fieldsScroll")
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setMinimumHeight(FIELDS_MIN_HEIGHT)
        self.ui.mainLayout.replaceWidget(self.ui.fieldsBox, self.fields_scroll)
        self.fields_scroll.setWidget(self.ui.fieldsBox)

        self.ui.undoButton.clicked.connect(self.undo_stack.undo)
        self.ui.redoButton.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.ui.undoButton.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.ui.redoButton.setEnabled)
        self.ui.undoButton.setEnabled(False)
        self.ui.redoButton.setEnabled(False)
        slots = {"undo": self.undo_stack.undo, "redo": self.undo_stack.redo, "save": self.save}
        for _what, keys, slot in EDITOR_KEYS:
            QShortcut(QKeySequence(keys), self, slots[slot])
        self.ui.saveButton.clicked.connect(self.save)
        self.ui.cancelButton.clicked.connect(self.close)
        self.ui.keepMineButton.clicked.connect(self.keep_mine)
        self.ui.takeTheirsButton.clicked.connect(self.take_theirs)

        state = self._state_of(item) if item else self._blank(kind)
        self.apply_state(state)
        self.ui.kindCombo.setEnabled(item is None)
        self.ui.kindCombo.currentIndexChanged.connect(lambda: self._changed("kind"))
        self.ui.titleEdit.textEdited.connect(lambda: self._changed("title"))
        self.ui.originatorEdit.textEdited.connect(lambda: self._changed("originator"))
        self.ui.caseEdit.textEdited.connect(lambda: self._changed("case_id"))
        self.ui.raiseEdit.textEdited.connect(lambda: self._changed("raise"))
        self.ui.restrictionCombo.currentIndexChanged.connect(lambda: self._changed("restriction"))
        self.ui.portionText.textChanged.connect(lambda: self._changed("portion_text"))
        self.picker.changed.connect(lambda _p: self._changed("portion_marking"))
        self.ui.portionList.currentRowChanged.connect(self._select_portion)
        self.ui.addPortionButton.clicked.connect(self.add_portion)
        self.ui.removePortionButton.clicked.connect(self.remove_portion)
        self.setWindowTitle(f"Edit {item.id}" if item else "New item")
        self.validate()

    # ---- state ----

    def _blank(self, kind: str) -> State:
        # Nothing is marked for the analyst: a new portion has no marking until one is picked.
        return {"kind": kind, "title": "", "originator": "", "case_id": "",
                "restriction": "none", "raise": "", "fields": {},
                "portions": [["", ""]], "current": 0}

    def _state_of(self, item: Item) -> State:
        data = item.model_dump()
        rolled = rollup_portion([p.marking for p in item.portions] or [item.marking])
        return {"kind": item.kind, "title": item.title, "originator": item.originator,
                "case_id": item.case_id or "", "restriction": item.use_restriction,
                "raise": "" if rolled == item.marking else item.marking,
                "fields": KindFields.texts_of(data, item.kind),
                "portions": [[p.marking, p.text] for p in item.portions] or [[item.marking, ""]],
                "current": 0}

    def state(self) -> State:
        s = dict(self._state)
        s["portions"] = [list(p) for p in self._state.get("portions", [])]
        s.update(kind=self.ui.kindCombo.currentData(), title=self.ui.titleEdit.text(),
                 originator=self.ui.originatorEdit.text(), case_id=self.ui.caseEdit.text(),
                 restriction=self.ui.restrictionCombo.currentData(),
                 raise_=None)
        s.pop("raise_")
        s["raise"] = self.ui.raiseEdit.text()
        s["fields"] = self.fields.texts() if self.fields else {}
        cur = s.get("current", 0)
        if 0 <= cur < len(s["portions"]):
            s["portions"][cur] = [self.picker.portion() or s["portions"][cur][0],
                                  self.ui.portionText.toPlainText()]
        return s

    def apply_state(self, s: State) -> None:
        self._applying = True
        try:
            # the fields shown are those of the kind they were built for (not _state's, which
            # a change of kind has already updated when it gets here)
            kind_changed = self.fields is None or s["kind"] != self._fields_kind
            self.ui.kindCombo.setCurrentIndex(self.ui.kindCombo.findData(s["kind"]))
            if kind_changed:
                self.fields = KindFields(self.ui.fieldsForm, s["kind"], self.ui.fieldsBox)
                self._fields_kind = s["kind"]
                for w in self.fields.widgets.values():
                    for sig in ("textEdited", "currentIndexChanged", "toggled"):
                        if hasattr(w, sig):
                            getattr(w, sig).connect(lambda *_: self._changed("fields"))
                self._id_pickers()
            assert self.fields is not None
            self.fields.set_texts(s["fields"])
            for edit, key in ((self.ui.titleEdit, "title"), (self.ui.originatorEdit, "originator"),
                              (self.ui.caseEdit, "case_id"), (self.ui.raiseEdit, "raise")):
                if edit.text() != s[key]:
                    edit.setText(s[key])
            self.ui.restrictionCombo.setCurrentIndex(
                self.ui.restrictionCombo.findData(s["restriction"]))
            lst = self.ui.portionList
            lst.clear()
            for mark, text in s["portions"]:
                lst.addItem(QListWidgetItem(self._portion_label(mark, text)))
            cur = min(s["current"], len(s["portions"]) - 1)
            lst.setCurrentRow(cur)
            mark, text = s["portions"][cur]
            self.picker.set_marking(mark)
            if self.ui.portionText.toPlainText() != text:
                self.ui.portionText.setPlainText(text)
            self._state = {**s, "portions": [list(p) for p in s["portions"]], "current": cur}
        finally:
            self._applying = False
        self.validate()

    @staticmethod
    def _portion_label(mark: str, text: str) -> str:
        short = text.replace("\n", " ")
        return f"{mark or '(not marked)'} {short[:40]}{'…' if len(short) > 40 else ''}"

    def _changed(self, key: str) -> None:
        if self._applying:
            return
        before = self._state
        after = self.state()
        if after == before:
            return
        self._state = after
        cur = after["current"]
        item = self.ui.portionList.item(cur)
        if item is not None:
            item.setText(self._portion_label(*after["portions"][cur]))
        if key == "kind":
            self.apply_state(after)
        self.undo_stack.push(SnapshotCommand(self, before, after, key))
        self.validate()

    def _select_portion(self, row: int) -> None:
        if self._applying or row < 0:
            return
        s = self.state()
        s["current"] = row
        self.apply_state(s)

    def add_portion(self) -> None:
        before = self.state()
        after = {**before, "portions": [*before["portions"], ["", ""]]}  # marked by the analyst
        after["current"] = len(after["portions"]) - 1
        self.apply_state(after)
        self.undo_stack.push(SnapshotCommand(self, before, after, "portions"))
        self.ui.portionText.setFocus()

    def remove_portion(self) -> None:
        before = self.state()
        if len(before["portions"]) <= 1:
            return
        portions = [p for i, p in enumerate(before["portions"]) if i != before["current"]]
        after = {**before, "portions": portions, "current": max(0, before["current"] - 1)}
        self.apply_state(after)
        self.undo_stack.push(SnapshotCommand(self, before, after, "portions"))

    # ---- marking and validation ----

    def unmarked_portion(self) -> int | None:
        """The index of the first portion still waiting for its marking (one with text, or the
        only one), or None when every portion is marked."""
        portions = self._state["portions"]
        for index, (mark, text) in enumerate(portions):
            if not mark and (text.strip() or len(portions) == 1):
                return index
        return None

    def item_marking(self) -> str:
        """The roll-up of the portions, raised to the analyst's floor; raises MarkingError, or
        ValueError naming the portion that is not marked yet (nothing is marked by default)."""
        s = self._state
        missing = self.unmarked_portion()
        if missing is not None:
            raise ValueError(f"Portion {missing + 1} is not marked: choose its classification "
                             "in the marking picker (nothing is marked for you).")
        only = len(s["portions"]) == 1
        marks = [m for m, t in s["portions"] if m and (t.strip() or only)]
        if s["raise"].strip():
            marks.append(s["raise"])
        if not marks:
            raise ValueError("Write a portion and choose its marking.")
        return rollup_portion(marks)

    def build(self) -> Item:
        """The item the form describes; raises DomainError, MarkingError or ValueError."""
        s = self.state()
        self._state = s
        assert self.fields is not None
        portions = [{"marking": m, "text": t} for m, t in s["portions"] if t.strip()]
        now = _now()
        data: dict[str, Any] = {}
        if self.original is not None:
            data = self.original.model_dump()
            data["version"] = (self.base_version or self.original.version) + 1
            data["updated"] = max(now, self.original.created)
        else:
            data = {"id": self.item_id or new_id(s["kind"]), "kind": s["kind"], "version": 1,
                    "created": now, "updated": now}
            self.item_id = data["id"]
        data.update(self.fields.values())
        data.update(title=s["title"].strip(), originator=s["originator"].strip(),
                    case_id=s["case_id"].strip() or None, use_restriction=s["restriction"],
                    portions=portions, marking=self.item_marking())
        return parse_item(data)

    def shown_marking(self, item_mark: str) -> markings.Marking:
        """What the editor shows: the item's roll-up, and the marked title of every item its
        pickers show (its case, a document's holder, an event's place...)."""
        shown = [item_mark]
        ids = [p.item_id for p in self.findChildren(ItemPicker) if p.item_id]
        for name, widget in (self.fields.widgets.items() if self.fields else ()):
            if name.endswith("_ids") and isinstance(widget, QLineEdit):  # titled in a tooltip
                ids += [i.strip() for i in widget.text().split(",") if i.strip()][:50]
        if ids and not self.session.is_locked:
            shown += [info[2] for info in browse.titles_of(self.session.store, ids).values()]
        # and, while a picker's list is dropped down, the marked titles it lists
        shown += [m for p in self.findChildren(ItemPicker) for m in p.listed_marks()]
        return markings.rollup(markings.parse(m) for m in shown)

    def validate(self) -> str:
        try:
            self.ui.itemMarkingLabel.setText("not marked yet")
            self.banners.set_marking(self.system_high)  # until the portions roll up
            mark = self.item_marking()
            self.ui.itemMarkingLabel.setText(markings.parse(mark).banner())
            self.banners.set_marking(self.shown_marking(mark))
            error = self.picker.error()
            if not error:
                self.build()
        except (MarkingError, DomainError, ValueError) as exc:
            error = str(exc)
        self.ui.errorLabel.setText(error)
        return error

    # ---- saving and conflicts ----

    def save(self) -> bool:
        if self.session.is_locked:
            return False
        error = self.validate()
        if error:
            return False
        item = self.build()
        store = self.session.store
        stored = browse.item_version(store, item.id)
        if self.base_version is not None and stored != self.base_version:
            self.show_conflict(stored)
            return False
        try:
            store.save_item(item, expected_version=self.base_version)
        except StoreError as exc:
            self.ui.errorLabel.setText(str(exc))
            return False
        self.original = item
        self.base_version = item.version
        self.ui.kindCombo.setEnabled(False)
        self.undo_stack.setClean()
        self.ui.conflictFrame.hide()
        self.ui.errorLabel.setText("")
        self.setWindowTitle(f"Edit {item.id} (saved, version {item.version})")
        self.saved.emit(item.id)
        return True

    def check_conflict(self) -> bool:
        """True (and the banner shown) when the store moved on since the editor opened."""
        if self.session.is_locked or self.base_version is None or self.item_id is None:
            return False
        stored = browse.item_version(self.session.store, self.item_id)
        if stored is not None and stored != self.base_version:
            self.show_conflict(stored)
            return True
        return False

    def show_conflict(self, stored: int | None) -> None:
        self.ui.conflictLabel.setText(
            f"{self.item_id} was changed while it was open (the store now holds version "
            f"{stored}; you started from version {self.base_version}). Choose: save your "
            "version on top of it, or load theirs (Undo brings yours back).")
        self.ui.conflictFrame.show()

    def keep_mine(self) -> None:
        assert self.item_id is not None
        theirs = self.session.store.get_item(self.item_id)
        self.original, self.base_version = theirs, theirs.version
        self.ui.conflictFrame.hide()
        self.save()

    def take_theirs(self) -> None:
        assert self.item_id is not None
        theirs = self.session.store.get_item(self.item_id)
        before = self.state()
        after = self._state_of(theirs)
        self.original, self.base_version = theirs, theirs.version
        self.apply_state(after)
        self.undo_stack.push(SnapshotCommand(self, before, after, "load theirs"))
        self.ui.conflictFrame.hide()

    def _id_pickers(self) -> None:
        """A field holding one item's id (a document's holder, an event's place, a leg's ends
        and network) is picked by title too; its line edit stays, hidden, holding the id. A
        list of ids (an event's participants) gets a picker under it that adds to the list."""
        assert self.fields is not None
        self.id_pickers: dict[str, ItemPicker] = {}
        for name, widget in self.fields.widgets.items():
            if not name.endswith(("_id", "_ids")) or not isinstance(widget, QLineEdit):
                continue
            picker = ItemPicker(lambda: self.session.store, kinds=ID_FIELD_KINDS.get(name, ()),
                                info=False, parent=self.ui.fieldsBox)
            if name.endswith("_ids"):  # a list: add each by title under the ids
                picker.edit.setPlaceholderText("Add one: type words of its title")
                add_to(picker, widget, self.ui.fieldsForm)
            else:
                bind_to(picker, widget, self.ui.fieldsForm)
            picker.setObjectName(f"{name}Picker")
            picker.picked.connect(lambda _id: self._changed("fields"))
            self.id_pickers[name] = picker
            picker.shown_changed.connect(self.validate)  # re-banner what it lists

    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean() and not self._discarded

    def may_close(self) -> bool:
        """True when the editor may close: nothing is unsaved, or the analyst chose Save (and it
        saved) or Discard. Cancel, or a save that fails (its reason shown), keeps it open."""
        if not self.is_dirty() or not self.ask_before_close:
            return True
        if self.session.is_locked:
            return False  # nothing can be saved, nor decided, without the password
        self.show()
        self.raise_()
        self.activateWindow()
        box = QMessageBox(QMessageBox.Icon.Warning, f"Unsaved edits — {self.windowTitle()}",
                          "This editor holds unsaved edits.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedEditsBox")
        box.setInformativeText("Save them, discard them, or cancel to keep editing.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        answer = box.exec()
        if self.session.is_locked:
            return False  # it locked while the question was open: nothing is decided
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._discarded = True
            return True
        return False

    def reject(self) -> None:
        """Close, the window's close box and QDialog's own closing all come here."""
        if self.may_close():
            super().reject()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.ignore()  # Esc must not throw away unsaved work; Close does, after asking
            return
        super().keyPressEvent(event)
