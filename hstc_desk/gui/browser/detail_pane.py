"""The detail pane: one item's own banner, marked portions, metadata and links, with history."""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import QMimeData, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.domain import Item, Link
from hstc_desk.gui.session.clipboard import ClipboardGuard, marked_copy
from hstc_desk.gui.widgets.banner import BannerBar
from hstc_desk.store import NotFound, Store, browse

RELIABILITY = {"A": "reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable", "F": "cannot be judged"}
CREDIBILITY = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful",
               5: "improbable", 6: "cannot be judged"}
LEADS_ONLY = ("USE RESTRICTION: intelligence information, for investigative leads only; not for "
              "affidavits, subpoenas, grand jury or court proceedings without the originator's "
              "authorization.")
_BASE_FIELDS = {"id", "kind", "title", "portions", "marking", "case_id", "originator",
                "use_restriction", "version", "created", "updated"}
_ID = re.compile(r"^(PER|ORG|LOC|DOC|EVT|LEG|RPT|CAS)-[0-9a-f]{16}$")


class History:
    """Back and forward over visited item ids."""

    def __init__(self) -> None:
        self.back: list[str] = []
        self.forward: list[str] = []
        self.current: str | None = None

    def visit(self, item_id: str) -> None:
        if item_id == self.current:
            return
        if self.current is not None:
            self.back.append(self.current)
        self.current = item_id
        self.forward.clear()

    def go_back(self) -> str | None:
        if not self.back:
            return None
        if self.current is not None:
            self.forward.append(self.current)
        self.current = self.back.pop()
        return self.current

    def go_forward(self) -> str | None:
        if not self.forward:
            return None
        if self.current is not None:
            self.back.append(self.current)
        self.current = self.forward.pop()
        return self.current


def selection_marking(selected: str, portions: list[tuple[str, str]], item_marking: str) -> str:
    """The portion mark that goes with copied text: the roll-up of the portions the selection
    touches, or the item's marking when it touches none (it is never lower than its source)."""
    lines = [ln.strip() for ln in selected.replace("\u2029", "\n").splitlines() if ln.strip()]
    lines = [re.sub(r"^\([^)]*\)\s*", "", ln) for ln in lines]
    touched = {mark for mark, text in portions for ln in lines if ln and ln in text}
    covered = all(any(ln in text for _, text in portions) for ln in lines if ln)
    if not touched or not covered:
        touched.add(item_marking)
    return markings.rollup(markings.parse(m) for m in touched).portion()


class MarkedTextBrowser(QTextBrowser):
    """A text browser whose copies carry their portion mark (and are cleared on a timer)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.portions: list[tuple[str, str]] = []
        self.item_marking = "(U)"
        self.guard: ClipboardGuard | None = None

    def createMimeDataFromSelection(self) -> QMimeData:
        # as plain text: paragraphs and table cells on lines, not U+2029 and U+FDD0 separators
        selected = self.textCursor().selection().toPlainText()
        mark = selection_marking(selected, self.portions, self.item_marking)
        value = marked_copy(mark, selected)
        mime = QMimeData()
        mime.setText(value)
        if self.guard is not None:
            self.guard.expect(value)
        return mime


class DetailPane(QWidget):
    """Shows the current item. ``navigate(item_id)`` asks the window to select another item."""

    navigate = Signal(str)
    edit_requested = Signal(str)
    link_requested = Signal(str)

    def __init__(self, guard: ClipboardGuard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.item: Item | None = None
        self._shown: list[str] = []
        self.terms: list[str] = []
        self.history = History()
        self.banner = BannerBar(self, name="itemBanner")
        # a long banner wraps onto a second line rather than widen the pane
        self.banner.setWordWrap(True)
        self.banner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.back_button = QToolButton(self, text="◀ Back")
        self.forward_button = QToolButton(self, text="Forward ▶")
        self.edit_button = QToolButton(self, text="Edit…")
        self.link_button = QToolButton(self, text="Link…")
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        # A long title wraps to the pane's width; it never widens the pane (and its dock).
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(1)
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.text = MarkedTextBrowser(self)
        self.text.guard = guard
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._anchor)
        self.back_button.clicked.connect(self.back)
        self.forward_button.clicked.connect(self.forward)
        self.edit_button.clicked.connect(self._edit)
        self.link_button.clicked.connect(self._link)
        bar = QHBoxLayout()
        for b in (self.back_button, self.forward_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.link_button)
        bar.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        self.clear()

    # ---- showing ----

    def set_store(self, store: Store | None) -> None:
        self.store = store
        if store is None:
            self.clear()

    def clear(self) -> None:
        self.item = None
        self.banner.set_marking(None)
        self.banner.setText("No item selected")
        self.title.setText("")
        self.text.setHtml("<p style='color:#777'>Select an item in the list, or search.</p>")
        self.text.portions = []
        self._buttons()

    def _buttons(self) -> None:
        self.back_button.setEnabled(bool(self.history.back))
        self.forward_button.setEnabled(bool(self.history.forward))
        self.edit_button.setEnabled(self.item is not None)
        self.link_button.setEnabled(self.item is not None)

    def show_item(self, item_id: str, *, record: bool = True) -> bool:
        if self.store is None:
            return False
        try:
            item = self.store.get_item(item_id)
        except NotFound:
            return False
        if record:
            self.history.visit(item_id)
        self.item = item
        m = markings.parse(item.marking)
        self.title.setText(f"{html.escape(m.portion())} {self._highlight(item.title)}")
        self.text.portions = [(p.marking, p.text) for p in item.portions]
        self.text.item_marking = item.marking
        self.text.setHtml(self.render(item))
        # The pane's banner covers everything on it: the item, its links, and the marked titles
        # of the items they lead to, which may be marked higher than the item itself.
        self.banner.set_marking(markings.rollup(markings.parse(x) for x in self._shown))
        self._buttons()
        return True

    def _edit(self) -> None:
        if self.item is not None:
            self.edit_requested.emit(self.item.id)

    def _link(self) -> None:
        if self.item is not None:
            self.link_requested.emit(self.item.id)

    def back(self) -> None:
        item_id = self.history.go_back()
        if item_id:
            self.show_item(item_id, record=False)
            self.navigate.emit(item_id)

    def forward(self) -> None:
        item_id = self.history.go_forward()
        if item_id:
            self.show_item(item_id, record=False)
            self.navigate.emit(item_id)

    def _anchor(self, url: QUrl) -> None:
        item_id = url.toString().removeprefix("item:")
        if _ID.match(item_id) and self.show_item(item_id):
            self.navigate.emit(item_id)

    # ---- rendering ----

    def _highlight(self, text: str) -> str:
        out = html.escape(text)
        for term in sorted(set(self.terms), key=len, reverse=True):
            if len(term) < 2:
                continue
            out = re.sub(rf"(?i)\b({re.escape(html.escape(term))}\w*)",
                         r"<span style='background:#ffe066'>\1</span>", out)
        return out

    def render(self, item: Item) -> str:
        """The pane's HTML; every marking it shows is collected in ``self._shown``."""
        assert self.store is not None
        self._shown = [item.marking, *(p.marking for p in item.portions)]
        refs = self._refs(item)
        names = browse.titles_of(self.store, list(refs))
        parts = []
        if item.leads_only:
            parts.append(f"<p style='color:#8a1c00'><b>{html.escape(LEADS_ONLY)}</b></p>")
        parts.append("<h3>Portions</h3>")
        for p in item.portions:
            parts.append(f"<p><b>{html.escape(p.marking)}</b> {self._highlight(p.text)}</p>")
        if not item.portions:
            parts.append("<p style='color:#777'>No portions.</p>")
        parts.append("<h3>Details</h3><table cellspacing='2'>")
        rows: list[tuple[str, str]] = [
            ("Id", html.escape(item.id)), ("Kind", item.kind.replace("_", " ")),
            ("Version", str(item.version)), ("Originator", html.escape(item.originator)),
            ("Use restriction", "investigative leads only" if item.leads_only else "none"),
        ]
        if item.case_id:
            rows.append(("Case", self._ref(item.case_id, names)))
        if item.kind == "report":
            rel, cred = item.reliability, item.credibility  # type: ignore[union-attr]
            rows.append(("Source reliability", f"{rel} — {RELIABILITY.get(rel, '')}"))
            rows.append(("Information credibility", f"{cred} — {CREDIBILITY.get(cred, '')}"))
        for name, value in item.model_dump().items():
            if name in _BASE_FIELDS or name in ("reliability", "credibility") \
                    or value in (None, []):
                continue
            rows.append((name.replace("_", " ").capitalize(), self._value(value, names)))
        rows += [("Created", str(item.created)[:19]), ("Updated", str(item.updated)[:19])]
        parts += [f"<tr><td style='color:#555;padding-right:8px'>{k}</td><td>{v}</td></tr>"
                  for k, v in rows]
        parts.append("</table>")
        parts.append(self._links_html(item))
        return "".join(parts)

    def _value(self, value: Any, names: dict) -> str:
        if isinstance(value, list):
            return ", ".join(self._value(v, names) for v in value)
        text = str(value)
        return self._ref(text, names) if _ID.match(text) else html.escape(text)

    def _ref(self, item_id: str, names: dict) -> str:
        if item_id not in names:
            return "<i>(not visible)</i>"
        _, title, mark = names[item_id]
        self._shown.append(mark)
        return f"<a href='item:{item_id}'>{html.escape(mark)} {html.escape(title)}</a>"

    def _refs(self, item: Item) -> set[str]:
        out: set[str] = set()
        for value in item.model_dump().values():
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str) and _ID.match(v) and v != item.id:
                    out.add(v)
        return out

    def _links_html(self, item: Item) -> str:
        assert self.store is not None
        links: list[Link] = self.store.links_of(item.id, limit=200)
        others = {lk.dst if lk.src == item.id else lk.src for lk in links}
        names = browse.titles_of(self.store, list(others))
        rows = []
        for lk in links:
            other = lk.dst if lk.src == item.id else lk.src
            if other not in names:
                continue  # the other end is above this user's clearance: never shown
            self._shown.append(lk.marking)
            arrow = "→" if lk.src == item.id else "←"
            rows.append(f"<li><b>{html.escape(lk.marking)}</b> {arrow} "
                        f"{lk.link_type.replace('_', ' ')}: {self._ref(other, names)}</li>")
        body = "".join(rows) or "<li style='color:#777'>No links.</li>"
        return f"<h3>Links ({len(rows)})</h3><ul>{body}</ul>"
