"""The drafting window (issue 11 §1, DESIGN §5): one product draft, composed of parts that each
own one job: the head (type, title and its mark, authority block: drafting_header), the ordered
portions (portion_model / portion_list / portion_delegate), the selected portion's editor
(portion_editor), and here the actions, the banners, undo, the rules and autosave.

Every change is a new DraftState pushed on a QUndoStack (Ctrl+Z / Ctrl+Shift+Z). Before it is
pushed it is checked: a portion under a tearline must be releasable to the tearline's
destination, and no marking the store holds may be lowered; a refused change is not made and
the window says which portion and which rule. The banners top and bottom are the live roll-up
of the title and every portion (and of the marked titles a search list shows while it is open).
Citing a leads-only item puts the use restriction on the product and states it. The draft is
saved into the store a few seconds after each change, with Ctrl+S, and on close.

``open_draft`` is the entry point the Products menu uses.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.product_portions import new_portion_id
from hstc_desk.domain.product_tearlines import problems as tearline_problems
from hstc_desk.domain.product_templates import TYPE_LABELS
from hstc_desk.domain.products import ReviewComment
from hstc_desk.gui.browser.detail_pane import LEADS_ONLY
from hstc_desk.gui.editing.item_picker import ItemPicker
from hstc_desk.gui.products.drafting_commands import StateChange, UndoKeys
from hstc_desk.gui.products.drafting_header import DraftingHeader
from hstc_desk.gui.products.drafting_rules import moved, refusal
from hstc_desk.gui.products.drafting_store import DraftSaver, NotReady, new_state, state_of
from hstc_desk.gui.products.drafting_tools import DraftingTools
from hstc_desk.gui.products.portion_editor import PortionEditor
from hstc_desk.gui.products.portion_figures import figure_entry
from hstc_desk.gui.products.portion_list import PortionList
from hstc_desk.gui.products.portion_model import PortionModel
from hstc_desk.gui.products.portion_state import DraftState, Entry
from hstc_desk.gui.session.session import Session
from hstc_desk.gui.widgets.banner import Banners, clearance_banner
from hstc_desk.movement.figures import FigureError
from hstc_desk.reports.rollup import rollup_portions
from hstc_desk.store import StoreError, browse
from hstc_desk.store import products as store_products

AUTOSAVE_MS = 4000
MERGE_SECONDS = 2.0


class DraftingWindow(QWidget):
    """Emits ``saved(product_id)`` after each write to the store, ``submitted(product_id)``
    when the analyst sends it for review."""

    saved = Signal(str)
    submitted = Signal(str)  # the product went to review (the queue reads it again)

    def __init__(self, session: Session, *, product_id: str | None = None,
                 product_type: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("draftingWindow")
        self.session = session
        self.ask_before_close = True  # False only where nobody is there to answer (tests)
        self._user_close = False
        self.undo_stack = QUndoStack(self)
        store = session.store
        if product_id is not None:
            product = store_products.get(store, product_id)
            self.state = state_of(store, product)
            self.saver = DraftSaver(product, self.state)
        else:
            self.state = new_state(product_type or "intelligence_bulletin")
            self.saver = DraftSaver()
        self.system_high = clearance_banner(store.accreditation)
        self._last_change = 0.0

        self.header = DraftingHeader(self)
        self.leads_label = QLabel(f"<b>{LEADS_ONLY}</b>", self, objectName="leadsOnlyStatement")
        self.leads_label.setWordWrap(True)
        self.leads_label.setStyleSheet("QLabel { color: #8a1c00; background: #fff4e5; "
                                       "border: 1px solid #e0b080; padding: 4px; }")
        self.refusal = QLabel(self, objectName="refusalLabel", wordWrap=True)
        self.refusal.setStyleSheet("QLabel { color: #ffffff; background: #b00020; "
                                   "padding: 4px; font-weight: bold; }")
        self.refusal.hide()
        self.readonly_label = QLabel(self, objectName="readOnlyLabel", wordWrap=True)
        self.readonly_label.setStyleSheet("QLabel { background: #eef; padding: 4px; }")
        self.readonly_label.hide()
        self.returned = QLabel(self, objectName="returnedComments", wordWrap=True)
        self.returned.setTextFormat(Qt.TextFormat.PlainText)
        self.returned.setStyleSheet("QLabel { background: #fff8d0; border: 1px solid #e0c860; "
                                    "padding: 4px; }")
        self.returned.hide()

        self.model = PortionModel(self.move_portions, self.cite_items, self)
        self.list = PortionList(self.model, self.step_current, self)
        self.editor = PortionEditor(self)
        self.cite_picker = ItemPicker(lambda: session.store, info=False, parent=self,
                                      placeholder="Cite an item: type words of its title…")
        self.cite_picker.setObjectName("citePicker")
        self.cite_picker.setToolTip("Pick an item to cite it after the selected portion; or "
                                    "drag items from the browser onto the portions")
        self.status = QLabel(self, objectName="saveStatus")
        self.status.setStyleSheet("color: #444;")

        self._build_layout()
        self.banners = Banners(self, self.system_high)
        self._wire()
        self._apply(self.state, None, first=True)
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))
        reason = self.saver.read_only_reason()
        if reason:
            self._read_only(reason)
        self._show_comments()
        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        session.locked.connect(self._on_locked)
        self.resize(1240, 760)
        self._show_saved()

    # ---- building ----

    def _build_layout(self) -> None:
        self.tools = DraftingTools(self, self.undo_stack, self.cite_picker, self)
        t = self.tools
        self.add_paragraph_button = t.add_paragraph_button
        self.undo_button, self.redo_button = t.undo_button, t.redo_button

        split = QSplitter(Qt.Orientation.Horizontal, self, objectName="draftSplitter")
        split.addWidget(self.list)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 480])
        split.setChildrenCollapsible(False)
        self.list.setMinimumWidth(420)
        self.editor.setMinimumWidth(360)

        self.save_button = QPushButton("&Save now", self, objectName="saveButton")
        self.save_button.setToolTip("Save the draft into the store now (Ctrl+S); it is also "
                                    "saved a few seconds after each change and on close")
        self.save_button.clicked.connect(lambda: self.autosave(explicit=True))
        self.submit_button = QPushButton("Submit for &review", self, objectName="submitButton")
        self.submit_button.setToolTip("Save the draft and send it to a supervisor's review "
                                      "queue; it is read only until it is returned or approved")
        self.submit_button.clicked.connect(self.submit)
        self.close_button = QPushButton("&Close", self, objectName="closeButton")
        self.close_button.clicked.connect(self.request_close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.submit_button)
        bottom.addWidget(self.close_button)

        # Tab goes as the eye reads: the head, the tools, the search, the portions, the
        # selected portion's editor, then Save and Close.
        h, ed = self.header, self.editor
        chain = [h.type_combo, h.title_mark, h.title_edit, h.classified_by, h.derived_from,
                 h.declassify_on, h.addressees, h.recommended, *t.buttons(),
                 self.cite_picker.edit, self.list, ed.picker.ui.levelCombo,
                 ed.paragraph.text, ed.heading, ed.figure_caption, ed.cite_note, ed.tear_dest,
                 ed.tear_title, self.save_button, self.submit_button, self.close_button]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(5)
        layout.addWidget(self.readonly_label)
        layout.addWidget(self.returned)
        layout.addWidget(self.header)
        layout.addWidget(self.leads_label)
        layout.addWidget(self.tools)
        layout.addWidget(self.refusal)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    def _wire(self) -> None:
        self.header.edited.connect(self.change_header)
        self.header.guard_copies(lambda: self.state.title_marking or self.editor.fallback_mark,
                                 lambda: self.editor.fallback_mark)
        self.editor.edited.connect(self.change_entry)
        self.list.selectionModel().currentChanged.connect(lambda cur, _prev: self._show_current())
        self.model.modelReset.connect(self._show_current)
        self.model.dataChanged.connect(lambda *_a: self._show_current())
        self.cite_picker.picked.connect(self._cite_picked)
        self.cite_picker.shown_changed.connect(self._show_banner)
        keys = ((QKeySequence.StandardKey.Save, lambda: self.autosave(explicit=True)),
                (QKeySequence("Ctrl+Return"), self.add_paragraph),
                (QKeySequence("Ctrl+W"), self.request_close))
        for key, slot in keys:
            QShortcut(QKeySequence(key), self, slot)
        QShortcut(QKeySequence("Delete"), self.list, self.remove_current,
                  context=Qt.ShortcutContext.WidgetShortcut)
        # Undo and redo are the window's, in every field: a text field's own undo would undo
        # behind the stack's back, so its keys are taken here first.
        self._keys = UndoKeys(self.undo_stack)
        for w in (*self.findChildren(QLineEdit), *self.findChildren(QTextEdit), self.list):
            w.installEventFilter(self._keys)
        self.installEventFilter(self._keys)
        for edit in self.findChildren(QTextEdit):
            edit.setUndoRedoEnabled(False)

    # ---- state ----

    def _apply(self, state: DraftState, select: int | None, *, first: bool = False) -> None:
        """Show ``state`` everywhere (the undo stack and the change methods call this)."""
        current, current_row = self.current_uid(), self.current_row()
        self.state = state
        self.model.set_entries(state.entries)
        self.header.show_state(state, type_fixed=self.saver.product_id is not None)
        self.tools.show_type(state.product_type)
        row = state.index_of(select) if select is not None else None
        if row is None and current is not None:
            row = state.index_of(current)
        if row is None and current_row is not None and state.entries:
            row = min(current_row, len(state.entries) - 1)
        if row is not None:
            index = self.model.index(row)
            if self.list.currentIndex() != index or row != current_row:
                self.list.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.list.scrollTo(index)  # only when the selection moves (not per key)
        self._show_current()
        self.leads_label.setVisible(self.restricted)
        self._show_banner()
        if not first:
            self.autosave_timer.start()
            self._show_saved()

    @property
    def restricted(self) -> bool:
        """Leads only: a cited item is, or the stored product already is (it stays so)."""
        p = self.saver.saved.product
        return self.state.leads_only or (p is not None and p.leads_only)

    def _show_current(self) -> None:
        uid = self.current_uid()
        row = self.state.index_of(uid) if uid is not None else None
        entry = self.state.entries[row] if row is not None else None
        self.editor.show_entry(entry, row if row is not None else -1)
        p = self.saver.saved.product
        notes = [c for c in (p.comments if p is not None else ())
                 if entry is not None and c.anchor and c.anchor == entry.pid]
        self.editor.show_comments([_comment_line(c) for c in notes])

    def _show_comments(self) -> None:
        """A returned draft's review comments: those on the whole at the top, those anchored
        to a portion tagged on its row and shown with it when it is selected."""
        p = self.saver.saved.product
        comments = list(p.comments) if p is not None else []
        counts: dict[str, int] = {}
        for c in comments:
            if c.anchor:
                counts[c.anchor] = counts.get(c.anchor, 0) + 1
        self.model.comment_counts = counts
        whole = [c for c in comments if not c.anchor]
        self.returned.setText("Returned with comments:\n" + "\n".join(
            _comment_line(c) for c in whole) + (
            f"\n{sum(counts.values())} more on portions (tagged in the list)" if counts
            else ""))
        self.returned.setVisible(bool(comments))
        self._show_current()

    def _show_banner(self) -> None:
        marks = self.state.marks() + self.cite_picker.listed_marks()
        marking = rollup_portions(marks) if marks else self.system_high
        if marking != self.banners.marking:  # a style sheet costs a repolish: only on change
            self.banners.set_marking(marking)
        self.editor.fallback_mark = marking.portion()
        self._show_title()

    def _show_title(self) -> None:
        # The title bar names the product by id and type, never by its (marked) title: a
        # task bar shows it without a banner.
        what = TYPE_LABELS[self.state.product_type].lower()
        pid = self.saver.product_id
        self.setWindowTitle(f"Drafting {pid} ({what})" if pid else f"Drafting a new {what}")

    def current_uid(self) -> int | None:
        index = self.list.currentIndex()
        if not index.isValid() or index.row() >= len(self.state.entries):
            return None
        return self.state.entries[index.row()].uid

    def current_row(self) -> int | None:
        uid = self.current_uid()
        return self.state.index_of(uid) if uid is not None else None

    def refusal_of(self, state: DraftState) -> str:
        """Why ``state`` may not replace the current one ('' if it may): drafting_rules."""
        return refusal(state, self.saver.saved.product)

    def push(self, after: DraftState, text: str, *, key: str = "",
             select: int | None = None) -> bool:
        """Make a change (undoably), or refuse it and say why. True when it was made."""
        if after == self.state:
            return True
        if self.saver.read_only_reason():  # keys too: nothing changes a draft in review
            return False
        why = self.refusal_of(after)
        if why:
            self.refusal.setText(why)
            self.refusal.show()
            self._show_current_fresh()
            return False
        self.refusal.hide()
        now = time.monotonic()
        top = self.undo_stack.command(self.undo_stack.index() - 1)
        if key:
            if (isinstance(top, StateChange) and top.key.split("@")[0] == key
                    and now - self._last_change < MERGE_SECONDS):
                key = top.key  # the same run of typing: one undo step
            else:
                key = f"{key}@{now}"  # another field, or after a pause: a new step
        self._last_change = now
        self.undo_stack.push(StateChange(self._apply, self.state, after, text, key, select,
                                         self.current_uid()))
        return True

    def _show_current_fresh(self) -> None:
        """After a refusal: every part shows the state as it is (not what was refused)."""
        row = self.current_row()
        self.editor.show_entry(self.state.entries[row] if row is not None else None,
                               row if row is not None else -1, force=True)
        self.header.show_state(self.state, type_fixed=self.saver.product_id is not None)

    # ---- changes ----

    def change_header(self, name: str, value: object) -> None:
        if name == "product_type":
            self.change_type(str(value))
            return
        self.push(self.state.with_(**{name: value}), f"Change {name.replace('_', ' ')}",
                  key=f"header:{name}")

    def change_type(self, product_type: str) -> None:
        """A new draft's type; its section headings follow while they are still the old
        type's template untouched."""
        old = new_state(self.state.product_type).entries
        entries = self.state.entries
        if [(e.kind, e.text, e.marking) for e in entries] == \
                [(e.kind, e.text, e.marking) for e in old]:
            entries = new_state(product_type).entries
        self.push(self.state.with_(product_type=product_type, entries=entries),
                  "Change the type")

    def change_entry(self, uid: int, entry: Entry, key: str) -> None:
        row = self.state.index_of(uid)
        if row is None:
            return
        entries = list(self.state.entries)
        entries[row] = entry
        what = key.split(":")[0]
        self.push(self.state.with_(entries=tuple(entries)),
                  f"Change the {what} of portion {row + 1}", key=key, select=uid)

    def insert(self, new: list[Entry], row: int | None = None, text: str = "Add") -> bool:
        at = len(self.state.entries) if row is None else max(0, min(row,
                                                                    len(self.state.entries)))
        entries = (*self.state.entries[:at], *new, *self.state.entries[at:])
        return self.push(self.state.with_(entries=entries), text, select=new[0].uid)

    def _after_current(self) -> int:
        row = self.current_row()
        return len(self.state.entries) if row is None else row + 1

    def add_paragraph(self) -> None:
        if self.insert([Entry("paragraph", pid=new_portion_id())], self._after_current(),
                       "Add a paragraph"):
            self.editor.paragraph.setFocus()

    def add_heading(self, text: str) -> None:
        self.insert([Entry("heading", text=text, pid=new_portion_id())], self._after_current(),
                    f"Add the heading {text}")

    def add_tearline(self, code: str, title: str = "") -> bool:
        try:
            dest = markings.destination(code)
        except KeyError as exc:
            self.refusal.setText(f"Cannot insert a tearline: {exc.args[0]}")
            self.refusal.show()
            return False
        return self.insert([Entry("tearline", text=title or self.state.title,
                                  destination=dest.code, pid=new_portion_id())],
                           self._after_current(), f"Insert a tearline for {dest.code}")

    def add_figure_file(self, path: Path, row: int | None = None) -> bool:
        try:
            entry = figure_entry(path)
        except (FigureError, OSError) as exc:
            self.refusal.setText(f"Cannot place {path.name} as a figure: {exc}")
            self.refusal.show()
            return False
        return self.insert([entry], self._after_current() if row is None else row,
                           "Place a figure")

    def movement_views(self) -> list[tuple[str, QWidget]]:
        """The Movement workspace's views on show in the window this one was opened from."""
        ws = getattr(self.parentWidget(), "movement", None)
        out: list[tuple[str, QWidget]] = []
        for name, attr in (("The timeline as shown", "timeline"),
                           ("The route map as shown", "map")):
            view = getattr(ws, attr, None)
            if view is not None and view.isVisible() and hasattr(view, "figure_record"):
                out.append((name, view))
        return out

    def add_figure_from_view(self, view: QWidget) -> bool:
        """Place what a Movement view (timeline or route map) shows now: its image framed by
        its banners, its record's marking and the items it depicts, as its export would."""
        from hstc_desk.gui.movement.export import render_png
        from hstc_desk.gui.products.portion_figures import entry_of

        view.redraw()  # type: ignore[attr-defined]
        rec = view.figure_record()  # type: ignore[attr-defined]
        try:
            entry = entry_of(rec, render_png(view.plot, rec),  # type: ignore[attr-defined]
                             source=f"the {rec.view}")
        except FigureError as exc:
            self.refusal.setText(f"Cannot place the {rec.view} as a figure: {exc}")
            self.refusal.show()
            return False
        return self.insert([entry], self._after_current(), f"Place the {rec.view}")

    def choose_figure(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Place a marked figure", "", "Marked figures (*.png)")
        if name:
            self.add_figure_file(Path(name))

    def cite_items(self, ids: list[str], row: int | None = None) -> bool:
        """Cite ``ids`` (each with its item's title, marking and use restriction) at ``row``
        (after the selected portion when None)."""
        store = self.session.store
        new: list[Entry] = []
        titles = browse.titles_of(store, ids)
        for item_id in ids:
            try:
                c = store_products.cite(store, item_id)
            except StoreError as exc:
                self.refusal.setText(f"Cannot cite {item_id}: {exc}")
                self.refusal.show()
                return False
            new.append(Entry("citation", marking=c.marking, item_id=item_id,
                             item_title=titles.get(item_id, ("", "", ""))[1],
                             use_restriction=c.use_restriction, pid=new_portion_id()))
        if not new:
            return False
        at = self._after_current() if row is None else row
        return self.insert(new, at, f"Cite {len(new)} item{'s' if len(new) > 1 else ''}")

    def _cite_picked(self, item_id: str) -> None:
        if item_id:
            self.cite_items([item_id])
            self.cite_picker.set_item("")

    def move_portions(self, uids: list[int], row: int) -> bool:
        """Move the portions ``uids`` to stand before ``row`` (as a drop there does)."""
        entries = moved(self.state.entries, uids, row)
        if entries == self.state.entries:
            return False
        first = next(e.uid for e in entries if e.uid in set(uids))
        return self.push(self.state.with_(entries=entries), "Move a portion", select=first)

    def step_current(self, step: int) -> None:
        row = self.current_row()
        if row is None:
            return
        target = row + step
        if 0 <= target < len(self.state.entries):
            self.move_portions([self.state.entries[row].uid], target + (1 if step > 0 else 0))

    def remove_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        entries = self.state.entries
        rest = entries[:row] + entries[row + 1:]
        nxt = rest[min(row, len(rest) - 1)].uid if rest else None
        self.push(self.state.with_(entries=rest), f"Remove portion {row + 1}", select=nxt)

    # ---- saving ----

    def autosave(self, explicit: bool = False) -> bool:
        """Write the draft into the store if it changed; True when the store holds it now."""
        self.autosave_timer.stop()
        if self.session.is_locked or self.saver.read_only_reason():
            return False
        try:
            product = self.saver.save(self.session.store, self.state)
        except NotReady as exc:
            self._not_saved(f"Not saved yet: {exc}.")
            return False
        except (StoreError, DomainError) as exc:
            self._not_saved(f"Not saved: {exc}")
            return False
        if product is not None:
            self._absorb(product)
            self.saved.emit(product.id)
        self._show_saved()
        return True

    def submit(self) -> bool:
        """Save, then send the draft to review (draft -> in review); the store's refusal, if
        any (a rule of a complete product: every tearline holds a portion...), is shown and
        the draft stays as it is."""
        if not self.autosave(explicit=True) or self.saver.dirty(self.state):
            self.refusal.setText("Not submitted: the draft must be saved first ("
                                 f"{self.status.text()})")
            self.refusal.show()
            return False
        saved = self.saver.saved.product
        assert saved is not None
        product_id = saved.id
        complete = tearline_problems(saved.portions, leads_only=saved.leads_only, complete=True)
        if complete:  # what approval will ask of it, said now
            self.refusal.setText(f"Not submitted: {complete[0].message}.")
            self.refusal.show()
            return False
        try:
            product = store_products.submit(self.session.store, product_id)
        except (StoreError, DomainError) as exc:
            self.refusal.setText(f"Not submitted: {exc}")
            self.refusal.show()
            return False
        self.refusal.hide()
        self.saver.saved.product = product
        self.undo_stack.clear()  # what is in review is what was sent
        self._read_only(self.saver.read_only_reason())
        self._show_saved()
        self.submitted.emit(product_id)
        return True

    def _absorb(self, product: object) -> None:
        """Take back what the store decided: each citation's current title, marking and use
        restriction (not an undo step: it is the store's, not an edit)."""
        from hstc_desk.domain.product_portions import Citation

        by_pid = {p.pid: p for p in product.portions  # type: ignore[attr-defined]
                  if isinstance(p, Citation)}
        entries = list(self.state.entries)
        changed = False
        for i, e in enumerate(entries):
            c = by_pid.get(e.pid)
            if c is not None and (c.marking, c.use_restriction, c.title or e.item_title) != \
                    (e.marking, e.use_restriction, e.item_title):
                entries[i] = e.with_(marking=c.marking, use_restriction=c.use_restriction,
                                     item_title=c.title or e.item_title)
                changed = True
        if changed:
            state = self.state.with_(entries=tuple(entries))
            self.saver.saved.state = state
            self._apply(state, None, first=True)
        self.header.show_state(self.state, type_fixed=True)

    def _not_saved(self, text: str) -> None:
        self._status(text, "color: #b00020; font-weight: bold;")

    def _status(self, text: str, style: str) -> None:
        if self.status.text() != text:
            self.status.setText(text)
        if self.status.styleSheet() != style:
            self.status.setStyleSheet(style)

    def _show_saved(self) -> None:
        self._show_title()
        p = self.saver.saved.product
        if self.saver.read_only_reason():
            text = "Read only."
        elif not self.saver.dirty(self.state) and p is not None and p.status == "approved":
            text = (f"{p.id} version {p.version} is approved and signed; it never changes: "
                    f"your first change starts version {p.version + 1}, a draft.")
        elif not self.saver.dirty(self.state) and p is not None:
            text = (f"Saved: {p.id} version {p.version} ({p.status.replace('_', ' ')}), "
                    f"{p.updated.astimezone().strftime('%H:%M:%S')}.")
        elif p is None and not (self.state.title.strip() and self.state.title_marking):
            text = "Not saved yet: it is saved once it has a title and its mark."
        elif p is None:
            text = "Not saved yet (it is saved a few seconds after you stop)."
        else:
            text = "Unsaved changes (saved a few seconds after you stop)."
        self._status(text, "color: #444;")
        # what goes to review is a draft: a new one, or the next version of an approved one
        self.submit_button.setEnabled(not self.saver.read_only_reason() and (
            p is None or p.status == "draft" or self.saver.dirty(self.state)))

    def _read_only(self, reason: str) -> None:
        self.readonly_label.setText(f"Read only: {reason}.")
        self.readonly_label.show()
        for w in (self.header, self.editor, self.cite_picker, self.save_button,
                  self.submit_button, *self.tools.editing_buttons()):
            w.setEnabled(False)
        self.list.setDragEnabled(False)
        self.list.setAcceptDrops(False)

    def _on_locked(self) -> None:
        self.autosave()  # the store is still open while the lock is announced

    def may_close(self, spontaneous: bool) -> bool:
        if self.saver.read_only_reason() or self.session.is_locked:
            return True
        if self.autosave() or not self.saver.dirty(self.state):
            return True
        if not (self.ask_before_close and spontaneous):
            return True
        # The box names no portion (its words are marked, and the box has no banner): the
        # window's status line, under the window's banners, says which.
        answer = QMessageBox.question(
            self, "Close the draft?",
            "The draft cannot be saved as it is: the status line at the bottom of the window "
            "says why.\n\nClose anyway and lose the changes since the last save?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def request_close(self) -> bool:
        """Close as the user asked (Close, Ctrl+W): unsaved changes the store would not take
        are asked about. A close by the app itself (a lock puts windows away) never asks."""
        self._user_close = True
        try:
            return self.close()
        finally:
            self._user_close = False

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close(event.spontaneous() or self._user_close):
            event.ignore()
            return
        self.autosave_timer.stop()
        with contextlib.suppress(RuntimeError, TypeError):
            self.session.locked.disconnect(self._on_locked)
        event.accept()


def _comment_line(c: ReviewComment) -> str:
    return f"{c.who}, {c.when.astimezone().strftime('%Y-%m-%d %H:%M')}: {c.text}"


def open_draft(session: Session, product_id: str | None = None,
               product_type: str | None = None, parent: QWidget | None = None
               ) -> DraftingWindow:
    """Open the drafting window on a product (its latest version) or on a new draft of
    ``product_type``, and show it. NotFound / PermissionDenied from the store pass through."""
    window = DraftingWindow(session, product_id=product_id, product_type=product_type,
                            parent=parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window

