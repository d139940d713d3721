"""The paragraph editor: a QTextEdit that holds only what the PDF renders (bold, italic, bulleted
and numbered lists), with a small toolbar and Ctrl+B / Ctrl+I. Pasted text arrives plain, so no
other formatting can get in; ``markup()`` reads the document back as domain.rich_text markup."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.domain.rich_text import Block, Run, parse, to_markup
from hstc_desk.gui.session.clipboard import marked_copy

_STYLES = {"bullet": QTextListFormat.Style.ListDisc, "number": QTextListFormat.Style.ListDecimal}


def document_blocks(doc: QTextDocument) -> list[Block]:
    blocks = []
    block = doc.begin()
    while block.isValid():
        kind, number = "text", None
        tl = block.textList()
        if tl is not None:
            kind = "number" if tl.format().style() in (
                QTextListFormat.Style.ListDecimal, QTextListFormat.Style.ListLowerAlpha,
                QTextListFormat.Style.ListUpperAlpha, QTextListFormat.Style.ListLowerRoman,
                QTextListFormat.Style.ListUpperRoman) else "bullet"
            number = tl.itemNumber(block) + 1 if kind == "number" else None
        runs = []
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid():
                fmt = frag.charFormat()
                runs.append(Run(frag.text().replace("\u2028", " "),
                                fmt.fontWeight() >= QFont.Weight.Bold, fmt.fontItalic()))
            it += 1
        if any(r.text.strip() for r in runs):  # blank lines are not blocks (rich_text)
            blocks.append(Block(kind, tuple(runs), number))
        block = block.next()
    return blocks


def fill_document(doc: QTextDocument, markup: str) -> None:
    doc.clear()
    cursor = QTextCursor(doc)
    plain = QTextCharFormat()
    for n, block in enumerate(parse(markup)):
        if n:
            cursor.insertBlock()
            cursor.setBlockCharFormat(plain)
        if block.kind != "text":
            current = cursor.currentList()
            if current is not None and current.format().style() == _STYLES[block.kind]:
                current.add(cursor.block())
            else:
                cursor.createList(_STYLES[block.kind])
        elif cursor.currentList() is not None:
            cursor.currentList().remove(cursor.block())
            fmt = cursor.blockFormat()
            fmt.setIndent(0)
            cursor.setBlockFormat(fmt)
        for run in block.runs:
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold if run.bold else QFont.Weight.Normal)
            fmt.setFontItalic(run.italic)
            cursor.insertText(run.text, fmt)


class MarkedTextEdit(QTextEdit):
    """A text edit whose copies (and cuts, and drags out) carry the portion mark of what it
    holds, once (session.clipboard.marked_copy); the main window's clipboard guard clears
    them on its timer and on lock, as it clears every copy this app owns."""

    def __init__(self, parent: QWidget | None = None, **kw: object) -> None:
        super().__init__(parent, **kw)
        self.mark_of: Callable[[], str] = lambda: ""  # the holder says what it holds

    def createMimeDataFromSelection(self) -> QMimeData:
        mime = QMimeData()
        selected = self.textCursor().selection().toPlainText()
        mime.setText(marked_copy(self.mark_of(), selected))
        return mime


class ParagraphEdit(QWidget):
    """Emits ``edited(markup)`` as the user types or formats."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = MarkedTextEdit(self, objectName="paragraphText")
        self.text.setAcceptRichText(False)
        self.text.setTabChangesFocus(True)  # Tab leaves the field: keyboard navigation
        self.text.setAccessibleName("Paragraph text")
        self.text.setPlaceholderText("Write the paragraph. Ctrl+B bold, Ctrl+I italic.")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        self.bold = self._button("B", "Bold (Ctrl+B)", "boldButton", self.toggle_bold, bar)
        f = self.bold.font()
        f.setBold(True)
        self.bold.setFont(f)
        self.italic = self._button("I", "Italic (Ctrl+I)", "italicButton", self.toggle_italic,
                                   bar)
        f = self.italic.font()
        f.setItalic(True)
        self.italic.setFont(f)
        self.bullets = self._button("• List", "Bulleted list", "bulletButton",
                                    lambda: self.toggle_list("bullet"), bar)
        self.numbers = self._button("1. List", "Numbered list", "numberButton",
                                    lambda: self.toggle_list("number"), bar)
        bar.addStretch(1)
        self._keys = {Qt.Key.Key_B: self.toggle_bold, Qt.Key.Key_I: self.toggle_italic}
        self.text.installEventFilter(self)  # Ctrl+B / Ctrl+I, before any shortcut sees them
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)
        self.setFocusProxy(self.text)
        self._quiet = False
        self._last = ""
        self.text.textChanged.connect(self._changed)
        self.text.cursorPositionChanged.connect(self._show_format)
        self.text.currentCharFormatChanged.connect(lambda _f: self._show_format())

    def _button(self, label: str, tip: str, name: str, slot: object, bar: QHBoxLayout
                ) -> QToolButton:
        b = QToolButton(self, objectName=name, text=label, toolTip=tip, checkable=True)
        b.setAccessibleName(tip)
        b.clicked.connect(slot)  # type: ignore[arg-type]
        bar.addWidget(b)
        return b

    # ---- content ----

    def markup(self) -> str:
        return to_markup(document_blocks(self.text.document()))

    def set_markup(self, markup: str) -> None:
        """Show ``markup`` without emitting ``edited`` (a no-op when it is already shown)."""
        if markup == self._last:
            return
        self._quiet = True
        try:
            fill_document(self.text.document(), markup)
            self._last = markup
        finally:
            self._quiet = False
        self._show_format()

    def _changed(self) -> None:
        if self._quiet:
            return
        now = self.markup()
        if now != self._last:
            self._last = now
            self.edited.emit(now)

    # ---- formatting ----

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and event.type() in (QEvent.Type.ShortcutOverride,
                                                     QEvent.Type.KeyPress):
            key: QKeyEvent = event  # type: ignore[assignment]
            slot = self._keys.get(Qt.Key(key.key())) \
                if key.modifiers() == Qt.KeyboardModifier.ControlModifier else None
            if slot is not None:
                if event.type() == QEvent.Type.KeyPress:
                    slot()
                event.accept()
                return True
        return False

    def _merge(self, fmt: QTextCharFormat) -> None:
        """On the selection, or on what is typed next when nothing is selected."""
        self.text.mergeCurrentCharFormat(fmt)

    def toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        bold = self.text.fontWeight() < QFont.Weight.Bold
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self._merge(fmt)
        self._show_format()

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.text.fontItalic())
        self._merge(fmt)
        self._show_format()

    def toggle_list(self, style: str) -> None:
        cursor = self.text.textCursor()
        current = cursor.currentList()
        cursor.beginEditBlock()
        if current is not None and current.format().style() == _STYLES[style]:
            for i in reversed(range(current.count())):
                b = current.item(i)
                if cursor.selectionStart() <= b.position() + b.length() - 1 and \
                        b.position() <= cursor.selectionEnd():
                    current.remove(b)
            fmt = cursor.blockFormat()
            fmt.setIndent(0)
            cursor.setBlockFormat(fmt)
        else:
            cursor.createList(_STYLES[style])
        cursor.endEditBlock()
        self._show_format()

    def _show_format(self) -> None:
        self.bold.setChecked(self.text.fontWeight() >= QFont.Weight.Bold)
        self.italic.setChecked(self.text.fontItalic())
        current = self.text.textCursor().currentList()
        style = current.format().style() if current is not None else None
        self.bullets.setChecked(style == _STYLES["bullet"])
        self.numbers.setChecked(style == _STYLES["number"])

class MarkedCopies(QObject):
    """Copy and Cut in the line edits it watches put the text on the clipboard with
    ``mark_of()`` in front (a line edit has no hook for what it copies, so its keys are taken
    here)."""

    def __init__(self, mark_of: Callable[[], str], parent: QObject) -> None:
        super().__init__(parent)
        self.mark_of = mark_of

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QLineEdit) or event.type() not in (
                QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key: QKeyEvent = event  # type: ignore[assignment]
        cut = key.matches(QKeySequence.StandardKey.Cut)
        if not (cut or key.matches(QKeySequence.StandardKey.Copy)):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if watched.hasSelectedText():
            QGuiApplication.clipboard().setText(
                marked_copy(self.mark_of(), watched.selectedText()))
            if cut and not watched.isReadOnly():
                watched.del_()
                watched.textEdited.emit(watched.text())
        return True
