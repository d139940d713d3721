"""The editor of the selected portion: its marking (the marking picker of gui/editing) and a
page for its kind. A citation's and a figure's marking are carried (the item's, the figure
record's), so the picker shows them but does not change them.

Emits ``edited(uid, entry, key)`` for every change, ``key`` naming what changed so the window
merges a run of typing into one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.gui.editing.marking_picker import MarkingPicker
from hstc_desk.gui.products.portion_state import KIND_NAMES, Entry
from hstc_desk.gui.products.portion_text_edit import MarkedCopies, ParagraphEdit

PAGES = ("none", "paragraph", "heading", "figure", "citation", "tearline")
CARRIED = {"citation": "A citation carries its item's marking (taken afresh at every save).",
           "figure": "A figure keeps the marking its record carries."}


class PortionEditor(QWidget):
    edited = Signal(int, object, str)  # uid, the new Entry, what changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portionEditor")
        self.entry: Entry | None = None
        self.row = -1
        self._quiet = False
        self.title = QLabel("No portion selected", self, objectName="portionHeading")
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.picker = MarkingPicker(self)
        self.picker.setObjectName("portionPicker")
        self.picker.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.carried = QLabel(self, objectName="carriedLabel", wordWrap=True)
        self.carried.setStyleSheet("color: #555;")
        self.comments = QLabel(self, objectName="portionComments", wordWrap=True)
        self.comments.setStyleSheet("QLabel { background: #fff8d0; border: 1px solid #e0c860; "
                                    "padding: 4px; }")
        self.comments.setTextFormat(Qt.TextFormat.PlainText)
        self.comments.hide()
        self.stack = QStackedWidget(self)
        self.pages: dict[str, QWidget] = {}

        empty = QLabel("Select a portion in the list, or add one with the buttons above.",
                       wordWrap=True, alignment=Qt.AlignmentFlag.AlignTop)
        self._page("none", empty)
        self.paragraph = ParagraphEdit(self)
        self._page("paragraph", self.paragraph)
        self.heading = QLineEdit(self, objectName="headingEdit")
        self.heading.setAccessibleName("Heading text")
        self._page("heading", self._form(("Heading", self.heading)))
        self.figure_image = QLabel(self, objectName="figurePreview",
                                   alignment=Qt.AlignmentFlag.AlignCenter)
        self.figure_image.setMinimumHeight(120)
        self.figure_caption = QLineEdit(self, objectName="figureCaption")
        self.figure_caption.setAccessibleName("Figure caption")
        self.figure_items = QLabel(self, objectName="figureItems", wordWrap=True)
        self.figure_items.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fig = QWidget(self)
        fl = QVBoxLayout(fig)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.figure_image, 1)
        fl.addWidget(self._form(("Caption", self.figure_caption),
                                ("Depicts", self.figure_items)))
        self._page("figure", fig)
        self.cite_title = QLabel(self, objectName="citationTitle", wordWrap=True)
        self.cite_id = QLabel(self, objectName="citationId")
        self.cite_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cite_note = QLineEdit(self, objectName="citationNote")
        self.cite_note.setAccessibleName("Citation note")
        self.cite_note.setPlaceholderText("Optional: what the item shows")
        self._page("citation", self._form(("Item", self.cite_title), ("Id", self.cite_id),
                                          ("Note", self.cite_note)))
        self.tear_dest = QComboBox(self, objectName="tearlineDestination")
        self.tear_dest.setAccessibleName("Tearline destination")
        for code, dest in markings.destinations().items():
            self.tear_dest.addItem(f"{code}: {dest.name}", code)
        self.tear_title = QLineEdit(self, objectName="tearlineTitle")
        self.tear_title.setAccessibleName("Tearline title")
        self._page("tearline", self._form(("Destination", self.tear_dest),
                                          ("Title", self.tear_title)))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.picker)
        layout.addWidget(self.carried)
        layout.addWidget(self.comments)
        layout.addWidget(self.stack, 1)

        self.picker.changed.connect(self._marking_changed)
        self.paragraph.edited.connect(lambda t: self._emit("text", text=t))
        self.heading.textEdited.connect(lambda t: self._emit("text", text=t))
        self.figure_caption.textEdited.connect(lambda t: self._emit("text", text=t))
        self.cite_note.textEdited.connect(lambda t: self._emit("text", text=t))
        self.tear_title.textEdited.connect(lambda t: self._emit("text", text=t))
        self.tear_dest.activated.connect(
            lambda _i: self._emit("destination", destination=self.tear_dest.currentData()))
        self.fallback_mark = ""  # the product's roll-up: what an unmarked portion copies with
        self.paragraph.text.mark_of = self.copy_mark
        self._copy_keys = MarkedCopies(self.copy_mark, self)
        for edit in (self.heading, self.figure_caption, self.cite_note, self.tear_title):
            edit.installEventFilter(self._copy_keys)
        self.show_entry(None, -1)

    def copy_mark(self) -> str:
        """The mark a copy from the shown portion carries: its own, else the product's."""
        return (self.entry.marking if self.entry is not None and self.entry.marking
                else self.fallback_mark)

    def _page(self, name: str, widget: QWidget) -> None:
        self.pages[name] = widget
        self.stack.addWidget(widget)

    def _form(self, *rows: tuple[str, QWidget]) -> QWidget:
        w = QWidget(self)
        form = QFormLayout(w)
        form.setContentsMargins(0, 0, 0, 0)
        for label, field in rows:
            lab = QLabel(f"&{label}:" if isinstance(field, QLineEdit | QComboBox) else
                         f"{label}:", w)
            lab.setBuddy(field)
            form.addRow(lab, field)
        return w

    # ---- showing ----

    def show_comments(self, lines: list[str]) -> None:
        """The review comments anchored to the portion shown (none: hidden)."""
        self.comments.setText("\n".join(lines))
        self.comments.setVisible(bool(lines))

    def show_entry(self, entry: Entry | None, row: int, *, force: bool = False) -> None:
        """Show ``entry`` (row ``row``); a no-op for what is already shown as it is, unless
        ``force`` (the window refused what the editor shows: show the entry as it is)."""
        if entry is self.entry and row == self.row and not force:
            return
        same = entry is not None and self.entry is not None and entry.uid == self.entry.uid
        self.entry, self.row = entry, row
        self._quiet = True
        try:
            self._fill(entry, row, same)
        finally:
            self._quiet = False

    def _fill(self, e: Entry | None, row: int, same: bool) -> None:
        if e is None:
            self.title.setText("No portion selected")
            self.picker.set_marking("")
            self.picker.setEnabled(False)
            self.carried.hide()
            self.stack.setCurrentWidget(self.pages["none"])
            return
        self.title.setText(f"Portion {row + 1} · {KIND_NAMES[e.kind]}")
        if self.picker.portion() != e.marking:
            self.picker.set_marking(e.marking)
        self.picker.setEnabled(e.kind not in CARRIED)
        self.carried.setText(CARRIED.get(e.kind, ""))
        self.carried.setVisible(e.kind in CARRIED)
        self.stack.setCurrentWidget(self.pages[e.kind])
        if e.kind == "paragraph":
            self.paragraph.set_markup(e.text)
        elif e.kind == "heading":
            _set_line(self.heading, e.text)
        elif e.kind == "figure":
            _set_line(self.figure_caption, e.text)
            if not same:
                image = QImage.fromData(e.image) if e.image else QImage()
                self.figure_image.setPixmap(QPixmap.fromImage(image.scaled(
                    420, 240, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation)) if not image.isNull()
                    else QPixmap())
                if image.isNull():
                    self.figure_image.setText("(no image)")
            n = e.depicted_count or len(e.depicted)
            shown = ", ".join(e.depicted[:6]) + (" …" if len(e.depicted) > 6 else "")
            self.figure_items.setText(f"{n} item{'s' if n != 1 else ''}"
                                      + (f": {shown}" if shown else ""))
        elif e.kind == "citation":
            self.cite_title.setText(f"{e.marking} {e.item_title or '(title not visible)'}"
                                    + ("\nLEADS ONLY: for investigative leads only"
                                       if e.leads_only else ""))
            self.cite_id.setText(e.item_id)
            _set_line(self.cite_note, e.text)
        elif e.kind == "tearline":
            self.tear_dest.setCurrentIndex(max(0, self.tear_dest.findData(e.destination)))
            _set_line(self.tear_title, e.text)

    # ---- changes ----

    def _marking_changed(self, portion: str) -> None:
        if self._quiet or self.entry is None or self.entry.kind in CARRIED:
            return
        if portion and portion != self.entry.marking:
            self._emit("marking", marking=portion)

    def _emit(self, key: str, **changes: object) -> None:
        if self._quiet or self.entry is None:
            return
        new = self.entry.with_(**changes)
        if new == self.entry:
            return
        self.entry = new  # what is shown is now this entry
        self.edited.emit(new.uid, new, f"{key}:{new.uid}")

    def revert_marking(self) -> None:
        """Show the entry's own marking again (after the window refused a change)."""
        if self.entry is not None:
            self._quiet = True
            try:
                self.picker.set_marking(self.entry.marking)
            finally:
                self._quiet = False


def _set_line(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        pos = edit.cursorPosition()
        edit.setText(text)
        edit.setCursorPosition(min(pos, len(text)))

