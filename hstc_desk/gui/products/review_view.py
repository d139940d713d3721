"""The review view: one product version as it will print (its real PDF pages), what changed
against the last approved version, the portions with a comment box each, and the reviewer's
actions: return to draft with comments anchored to portions, or approve and sign (the password
asked again). Separation of duties is shown, not only enforced: for the author, an editor, a
non-supervisor or a version not in review, Approve is disabled and the reason is written beside
it; the store refuses anyway (``approve_with`` goes straight to it).

The window's banners cover everything it shows: the version's banner rolled up with the banner
of the approved version its changes are read against."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.product_portions import (
    PortionInput,
)
from hstc_desk.domain.product_templates import TYPE_LABELS
from hstc_desk.domain.products import Product
from hstc_desk.gui.products.review_changes import ChangesPanel
from hstc_desk.gui.products.review_comments import CommentsPanel
from hstc_desk.gui.products.review_pages import PageColumn
from hstc_desk.gui.products.review_password import SignPasswordDialog
from hstc_desk.gui.products.review_render import render
from hstc_desk.gui.products.review_text import escape, snippet
from hstc_desk.gui.widgets.banner import Banners
from hstc_desk.gui.widgets.tasks import run_task
from hstc_desk.reports.from_store import document_of
from hstc_desk.store import Store
from hstc_desk.store import products as store_products
from hstc_desk.store.errors import StoreError
from hstc_desk.store.product_history import changes_since_approved, comments


def approve_refusal(store: Store, product: Product) -> str:
    """Why this user may not approve this version, or "" (the store checks the same again)."""
    me = store.user
    if me.role != "supervisor":
        return f"Only a supervisor approves; you are {me.role}."
    if product.status != "in_review":
        return f"Version {product.version} is {product.status.replace('_', ' ')}, not in review."
    if me.name == product.author:
        return ("Separation of duties: you authored this version, and nobody approves a "
                "version they authored or edited.")
    if me.name in product.editors:
        return ("Separation of duties: you edited this version, and nobody approves a version "
                "they authored or edited.")
    return ""


def return_refusal(store: Store, product: Product) -> str:
    if store.user.role != "supervisor":
        return f"Only a supervisor returns a product; you are {store.user.role}."
    if product.status != "in_review":
        return f"Version {product.version} is {product.status.replace('_', ' ')}, not in review."
    return ""


class ReviewView(QDialog):
    """Opens on the latest version the user may see (or ``version``). ``changed`` is emitted
    after a return or an approval, so the queue reads the store again."""

    changed = Signal(str)
    pages_ready = Signal()

    def __init__(self, store: Store, product_id: str, *, version: int | None = None,
                 parent: QWidget | None = None,
                 open_draft: Callable[[str], object] | None = None,
                 open_history: Callable[[str], object] | None = None,
                 open_export: Callable[[str, int], object] | None = None,
                 open_responses: Callable[[str], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.store = store
        self.product_id = product_id
        self._hooks = {"draft": open_draft, "history": open_history, "export": open_export,
                       "responses": open_responses}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.heading = QLabel(objectName="reviewHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.pages = PageColumn(split)
        side = QTabWidget(split, objectName="reviewTabs")
        split.addWidget(self.pages)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.split = split
        layout.addWidget(split, 1)

        self.changes_panel = ChangesPanel(side)
        self.changes_panel.portion_chosen.connect(self.show_portion)
        side.addTab(self.changes_panel, "Changes")
        self.comments_panel = CommentsPanel(side)
        self.comments_panel.portion_chosen.connect(self.show_portion)
        side.addTab(self.comments_panel, "Portions and comments")
        self.tabs = side
        # what tests and the screenshot script reach for, by their old names
        self.changes, self.changes_note = self.changes_panel.table, self.changes_panel.note
        self.change_detail = self.changes_panel.detail
        self.portions, self.overall = self.comments_panel.portions, self.comments_panel.overall
        self.comment, self.earlier = self.comments_panel.comment, self.comments_panel.earlier

        # actions
        self.refusal = QLabel(objectName="approveRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #8a4b00;")
        layout.addWidget(self.refusal)
        self.status = QLabel(objectName="reviewStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.edit_button = self._button(row, "Edit draft…", "reviewEdit", self._edit)
        self.history_button = self._button(row, "Version history…", "reviewHistory",
                                           lambda: self._call("history", self.product_id))
        self.export_button = self._button(row, "Print / Export PDF…", "reviewExport",
                                          lambda: self._call("export", self.product_id,
                                                             self.product.version))
        self.responses_button = self._button(row, "Referral responses…", "reviewResponses",
                                             lambda: self._call("responses", self.product_id))
        row.addStretch(1)
        self.return_button = self._button(row, "Return to draft", "reviewReturn",
                                          self.return_to_draft)
        self.approve_button = self._button(row, "Approve and sign…", "reviewApprove",
                                           self.ask_to_sign)
        layout.addLayout(row)
        self.banners = Banners(self)
        self.sign_dialog: SignPasswordDialog | None = None
        self._render_seq = 0
        self.confirm_discard: Callable[[], bool] = self.ask_to_discard
        self.pdf = b""
        screen = self.screen().availableGeometry()
        self.resize(min(1560, screen.width() - 60), min(1000, screen.height() - 40))
        page = self._page_width() + 48
        self.split.setSizes([page, max(360, self.width() - page)])
        self.load(version)

    # ---- building ----

    @staticmethod
    def _button(row: QHBoxLayout, text: str, name: str, slot: Callable[[], object]
                ) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.setAutoDefault(False)  # Enter in the lists or comments never approves or returns
        button.clicked.connect(lambda _checked=False: slot())
        row.addWidget(button)
        return button

    def _call(self, hook: str, *args: object) -> object:
        fn = self._hooks.get(hook)
        return None if fn is None else fn(*args)

    # ---- reading ----

    def load(self, version: int | None = None) -> None:
        """Read the version from the store and show it: pages, changes, portions, actions."""
        p = store_products.get(self.store, self.product_id, version)
        self.product = p
        self.latest = store_products.get(self.store, self.product_id).version
        self.setWindowTitle(f"Review {p.id} version {p.version} — {p.title}")
        kind = TYPE_LABELS.get(p.product_type, p.product_type)
        editors = f"; edited by {', '.join(p.editors)}" if p.editors else ""
        later = (f" · <i>version {self.latest} is the latest</i>"
                 if self.latest != p.version else "")
        referral = ""
        if p.product_type == "referral":
            referral = (f"<br>To {escape(', '.join(p.addressees or []))} · recommended "
                        f"action: {escape(p.recommended_action or '')}")
        self.heading.setText(
            f"<span style='font-size:14pt'><b>{escape(p.title_marking)} {escape(p.title)}"
            f"</b></span><br>{kind} · {p.id} · version {p.version} · "
            f"<b>{p.status.replace('_', ' ')}</b> · by {p.author}{editors}{later}{referral}")
        self.diff = changes_since_approved(self.store, p.id, p.version)
        self.changes_panel.show_diff(self.diff)
        self.comments_panel.show_product(p, comments(self.store, p.id))
        self._show_pages(p)
        shown = [p.banner_marking()]
        if self.diff.old_banner:
            shown.append(markings.parse(self.diff.old_banner))
        self.banners.set_marking(markings.rollup(shown))
        self._actions_for(p)

    def _show_pages(self, p: Product) -> None:
        """What the version prints, read from the store here and rendered off the GUI thread
        (a long product takes a second); ``pages_ready`` says when the pages are shown."""
        self._render_seq += 1
        seq = self._render_seq
        self.pdf = b""
        try:
            doc = document_of(self.store, p.id, version=p.version)
        except (StoreError, DomainError, ValueError) as exc:
            self.pages.show_message(f"The PDF could not be made: {exc}")
            return
        self.pages.show_message(f"Drawing the pages of version {p.version} as they will "
                                "print…")

        def done(pdf: bytes) -> None:
            if shiboken6.isValid(self) and seq == self._render_seq:  # not closed, not stale
                self.pdf = pdf
                self.pages.show_pdf(pdf, width=self._page_width())
                if self.diff.old_version is not None and self.diff.changed:
                    self.changes_panel.chosen()  # open at the first change
                self.pages_ready.emit()

        def failed(message: str) -> None:
            if shiboken6.isValid(self) and seq == self._render_seq:
                self.pages.show_message(f"The PDF could not be made: {message}")

        run_task(lambda _ctx: render(doc), on_done=done, on_error=failed)

    def _page_width(self) -> int:
        """The pages take a little over half the window (the splitter is set to match)."""
        return max(420, min(900, self.width() * 55 // 100 - 48))

    def show_portion(self, portion: PortionInput | None) -> int | None:
        """Turn the pages to the one where ``portion`` starts; that page (0-based), or None."""
        if portion is None:
            return None
        page = self.pages.find_page(snippet(portion))
        if page is not None:
            self.pages.show_page(page)
        return page

    def _actions_for(self, p: Product) -> None:
        why = approve_refusal(self.store, p)
        self.approve_button.setEnabled(not why)
        self.approve_button.setToolTip(why or "Sign this version with your key")
        if p.status == "in_review":  # why this reviewer may not approve it
            self.refusal.setStyleSheet("color: #8a4b00;")
            self.refusal.setText(f"Approve is not available: {why}" if why else "")
        else:  # nothing to approve: say where the version stands
            self.refusal.setStyleSheet("")
            self.refusal.setText(self._standing(p))
        self.refusal.setVisible(bool(self.refusal.text()))
        back = return_refusal(self.store, p)
        self.return_button.setEnabled(not back)
        self.return_button.setToolTip(back or "Send this version back to its author")
        self.comments_panel.set_open(not back)
        editable = (p.status != "in_review" and p.version == self.latest
                    and self._hooks["draft"] is not None
                    and self.store.user.role in store_products.AUTHORS)
        self.edit_button.setVisible(editable)
        self.edit_button.setText("Edit draft…" if p.status == "draft" else
                                 "Edit as a new version…")
        self.responses_button.setVisible(p.product_type == "referral"
                                         and p.status == "approved")

    def _standing(self, p: Product) -> str:
        if p.status == "draft":
            return (f"Version {p.version} is a draft: it comes to review when its author "
                    "submits it.")
        stored = store_products.signoff_of(self.store, p.id, p.version)
        if stored is None:
            return f"Version {p.version} is approved, but this store holds no sign-off for it."
        so = stored.signoff
        whence = " (imported)" if stored.received_from else ""
        return (f"Version {p.version} was approved and signed by {so.signer}{whence} on "
                f"{so.signed_at:%Y-%m-%d %H:%M} UTC; it never changes.")

    # ---- acting ----

    def anchored_comments(self) -> list[tuple[str, str]]:
        """The (portion id, text) of every portion with a comment typed in."""
        return self.comments_panel.anchored_comments()

    def return_to_draft(self) -> bool:
        """Return the version with the overall comment and the anchored ones."""
        overall = self.overall.toPlainText().strip()
        anchored = self.anchored_comments()
        if not overall:
            self._say("Refused: say why in the overall comment before returning it.", bad=True)
            self.overall.setFocus()
            return False
        try:
            store_products.return_product(self.store, self.product_id, overall,
                                          anchored=anchored)
        except (StoreError, DomainError) as exc:
            self._say(f"Refused: {exc}", bad=True)
            return False
        self.overall.clear()
        self.load()
        self._say(f"Returned to {self.product.author} as a draft with "
                  f"{len(anchored)} portion comment(s).")
        self.changed.emit(self.product_id)
        return True

    def approve_with(self, password: str) -> str:
        """Approve and sign in the store with the re-entered password: "" or why not."""
        try:
            store_products.approve(self.store, self.product_id, password=password)
        except (StoreError, DomainError) as exc:
            return str(exc)
        return ""

    def ask_to_sign(self) -> SignPasswordDialog:
        p = self.product
        dialog = SignPasswordDialog(
            product_id=p.id, version=p.version, title=f"{p.title_marking} {p.title}",
            banner=p.banner_marking(), signer=self.store.user.name, attempt=self.approve_with,
            parent=self)
        dialog.accepted.connect(self._signed)
        self.sign_dialog = dialog
        dialog.open()
        return dialog

    def _signed(self) -> None:
        self.load()
        stored = store_products.signoff_of(self.store, self.product.id, self.product.version)
        who = stored.signoff.signer if stored else "?"
        self._say(f"Approved and signed by {who}: version {self.product.version} is final.")
        self.changed.emit(self.product_id)

    def unsent_comments(self) -> bool:
        """Comments typed for a return that has not been made."""
        return bool(self.overall.toPlainText().strip() or self.anchored_comments())

    def ask_to_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Unsent comments",
                          "This version has comments typed for a return that was not made. "
                          "Close and lose them?",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                          self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        """Escape or the title bar: typed comments are never lost without asking (a lock puts
        the view away through QDialog.done, which never asks)."""
        if self.unsent_comments() and not self.confirm_discard():
            return
        super().reject()

    def _edit(self) -> None:
        self._call("draft", self.product_id)

    def _say(self, text: str, *, bad: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020; font-weight: bold;" if bad else "")
        self.status.setText(text)

