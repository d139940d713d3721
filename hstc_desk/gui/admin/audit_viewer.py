"""The audit viewer: the store's hash-chained audit records, newest first, paged with fetchMore,
each record's detail as readable text and who signed it (its signature checked against the
signer's certificate in force at that record, issue 12); and the sentence a verification of the
chain comes to."""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QDialog, QHeaderView, QTableView, QVBoxLayout, QWidget

from hstc_desk.gui.widgets.banner import Banners, clearance_banner
from hstc_desk.store import Store, audit, browse, certificates
from hstc_desk.store.audit import AuditVerdict

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Seq", "At", "Actor", "Action", "Target", "Detail", "Signed by")
SIGNER_COLUMN = 6
_DIGEST = re.compile(r"^[0-9a-f]{40,}$")
_AT = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?\+00:00$")


def verdict_sentence(verdict: AuditVerdict) -> str:
    """What a verification of the chain found, as a sentence for the status bar."""
    if verdict.ok:
        return (f"Audit chain intact: {verdict.records:,} records, "
                f"head {verdict.head.hash[:12]}… (record {verdict.head.seq:,}).")
    problem = (verdict.problem or next(iter(getattr(verdict, "problems", ())), "")).rstrip(".")
    where = f" at record {verdict.bad_seq:,}" if verdict.bad_seq is not None else ""
    return f"Audit chain broken{where}: {problem}."


def _value_text(value: Any, *, short: bool) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_value_text(v, short=short)}"
                         for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(v, short=short) for v in value) or "none"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = f"{value:,}" if isinstance(value, int) else str(value)
    if short and _DIGEST.match(text):
        return text[:12] + "…"  # a digest, shortened whole: the tool tip holds it in full
    return text


def detail_text(detail: str, *, short: bool = True) -> str:
    """An audit record's JSON detail as "key: value; key: value" text. ``short`` abbreviates
    digests (SHA-256 and the like) to their first 12 characters; nothing else is cut."""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return _value_text(data, short=short)
    return "; ".join(f"{k.replace('_', ' ')}: {_value_text(v, short=short)}"
                     for k, v in data.items())


def at_text(at: str) -> str:
    """``2026-12-03T14:19:01.112867+00:00`` as ``2026-12-03 14:19:01 UTC``."""
    found = _AT.match(at)
    return f"{found[1]} {found[2]} UTC" if found else at


def signer_texts(store: Store, chain: certificates.Chain, first: int, last: int
                 ) -> dict[int, tuple[str, str]]:
    """(cell text, tool tip) of who signed each record from ``first`` to ``last``, each
    signature checked against the signer's certificate in force at that record."""
    out: dict[int, tuple[str, str]] = {}
    for seq, actor, digest, signer, signature in store.conn.execute(
            "SELECT seq, actor, hash, signer, signature FROM audit WHERE seq BETWEEN ? AND ?",
            (first, last)):
        if not signer or not signature:
            out[seq] = ("unsigned", "This record carries no signature.")
            continue
        if signer == audit.WORKSTATION:
            key, who = chain.workstation_key, "the workstation key (a system action)"
        else:
            cert = chain.at(signer, seq)
            key = cert.public_key if cert is not None else None
            who = (f"{signer}, certificate {cert.serial} ({cert.role}), key "
                   f"{cert.fingerprint[:16]}…" if cert is not None else signer)
        good = (key is not None and (signer == actor or (signer == audit.WORKSTATION
                                     and actor == audit.SYSTEM))
                and audit.check_signature(store.store_id, seq, digest, signer, signature, key))
        name = "workstation" if signer == audit.WORKSTATION else signer
        bad = (f"Claims to be signed by {who}, but the signature does not verify against that "
               "certified key, or the signer is not the actor. Run Verify audit chain.")
        out[seq] = ((f"✓ {name}", f"Signed by {who}; the signature verifies.") if good else
                    (f"✗ {name}: fails", bad))
    return out


class AuditModel(QAbstractTableModel):
    """Audit records over browse.audit_page (keyset on seq), with who signed each."""

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.chain = certificates.chain(store.conn, store.store_id)
        self.rows: list[browse.AuditRow] = browse.audit_page(store)
        self._more = len(self.rows) == browse.PAGE
        self.signers: dict[int, tuple[str, str]] = {}
        self._sign_page(self.rows)

    def _sign_page(self, rows: list[browse.AuditRow]) -> None:
        if rows:
            self.signers.update(signer_texts(self.store, self.chain, rows[-1].seq, rows[0].seq))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (index.isValid() and index.column() == SIGNER_COLUMN
                and role == Qt.ItemDataRole.ForegroundRole):
            text = self.signers.get(self.rows[index.row()].seq, ("", ""))[0]
            return QColor("#b00020") if not text.startswith("✓") else QColor("#1b5e20")
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        row, col = self.rows[index.row()], index.column()
        if col == SIGNER_COLUMN:
            text, tip = self.signers.get(row.seq, ("", ""))
            return text if role == Qt.ItemDataRole.DisplayRole else tip
        if col == 5:
            return detail_text(row.detail, short=role == Qt.ItemDataRole.DisplayRole)
        if col == 1:
            return at_text(row.at) if role == Qt.ItemDataRole.DisplayRole else row.at
        text = str(row[col])
        if col == 4 and role == Qt.ItemDataRole.DisplayRole and _DIGEST.match(text):
            return text[:16] + "…"  # a key fingerprint or digest as target: whole in the tip
        return text

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or not self.rows:
            return
        more = browse.audit_page(self.store, before=self.rows[-1].seq)
        self._more = len(more) == browse.PAGE
        self._sign_page(more)
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows += more
            self.endInsertRows()


class AuditViewer(QDialog):
    """A window onto the audit chain of the open store, under the system high's banners (its
    records name items of every marking)."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit records")
        self.resize(1000, 560)
        self.model = AuditModel(store, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)  # a long detail wraps between words, never cut in one
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        # rows grow to their wrapped detail: again once the Detail column has its width (a
        # resize, shown), and for each page fetched
        self._rows_timer = QTimer(self, singleShot=True, interval=50)
        self._rows_timer.timeout.connect(self.view.resizeRowsToContents)
        header.sectionResized.connect(lambda i, _o, _n: i == 5 and self._rows_timer.start())
        self.model.rowsInserted.connect(self._fit_rows)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.banners = Banners(self, clearance_banner(store.accreditation))

    def _fit_rows(self, _parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.view.resizeRowToContents(row)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._rows_timer.start()
