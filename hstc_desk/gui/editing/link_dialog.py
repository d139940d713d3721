"""Link two items with a typed, marked link (the link's marking is its own)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from hstc_desk.domain import LINK_ENDPOINTS, DomainError, Link, new_id, parse_link
from hstc_desk.gui.editing.item_picker import ItemPicker, bind_to
from hstc_desk.gui.editing.marking_picker import MarkingPicker
from hstc_desk.gui.forms.ui_link_dialog import Ui_LinkDialog
from hstc_desk.gui.session.session import Session
from hstc_desk.gui.widgets.banner import Banners, clearance_banner, rollup_of
from hstc_desk.markings import MarkingError
from hstc_desk.store import StoreError, browse


class LinkDialog(QDialog):
    def __init__(self, session: Session, src_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_LinkDialog()
        self.ui.setupUi(self)
        self.session = session
        self.src_id = src_id
        self.link: Link | None = None
        self.picker = MarkingPicker(self.ui.markingBox)
        self.ui.pickerHostLayout.addWidget(self.picker)
        info = browse.titles_of(session.store, [src_id]).get(src_id)
        self.ui.srcLabel.setText(f"{info[2]} {info[1]} ({src_id})" if info else src_id)
        # banners: the roll-up of both ends' marked titles and the link's own marking
        self._src_mark = info[2] if info else ""
        self._dst_mark = ""
        self.banners = Banners(self, clearance_banner(session.store.accreditation))
        # The other end is picked by its title; the id field stays, hidden, holding its id.
        self.dst_picker = bind_to(ItemPicker(lambda: session.store, parent=self),
                                  self.ui.dstEdit, self.ui.form)
        self.dst_picker.setObjectName("dstPicker")
        self.dst_picker.shown_changed.connect(self._update_banners)
        self.ui.dstCaption.setText("&To")
        # the caption was laid out for a longer text: room for the whole word, never clipped
        self.ui.dstCaption.setMinimumWidth(
            self.ui.dstCaption.fontMetrics().horizontalAdvance("To") + 4)
        self.ui.dstEdit.textChanged.connect(self._dst_changed)
        self.picker.changed.connect(lambda _p: self._update_banners())
        self.ui.buttonBox.accepted.connect(self.save)
        self.ui.buttonBox.rejected.connect(self.reject)
        self._dst_changed()

    def _update_banners(self) -> None:
        link_mark = self.picker.portion() if not self.picker.error() else ""
        picker = getattr(self, "dst_picker", None)  # and the titles its list shows, if open
        listed = picker.listed_marks() if picker is not None else []
        shown = rollup_of([self._src_mark, self._dst_mark, link_mark, *listed])
        if shown is not None:
            self.banners.set_marking(shown)

    def _dst_changed(self) -> None:
        dst = self.ui.dstEdit.text().strip()
        info = browse.titles_of(self.session.store, [dst]).get(dst) if dst else None
        self.ui.dstInfo.setText(f"{info[2]} {info[1]}" if info else
                                ("no visible item with that id" if dst else ""))
        self._dst_mark = info[2] if info else ""
        self._update_banners()
        current = self.ui.typeCombo.currentText()
        self.ui.typeCombo.clear()
        for link_type, (srcs, dsts) in LINK_ENDPOINTS.items():
            if self.src_id[:3] in srcs and (not info or dst[:3] in dsts):
                self.ui.typeCombo.addItem(link_type)
        if current:
            self.ui.typeCombo.setCurrentText(current)
        ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(info) and self.ui.typeCombo.count() > 0)

    def save(self) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        store = self.session.store
        if not self.picker.portion():  # nothing is marked for the analyst, not even (U)
            self.ui.errorLabel.setText(self.picker.error() or "Choose the link's marking in the "
                                       "marking picker: a link is not marked for you.")
            return
        try:
            link = parse_link({
                "id": new_id("link"), "link_type": self.ui.typeCombo.currentText(),
                "src": self.src_id, "dst": self.ui.dstEdit.text().strip(),
                "marking": self.picker.portion(),
                "originator": store.get_item(self.src_id).originator,
                "created": now, "updated": now})
            store.insert_items([link], action="link.add")
        except (DomainError, MarkingError, StoreError) as exc:
            self.ui.errorLabel.setText(str(exc))
            return
        self.link = link
        self.accept()
