"""The Help menu: keyboard shortcuts (read off the window's own actions), a short guide to
markings in the app, and About (the versions of everything the store and window run on).

None of these show store content: they carry an UNCLASSIFIED banner top and bottom, which says
so (a dialog on a classified workstation without a banner would leave the reader guessing).
"""

from __future__ import annotations

import html
import platform
import sqlite3

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import __version__, markings
from hstc_desk.build_info import build_id
from hstc_desk.gui.editing.editor import EDITOR_KEYS
from hstc_desk.gui.widgets.banner import BannerBar

# The main window installs this menu, so it is never imported here: what the menu reads of it
# (the session, for About) is looked up, and the window is a QMainWindow as far as Qt goes.
MainWindow = QMainWindow

UNCLASSIFIED = markings.parse("(U)")
SHORTCUTS_KEY = "F1"


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(what, where, keys) for every action of ``window`` that has a shortcut, menus first in
    their order, then actions that live on widgets (such as the filter bar's)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(actions: list[QAction], where: str) -> None:
        for a in actions:
            menu = a.menu()
            if isinstance(menu, QMenu):
                walk(menu.actions(), f"{where} › {_clean(a.text())}" if where
                     else _clean(a.text()))
                continue
            if a.isSeparator() or id(a) in seen:
                continue
            seen.add(id(a))
            keys = [k for k in a.shortcuts() if not k.isEmpty()]
            if keys:
                rows.append((_clean(a.text()), where, ", ".join(
                    k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)))

    menu_bar = getattr(window, "menuBar", None)
    if callable(menu_bar):
        walk(menu_bar().actions(), "")
    walk([a for a in window.findChildren(QAction) if id(a) not in seen], "")
    native = QKeySequence.SequenceFormat.NativeText
    for what, keys, _slot in EDITOR_KEYS:  # the keys an item editor makes for itself
        text = QKeySequence(keys).toString(native)
        if text:
            rows.append((what, "Item editor", text))
    return rows


def _framed(dialog: QDialog, body: QWidget) -> None:
    """``body`` between an UNCLASSIFIED banner top and bottom, with a Close button."""
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(0)
    top, bottom = (BannerBar(dialog, name=n) for n in ("topBanner", "bottomBanner"))
    for bar in (top, bottom):
        bar.set_marking(UNCLASSIFIED)
    inner = QVBoxLayout()
    inner.setContentsMargins(10, 10, 10, 10)
    inner.addWidget(body, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    inner.addWidget(buttons)
    outer.addWidget(top)
    outer.addLayout(inner, 1)
    outer.addWidget(bottom)


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Action", "Menu", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        _framed(self, self.table)
        # every row in view without scrolling, up to a height that fits a 1280x800 screen
        rows_height = sum(self.table.rowHeight(r) for r in range(len(rows)))
        self.resize(560, min(680, rows_height + self.table.horizontalHeader().height() + 110))


# Roll-up examples for the guide, each computed by the marking library itself when shown.
_EXAMPLES = (("(S//REL TO USA, GBR)", "(C//REL TO USA, AUS, GBR)"),
             ("(S//REL TO USA, GBR)", "(S//REL TO USA, CAN)"),
             ("(S//REL TO USA, GBR)", "(C)"),
             ("(S//SI//NF)", "(TS//HCS/SI//OC)"),
             ("(U//FOUO)", "(C//LES)"),
             ("(S)", "(U//LES-NF)"))


def rolled(portions: tuple[str, ...]) -> str:
    return markings.rollup(markings.parse(p) for p in portions).banner()


def guide_html() -> str:
    examples = "".join(
        f"<tr><td><code>{html.escape(' + '.join(p))}</code></td><td>→</td>"
        f"<td><code>{html.escape(rolled(p))}</code></td></tr>" for p in _EXAMPLES)
    return f"""
<h2>Markings in HSTC Desk</h2>
<h3>Portion marks and banners</h3>
<p>Every paragraph of an item (a <i>portion</i>), every link and every paragraph of a product
carries its own <b>portion mark</b> in short form, in parentheses: <code>(S//REL TO USA,
GBR)</code>, <code>(U//FOUO)</code>, <code>(TS//HCS/SI//OC/NF)</code>. The <b>banner</b> at the
top and bottom of a window is the roll-up of everything that window shows, in long form:
<code>SECRET//REL TO USA, GBR</code>. Banners are worked out, never typed; the main window's
banner is the workstation's system high.</p>
<p>Categories go in the order classification // SCI // dissemination // non-IC, separated by
<code>//</code>; several values in one category are separated by <code>/</code>. Colours:
green UNCLASSIFIED, blue CONFIDENTIAL, red SECRET, orange TOP SECRET, yellow TOP SECRET with
SCI.</p>
<h3>Roll-up</h3>
<ul>
<li>Classification: the highest portion. SCI (HCS, SI, TK): all of them.</li>
<li>NOFORN in any portion makes the banner NOFORN. ORCON, IMCON and PROPIN in any portion
reach the banner.</li>
<li>REL TO: the banner is REL TO only if every classified portion is, to the countries they
all share (FVEY and other groups counted as their countries). If only USA is left, the banner
is NOFORN.</li>
<li>RELIDO reaches the banner only if every classified portion carries it.</li>
<li>FOUO marks unclassified portions only, and reaches the banner only of an unclassified
document without LES.</li>
</ul>
<table cellspacing="4">{examples}</table>
<h3>REL TO and NOFORN</h3>
<p><b>NOFORN</b>: not releasable to foreign nationals. <b>REL TO USA, …</b>: releasable to the
countries listed (USA first, then country codes alphabetically, then groups). The two never
stand together. A bundle for a foreign partner carries only what is releasable to it: no
NOFORN, and every REL TO list names the partner; the export preview lists what is left out and
why.</p>
<h3>LES</h3>
<p><b>LES</b> (law enforcement sensitive) is a non-IC control; it rolls up into the banner.
<b>LES-NF</b> in a classified document puts NOFORN and LES in the banner.</p>
<h3>For investigative leads only</h3>
<p>Information from an intelligence-community originator may be used only to develop
investigative leads: not in affidavits, subpoenas, grand jury or court proceedings unless the
originator authorizes it. Such items carry the use restriction (shown in red in the detail
pane); products that cite them inherit it and print it, and nothing bearing it is exported to a
destination meant for prosecution use.</p>
<h3>In the app</h3>
<p>The marking picker offers only valid combinations. An item's marking is the roll-up of its
portions; you may raise it, never lower it, and no edit, merge or import ever lowers a marking.
Text you copy carries its portion mark, and the clipboard is cleared after a while and on
lock.</p>
"""


class MarkingsGuide(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Markings guide")
        self.setObjectName("markingsGuide")
        self.text = QTextBrowser(self)
        self.text.setHtml(guide_html())
        _framed(self, self.text)
        self.resize(680, 640)


def versions(window: MainWindow | None) -> list[tuple[str, str]]:
    """(component, version) of the app and what it runs on; the store's engine when open."""
    cipher = engine = "(the store is locked)"
    session = getattr(window, "session", None)
    if session is not None and not session.is_locked:
        conn = session.store.conn
        cipher = str(conn.execute("PRAGMA cipher_version").fetchone()[0])
        engine = str(conn.execute("SELECT sqlite_version()").fetchone()[0])
    return [("HSTC Desk", __version__), ("Build", build_id()), ("SQLCipher", cipher),
            ("SQLite (in SQLCipher)", engine),
            ("SQLite (Python's own)", sqlite3.sqlite_version), ("Qt", qVersion()),
            ("PySide6", PySide6.__version__), ("Python", platform.python_version())]


class AboutDialog(QDialog):
    def __init__(self, window: MainWindow | None = None) -> None:
        super().__init__(window)
        self.setWindowTitle("About HSTC Desk")
        self.setObjectName("aboutDialog")
        rows = "".join(f"<tr><td style='color:#555;padding-right:12px'>{html.escape(k)}</td>"
                       f"<td>{html.escape(v)}</td></tr>" for k, v in versions(window))
        self.label = QLabel(
            "<h3>HSTC Desk</h3><p>The analyst workstation of the Human Smuggling and "
            "Trafficking Center: an offline store of marked case items, exchanged only in "
            f"signed bundles.</p><table>{rows}</table>", self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        _framed(self, self.label)
        self.resize(460, 340)


def open_shortcuts(window: MainWindow) -> ShortcutsDialog:
    dialog = ShortcutsDialog(window)
    dialog.open()
    return dialog


def open_guide(window: MainWindow) -> MarkingsGuide:
    dialog = MarkingsGuide(window)
    dialog.show()  # not modal: the guide may stay open beside the work
    return dialog


def open_about(window: MainWindow) -> AboutDialog:
    dialog = AboutDialog(window)
    dialog.open()
    return dialog


def install(window: MainWindow) -> None:
    """Add the Help menu."""
    menu = window.menuBar().addMenu("&Help")
    for text, fn, name, keys in (
        ("&Keyboard shortcuts…", open_shortcuts, "shortcuts", SHORTCUTS_KEY),
        ("&Markings guide…", open_guide, "markingsGuide", None),
        ("&About HSTC Desk…", open_about, "about", None),
    ):
        action = menu.addAction(text)
        action.setObjectName(name)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False, f=fn: f(window))
