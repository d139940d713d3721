"""Export dialog: destination and scope, a preview of what goes and what is left out and why,
then write with progress and cancel; the media may be removed only after read-back.

To a foreign destination the export is a release request (issue 12 item 2): after the preview,
"Request release" records it and writes nothing; a disclosure officer other than the requester
approves or refuses it. The analyst's own requests are listed below with their state (a
refusal with its reason), and an approved one is written with "Write approved bundle…"."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.exchange.flows import ExportFlow, ExportState
from hstc_desk.gui.editing.item_picker import ItemPicker, bind_to
from hstc_desk.gui.exchange.disclosure_requests import MyRequests
from hstc_desk.gui.session.app_lock import lock_holds
from hstc_desk.gui.widgets.banner import BannerBar, Banners, clearance_banner, rollup_of
from hstc_desk.store import Store


class ExportDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 selection: tuple[str, ...] | None = None) -> None:
        """``selection``: the ids the analyst selected (in the browser), if the export is of
        those alone; otherwise the scope is everything, a case or a search."""
        super().__init__(parent)
        self.setWindowTitle("Export a bundle")
        self.resize(880, 660)  # the left-out table's reasons readable, not squeezed to 550 px
        self.setMinimumWidth(720)  # the left-out table shows id, marking and reason unwrapped
        self.flow = ExportFlow(store)
        self.selection = selection
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.destination = QComboBox()
        for code, name in self.flow.destinations():
            self.destination.addItem(f"{code} — {name}", code)
        self.case_id = QLineEdit(placeholderText="optional: a case id")
        self.query = QLineEdit(placeholderText="optional: a search")
        form.addRow("Destination", self.destination)
        self.destination.currentIndexChanged.connect(self._stale)
        form.addRow("Case", self.case_id)
        form.addRow("Search", self.query)
        # the case is picked by its title; the id field stays, hidden, holding the case's id
        self.case_picker = bind_to(
            ItemPicker(store, kinds=("case",), placeholder="optional: type words of a case's "
                       "title", parent=self), self.case_id, form)
        self.case_picker.setObjectName("exportCasePicker")
        self.case_picker.shown_changed.connect(self._cover_listed)
        if selection is not None:
            form.addRow("Selection", QLabel(f"{len(selection)} selected items"))
        layout.addLayout(form)
        self.preview_button = QPushButton("Preview")
        self.preview_button.clicked.connect(self.preview)
        layout.addWidget(self.preview_button)
        # what goes, in its own banner colour; the window's banners cover what it shows
        banner_row = QHBoxLayout()
        self.banner_label = QLabel("Bundle banner:")
        self.banner = BannerBar(self, name="bundleBanner")
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        banner_row.addWidget(self.banner_label)
        banner_row.addWidget(self.banner, 1)
        layout.addLayout(banner_row)
        self.banner_label.hide()
        self.banner.hide()
        self.summary = QPlainTextEdit(readOnly=True)
        layout.addWidget(self.summary)
        self.left_out = QTableWidget(0, 4)
        self.left_out.setHorizontalHeaderLabels(["Id", "Marking", "Why left out", "Reason"])
        self.left_out.horizontalHeader().setStretchLastSection(True)  # the reason, in full
        layout.addWidget(self.left_out)
        out_row = QHBoxLayout()
        self.out_path = QLineEdit(placeholderText="Bundle file on the removable media")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row.addWidget(self.out_path)
        out_row.addWidget(browse)
        layout.addLayout(out_row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 3)
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("Export")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.run)
        self.request_button = QPushButton("Request release", objectName="requestRelease")
        self.request_button.clicked.connect(self.request_release)
        self.request_button.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._cancel)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.request_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.requests = MyRequests(self.flow, self, write=self.write_approved)
        # with the requests listed too, taller where the screen allows (the left-out table
        # kept at five rows or more)
        self.left_out.setMinimumHeight(150)
        self.resize(880, max(660, min(760, self.screen().availableGeometry().height() - 60)))
        self.requests.listed.connect(self._frame)
        layout.addWidget(self.requests)
        self._running = False
        self._shown: list[str] = []  # the markings the preview shows
        self.system_high = clearance_banner(store.accreditation)
        self.banners = Banners(self, self.system_high)
        self.requests.refresh()

    def _stale(self) -> None:
        """Another destination: the preview on screen is not of it; preview again first."""
        if self.flow.plan is None or self.flow.plan.destination.code == \
                self.destination.currentData():
            return
        self.export_button.setEnabled(False)
        self.request_button.setEnabled(False)
        self.status.setText("The destination changed: preview again.")

    def _cover_listed(self) -> None:
        """While the case picker's list is dropped down, the banners cover its titles too."""
        listed = [markings.parse(m) for m in self.case_picker.listed_marks()]
        if listed and self.banners.marking is not None:
            self.banners.set_marking(markings.rollup([self.banners.marking, *listed]))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Write bundle", "", "Bundles (*.bundle)")
        if path:
            self.out_path.setText(path)

    def preview(self) -> bool:
        ok = self.flow.preview(self.destination.currentData(), case_id=self.case_id.text(),
                               query=self.query.text(), ids=self.selection)
        release = ok and self.flow.needs_release
        self.export_button.setEnabled(ok and not release)
        self.export_button.setVisible(not release)
        self.request_button.setVisible(release)
        self.request_button.setEnabled(release)
        self.cancel_button.setText("Cancel")  # a new plan, not yet written
        if not ok:
            self.status.setText(self.flow.error)
            return False
        self._show_plan()
        if release:
            self.status.setText(
                self.status.text() + f" {self.flow.plan.destination.code} is a foreign "
                "destination: this export is a release request. Request release, then a "
                "disclosure officer other than you must approve exactly these items; only "
                "then can the bundle be written.")
        return True

    def _show_plan(self) -> None:
        p = self.flow.plan
        assert p is not None
        self.banner.set_marking(markings.rollup(markings.parse(m) for m in sorted(p.markings)))
        self.banner_label.show()
        self.banner.show()
        self.summary.setPlainText("\n".join(p.lines(limit=0)))
        shown = p.excluded[:2000]
        self.left_out.setRowCount(len(shown))
        for r, e in enumerate(shown):
            for c, text in enumerate((e.id, e.marking, e.category, e.reason)):
                self.left_out.setItem(r, c, QTableWidgetItem(text))
        # ids and markings whole on one line each (they wrapped and were cut in 100 px columns)
        self.left_out.setWordWrap(False)
        for c in range(3):
            self.left_out.resizeColumnToContents(c)
        # the window shows what goes and the markings of what is left out: their roll-up
        self._shown = [*p.markings, *(e.marking for e in shown)]
        self._frame()
        self.status.setText(f"{len(p.items)} items and {len(p.links)} links go; "
                            f"{len(p.excluded) + p.hidden} left out.")

    def _frame(self) -> None:
        """The banners: the roll-up of what the preview and the request list show."""
        shown_marks = rollup_of([*self._shown, *self.requests.listed_marks()])
        self.banners.set_marking(self.system_high if shown_marks is None else shown_marks)

    def request_release(self) -> bool:
        """Make the release request of the previewed foreign export; no bundle is written."""
        ok = self.flow.request()
        self.request_button.setEnabled(False)
        if not ok:
            self.status.setText(self.flow.error)
            self.request_button.setEnabled(self.flow.state == ExportState.PREVIEWED)
            return False
        self._show_plan()
        self.status.setText(self.flow.message)
        self.requests.refresh()
        return True

    def write_approved(self, request_id: str) -> bool:
        """Write the bundle of the user's approved request ``request_id``."""
        if not self.out_path.text().strip():
            self._browse()
        self._running = True
        self.requests.setEnabled(False)
        try:
            with lock_holds().hold(stop=self.flow.cancel):
                ok = self.flow.write_approved(request_id, self.out_path.text(),
                                              progress=self._progress)
        finally:
            self._running = False
            self.requests.setEnabled(True)
        if ok:
            assert self.flow.result is not None
            self.summary.appendPlainText("\n".join(self.flow.result.lines()))
            self.status.setText(f"{request_id}: {self.flow.message}")
        else:
            self.status.setText(self.flow.error or self.flow.message)
            self.progress.setValue(0)
        self.requests.refresh()
        return ok

    def _progress(self, stage: str, n: int, total: int) -> None:
        self.progress.setValue(n)
        self.status.setText(stage)
        QApplication.processEvents()

    def _cancel(self) -> None:
        if self._running:
            self.flow.cancel()
        else:
            self.reject()

    def run(self) -> bool:
        self._running = True
        self.export_button.setEnabled(False)
        try:
            # a lock asked for while it writes (Ctrl+L, idle) stops it at its next safe point
            # and comes when it ends: the store is never closed under a running export
            with lock_holds().hold(stop=self.flow.cancel):
                ok = self.flow.run(self.out_path.text(), progress=self._progress)
        finally:
            self._running = False
        if ok:
            assert self.flow.result is not None
            self.summary.appendPlainText("\n".join(self.flow.result.lines()))
            self.status.setText(self.flow.message)
            self.cancel_button.setText("Close")  # written and read back: nothing to cancel
        else:
            self.status.setText(self.flow.error or self.flow.message)
            self.export_button.setEnabled(self.flow.state != ExportState.DONE)  # try again
            self.progress.setValue(0)
        return ok
