"""The review of one release request (issue 12 item 2): exactly what goes (every item, link and
product with id, marking and title, and which go only by an originator's authorization), what
is left out and why, whether the items are still those the requester saw ("unchanged" or
"CHANGED", from ``disclosure.review``), then Approve or Refuse with a reason.

Approve is disabled, with the reason shown, for the requester (two-person rule), for anyone
who is not a disclosure officer, for a decided request and for a CHANGED one; the store refuses
all of them anyway (``disclosure.approve``), and what it says is shown."""

from __future__ import annotations

import json
from functools import lru_cache

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.exchange import disclosure
from hstc_desk.exchange.authorizations import OFFICER
from hstc_desk.exchange.errors import ExchangeError
from hstc_desk.exchange.plan import Plan
from hstc_desk.gui.widgets.banner import BannerBar, Banners, clearance_banner, rollup_of
from hstc_desk.store import Store, StoreError

ROOT = QModelIndex()
GOES_COLUMNS = ("Id", "Marking", "Kind", "Title", "Note")
LEFT_OUT_SHOWN = 2000


@lru_cache(maxsize=4096)
def _rollup_text(marks: tuple[str, ...]) -> str:
    return markings.rollup([markings.parse(m) for m in marks]).portion()


def _row(p: Plan, r: int) -> tuple[str, str, str, str, str]:
    """(id, marking, kind, title, note) of row ``r`` of what goes: items, links, products."""
    if r < len(p.items):
        d = json.loads(p.items[r])
        note = ("ORCON released by the originator" if d["id"] in p.orcon_released else
                "leads-only lifted by the originator" if d["id"] in p.leads_only_lifted else "")
        return d["id"], d["marking"], d["kind"], d.get("title") or d.get("name") or "", note
    r -= len(p.items)
    if r < len(p.links):
        d = json.loads(p.links[r])
        return d["id"], d["marking"], "link", f"{d['src']} {d['link_type']} {d['dst']}", ""
    d = json.loads(p.products[r - len(p.links)])
    if "product" not in d:  # a figure image the product before it shows
        return d["sha256"][:16], d["marking"], "figure", "figure image of the product above", ""
    prod = d["product"]
    marks = (prod["title_marking"], *(x["marking"] for x in prod["portions"] if "marking" in x))
    return (prod["id"], _rollup_text(tuple(sorted(set(marks)))), "product",
            f"{prod['title']} (version {prod['version']})", "")


class GoesModel(QAbstractTableModel):
    """What goes, one row per record, each parsed only when it is drawn (a plan may hold
    tens of thousands of items)."""

    def __init__(self, plan: Plan | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self._cache: dict[int, tuple[str, str, str, str, str]] = {}

    def set_plan(self, plan: Plan | None) -> None:
        self.beginResetModel()
        self.plan, self._cache = plan, {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        p = self.plan
        return 0 if p is None or parent.isValid() else (
            len(p.items) + len(p.links) + len(p.products))

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return len(GOES_COLUMNS)

    def row(self, r: int) -> tuple[str, str, str, str, str]:
        assert self.plan is not None
        if r not in self._cache:
            if len(self._cache) > 5000:
                self._cache.clear()
            self._cache[r] = _row(self.plan, r)
        return self._cache[r]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                                Qt.ItemDataRole.ToolTipRole):
            return None
        return self.row(index.row())[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return GOES_COLUMNS[section]
        return None


def why_not_approve(store: Store, req: disclosure.Request, same: bool) -> str:
    """Why this user may not approve the request now ("" if they may). The store decides
    again on Approve; this only says it before the button is pressed."""
    user = store.user
    if user.role != OFFICER:
        return (f"You are {user.role}: only a disclosure officer may approve a release "
                "request.")
    if user.name == req.requester:
        return ("You asked for this release: the requester may not approve it (two-person "
                "rule); another disclosure officer must.")
    if req.status != "pending":
        return f"This request is {req.status}, not pending."
    if not same:
        return ("The items are not those the requester saw (an item changed since, or some "
                "are above your clearance): refuse it and ask for a new request.")
    return ""


class DisclosureReview(QDialog):
    """One release request, for its officer (and, read-only, for its requester)."""

    decided = Signal(str)  # the request id, once approved or refused here

    def __init__(self, store: Store, request_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disclosureReview")
        self.store = store
        self.request_id = request_id
        self.resize(980, 700)
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="disclosureHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.heading)
        self.state = QLabel(objectName="disclosureState")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        banner_row = QHBoxLayout()
        banner_row.addWidget(QLabel("What goes, its banner:"))
        self.banner = BannerBar(self, name="releaseBanner")
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        banner_row.addWidget(self.banner, 1)
        layout.addLayout(banner_row)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.goes_label = QLabel()
        top_layout.addWidget(self.goes_label)
        self.goes_model = GoesModel(parent=self)
        self.goes = QTableView(objectName="releaseGoes")
        self.goes.setModel(self.goes_model)
        self.goes.setWordWrap(False)
        self.goes.verticalHeader().hide()
        self.goes.horizontalHeader().setStretchLastSection(True)
        top_layout.addWidget(self.goes)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.left_out_label = QLabel()
        bottom_layout.addWidget(self.left_out_label)
        self.left_out = QTableWidget(0, 4, objectName="releaseLeftOut")
        self.left_out.setHorizontalHeaderLabels(["Id", "Marking", "Why left out", "Reason"])
        self.left_out.horizontalHeader().setStretchLastSection(True)
        self.left_out.verticalHeader().hide()
        self.left_out.setWordWrap(False)
        bottom_layout.addWidget(self.left_out)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([400, 200])
        layout.addWidget(split, 1)
        self.why = QLabel(objectName="disclosureWhyNot")
        self.why.setWordWrap(True)
        layout.addWidget(self.why)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton("Approve release", objectName="approveRelease")
        self.approve_button.clicked.connect(self.approve)
        self.reason = QLineEdit(objectName="refuseReason",
                                placeholderText="Reason for refusal (the requester reads it)")
        self.reason.setMaxLength(disclosure.REASON_MAX)
        self.reason.textChanged.connect(self._enable)
        self.refuse_button = QPushButton("Refuse with reason", objectName="refuseRelease")
        self.refuse_button.clicked.connect(self.refuse)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.status = QLabel(objectName="disclosureStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.system_high = clearance_banner(store.accreditation)
        self.banners = Banners(self, self.system_high)
        self.request: disclosure.Request | None = None
        self.plan: Plan | None = None
        self.same = False
        self.load()

    def load(self) -> bool:
        """Read the request and make its preview again, now, under this user's clearance."""
        try:
            self.request, self.plan, self.same = disclosure.review(self.store, self.request_id)
        except (ExchangeError, StoreError) as exc:
            self.request = self.plan = None
            self.heading.setText(f"Release request {self.request_id}")
            self.status.setText(str(exc))
            self.goes_model.set_plan(None)
            self._enable()
            return False
        req, p = self.request, self.plan
        self.setWindowTitle(f"Release request {req.id} to {req.destination}")
        decided = (f"<br>{req.status} by {req.officer} at {req.decided:%Y-%m-%d %H:%M} UTC"
                   if req.officer and req.decided else "")
        reason = f"<br><b>Reason:</b> {_esc(req.reason)}" if req.reason else ""
        self.heading.setText(
            f"<b>Release request {req.id}</b> · {req.status}<br>to <b>{req.destination}</b> "
            f"({_esc(p.destination.name)}) · asked by <b>{_esc(req.requester)}</b> at "
            f"{req.created:%Y-%m-%d %H:%M} UTC · scope {_esc(req.scope.describe())}<br>"
            f"the request fixed {req.items} items, {req.links} links, {req.products} products, "
            f"{req.left_out} left out · manifest sha256 {req.manifest_sha256[:16]}…"
            f"{decided}{reason}")
        if self.same:
            self.state.setText("<b>Unchanged</b>: the items below are exactly those the "
                               "requester saw.")
            self.state.setStyleSheet("QLabel { color: #006400; }")
        else:
            self.state.setText("<b>CHANGED</b>: the items below are not those the requester saw "
                               "(an item changed since, or some are above your clearance); it "
                               "cannot be approved.")
            self.state.setStyleSheet("QLabel { color: #b00020; }")
        goes = rollup_of(sorted(p.markings))
        self.banner.set_marking(goes)
        self.goes_model.set_plan(p)
        self.goes.resizeColumnsToContents()
        for c, most in ((0, 200), (1, 240), (3, 340)):
            self.goes.setColumnWidth(c, min(most, self.goes.columnWidth(c)))
        extra = "".join(f", {n} {what}" for n, what in ((len(p.orcon_released),
                        "by an originator's ORCON release"), (len(p.leads_only_lifted),
                        "with leads-only lifted")) if n)
        self.goes_label.setText(f"<b>Goes</b>: {len(p.items)} items, {len(p.links)} links, "
                                f"{len(p.products)} product lines{extra}")
        shown = p.excluded[:LEFT_OUT_SHOWN]
        self.left_out.setRowCount(len(shown))
        for r, e in enumerate(shown):
            for c, text in enumerate((e.id, e.marking, e.category, e.reason)):
                self.left_out.setItem(r, c, QTableWidgetItem(text))
        for c in range(3):
            self.left_out.resizeColumnToContents(c)
        hidden = f"; {p.hidden} above your clearance, not listed" if p.hidden else ""
        more = f" (the first {LEFT_OUT_SHOWN} listed)" if len(p.excluded) > LEFT_OUT_SHOWN else ""
        self.left_out_label.setText(f"<b>Left out</b>: {len(p.excluded)}{more}{hidden}")
        # the window shows what goes and the markings of what is left out: their roll-up
        marks = rollup_of([*p.markings, *(e.marking for e in shown)])
        self.banners.set_marking(self.system_high if marks is None else marks)
        self._enable()
        return True

    def _enable(self) -> None:
        req = self.request
        if req is None:
            self.approve_button.setEnabled(False)
            self.refuse_button.setEnabled(False)
            self.reason.setEnabled(False)
            return
        why = why_not_approve(self.store, req, self.same)
        # a CHANGED request cannot be approved but is refused; the other reasons bar both
        refuse_why = why_not_approve(self.store, req, True)
        self.approve_button.setEnabled(not why)
        self.reason.setEnabled(not refuse_why)
        self.refuse_button.setEnabled(not refuse_why and bool(self.reason.text().strip()))
        self.why.setText(f"<b>Approve is not available</b>: {why}" if why else
                         "Approve signs your approval of exactly these items for "
                         f"{req.destination} with your key; {req.requester} may then write "
                         "the bundle.")

    def approve(self) -> bool:
        """The officer's approval (the store checks the two-person rule again)."""
        try:
            req = disclosure.approve(self.store, self.request_id)
        except (ExchangeError, StoreError) as exc:
            self.status.setText(f"Not approved: {exc}")
            return False
        self.load()
        self.status.setText(f"Approved by {req.officer}: {req.requester} may now write the "
                            "bundle (Exchange > Export bundle…, Write approved bundle…).")
        self.decided.emit(req.id)
        return True

    def refuse(self) -> bool:
        try:
            req = disclosure.refuse(self.store, self.request_id, self.reason.text())
        except (ExchangeError, StoreError) as exc:
            self.status.setText(f"Not refused: {exc}")
            return False
        self.load()
        self.status.setText(f"Refused by {req.officer}; {req.requester} will read the reason.")
        self.decided.emit(req.id)
        return True


def _esc(text: str | None) -> str:
    import html

    return html.escape(text or "")
