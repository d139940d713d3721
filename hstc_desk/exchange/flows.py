"""Headless flows the exchange dialogs render (no Qt): trusted keys, export, verify and import.

Each holds a ``state`` and an ``error`` (a message fit to show, never an exception), so a dialog is
a thin view over it and tests can drive it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from pathlib import Path

from hstc_desk import markings
from hstc_desk.exchange import disclosure
from hstc_desk.exchange.errors import BundleError, ExchangeError, ExportCancelled
from hstc_desk.exchange.keys import grouped, raw_public
from hstc_desk.exchange.merge import ImportReport, check_bundle, import_bundle
from hstc_desk.exchange.plan import Plan, Scope
from hstc_desk.exchange.reader import Verification
from hstc_desk.exchange.selection import plan
from hstc_desk.exchange.trust import TrustedKey, list_keys, own_fingerprint, revoke, trust
from hstc_desk.exchange.writer import ExportResult, export
from hstc_desk.inputs import InputError, read_regular_file
from hstc_desk.outputs import OutputRefused, guard_output
from hstc_desk.store import Store, StoreError

MAX_BUNDLE = 1 << 30
MAX_KEY_FILE = 4096


def _read(path: str | Path, limit: int, what: str) -> bytes:
    try:
        return read_regular_file(Path(path).expanduser(), limit, what)
    except InputError as exc:
        raise ExchangeError(str(exc)) from None


@dataclass
class TrustFlow:
    store: Store
    error: str = ""
    message: str = ""

    @property
    def own(self) -> str:
        return grouped(own_fingerprint(self.store))

    @property
    def own_public_key(self) -> bytes:
        return raw_public(self.store.workstation_key)

    def keys(self) -> list[TrustedKey]:
        return list_keys(self.store)

    def add(self, key_path: str, typed_fingerprint: str) -> bool:
        self.error = self.message = ""
        if not key_path.strip() or not typed_fingerprint.strip():
            self.error = "Choose the partner's key file and type the fingerprint read aloud."
            return False
        try:
            k = trust(self.store, _read(key_path, MAX_KEY_FILE, "key file"), typed_fingerprint)
        except (ExchangeError, StoreError, OSError) as exc:
            self.error = str(exc)
            return False
        self.message = f"Trusted {k.name}: {k.grouped}"
        return True

    def revoke(self, fingerprint: str) -> bool:
        self.error = self.message = ""
        try:
            k = revoke(self.store, fingerprint)
        except (ExchangeError, StoreError) as exc:
            self.error = str(exc)
            return False
        self.message = f"Revoked {k.name}: bundles it signed are no longer accepted."
        return True


class ExportState(Enum):
    CHOOSE = "choose"
    PREVIEWED = "previewed"
    REQUESTED = "requested"  # a foreign export: a release request made, no bundle written
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass
class ExportFlow:
    store: Store
    state: ExportState = ExportState.CHOOSE
    plan: Plan | None = None
    result: ExportResult | None = None
    error: str = ""
    message: str = ""
    validity_days: int = 30
    release: disclosure.Request | None = None  # the release request made of this preview
    _cancel: bool = field(default=False, repr=False)

    @staticmethod
    def destinations() -> list[tuple[str, str]]:
        return [(d.code, d.name) for d in markings.destinations().values()]

    def preview(self, destination: str, *, case_id: str = "", query: str = "",
                ids: tuple[str, ...] | None = None) -> bool:
        self.error = self.message = ""
        self.result = None
        scope = Scope(case_id=case_id.strip() or None, query=query.strip() or None, ids=ids)
        try:
            self.plan = plan(self.store, destination, scope)
        except (ExchangeError, StoreError) as exc:
            self.error, self.state = str(exc), ExportState.CHOOSE
            return False
        self.state = ExportState.PREVIEWED
        return True

    def cancel(self) -> None:
        self._cancel = True

    @property
    def needs_release(self) -> bool:
        """The previewed destination is foreign: the export is a release request that a
        disclosure officer other than the requester must approve before a bundle is written."""
        return self.plan is not None and self.plan.destination.foreign

    def request(self) -> bool:
        """Make the release request of the previewed foreign export; writes no bundle. The
        request fixes the items as they are now (``plan`` is replaced by the request's own)."""
        self.error = self.message = ""
        if self.plan is None or self.state != ExportState.PREVIEWED:
            self.error = "Preview the export first."
            return False
        if not self.needs_release:
            self.error = (f"{self.plan.destination.code} is a US agency: export it, no release "
                          "request is needed.")
            return False
        before = disclosure.manifest_digest(self.plan)
        try:
            self.release, self.plan = disclosure.prepare(self.store, self.plan.destination.code,
                                                         self.plan.scope)
        except (ExchangeError, StoreError) as exc:
            self.error = f"Request refused: {exc}"
            return False
        self.state = ExportState.REQUESTED
        changed = ("" if self.release.manifest_sha256 == before else
                   " The items changed since your preview: the request holds them as they "
                   "are now (shown above).")
        self.message = (f"Release request {self.release.id} made: a disclosure officer other "
                        f"than you must approve exactly these items before a bundle to "
                        f"{self.release.destination} can be written. No bundle written."
                        + changed)
        return True

    def my_requests(self, limit: int = 50) -> list[disclosure.Request]:
        """This user's release requests, newest first (pending, approved, refused, exported)."""
        rows = self.store.conn.execute(
            "SELECT id FROM release_requests WHERE requester = ? ORDER BY created DESC, id "
            "LIMIT ?", (self.store.user.name, limit)).fetchall()
        return [disclosure.get(self.store, r[0]) for r in rows]

    def write_approved(self, request_id: str, out: str,
                       progress: Callable[[str, int, int], None] | None = None) -> bool:
        """Write the bundle of an approved release request, read it back and verify it."""
        self.error = self.message = ""
        self.result = None
        state = self.state  # the preview on screen keeps its own state
        ok = self._write(out, lambda target: disclosure.export_request(
            self.store, request_id, target, validity=timedelta(days=self.validity_days),
            progress=progress, cancel=lambda: self._cancel))
        self.state = state
        return ok

    def run(self, out: str, progress: Callable[[str, int, int], None] | None = None) -> bool:
        """Write, read back, verify. Only on success does ``message`` say the media may go."""
        self.error = self.message = ""
        # After a failure or a cancel the previewed plan still stands: the analyst frees space
        # or changes the media and tries again without a new preview.
        retry = (ExportState.PREVIEWED, ExportState.FAILED, ExportState.CANCELLED)
        if self.plan is None or self.state not in retry:
            self.error = "Preview the export first."
            return False
        if self.needs_release:
            self.error = (f"An export to {self.plan.destination.code} (a foreign destination) "
                          "is a release request: request the release; a disclosure officer "
                          "must approve it before a bundle is written. No bundle written.")
            return False
        plan_ = self.plan
        return self._write(out, lambda target: export(
            self.store, plan_, target, validity=timedelta(days=self.validity_days),
            progress=progress, cancel=lambda: self._cancel))

    def _write(self, out: str, write: Callable[[Path], ExportResult]) -> bool:
        if not out.strip():
            self.error = "Choose where to write the bundle."
            return False
        self._cancel = False
        try:
            # The file dialog has asked before replacing a file; a store's files never are.
            target = guard_output(Path(out).expanduser(), force=True, stores=[self.store.path])
        except OutputRefused as exc:
            self.error = f"Export refused: {exc}"
            return False
        try:
            self.result = write(target)
        except ExportCancelled as exc:
            self.state, self.message = ExportState.CANCELLED, str(exc)
            return False
        except OSError as exc:  # the media: full, missing, read-only, pulled out
            where = Path(out).expanduser().parent
            self.state = ExportState.FAILED
            self.error = f"Export failed: cannot write to {where}: {exc.strerror or exc}"
            return False
        except (ExchangeError, StoreError) as exc:
            self.state, self.error = ExportState.FAILED, f"Export failed: {exc}"
            return False
        self.state = ExportState.DONE
        self.message = "Read back and verified: the media may be removed."
        return True


class ImportState(Enum):
    CHOOSE = "choose"
    REPORTED = "reported"  # verified; nothing changed yet
    IMPORTED = "imported"
    REFUSED = "refused"


@dataclass
class ImportFlow:
    store: Store
    state: ImportState = ImportState.CHOOSE
    path: str = ""
    report: Verification | None = None
    result: ImportReport | None = None
    error: str = ""
    _data: bytes = field(default=b"", repr=False)

    def verify(self, path: str) -> bool:
        """Read the bundle and run every check; changes nothing."""
        self.error = ""
        self.result = None
        try:
            self._data = _read(path, MAX_BUNDLE, "bundle")
        except (ExchangeError, OSError) as exc:
            self.state, self.error = ImportState.CHOOSE, f"Cannot read the bundle: {exc}"
            return False
        self.path = path
        self.report = check_bundle(self.store, self._data)
        self.state = ImportState.REPORTED
        if self.report.error is not None:
            self.error = str(self.report.error)
        return self.report.ok

    @property
    def can_import(self) -> bool:
        return (self.state == ImportState.REPORTED and self.report is not None
                and self.report.ok and not self.report.replay)

    def import_(self) -> bool:
        self.error = ""
        if self.state != ImportState.REPORTED or self.report is None:
            self.error = "Verify the bundle first."
            return False
        try:
            self.result = import_bundle(self.store, self._data, source=Path(self.path).name)
        except BundleError as exc:
            self.state, self.error = ImportState.REFUSED, str(exc)
            return False
        self.state = ImportState.IMPORTED
        return True


@dataclass(frozen=True)
class Alternative:
    sha256: str
    marking: str
    title: str
    updated: str
    body: str
    in_table: bool  # the version the store shows now


@dataclass
class ConflictFlow:
    """Items flagged by an import: two edits of the same version. The analyst keeps one; it
    becomes the next version, marked with the roll-up of both (never lower)."""

    store: Store
    error: str = ""
    message: str = ""

    def items(self, limit: int = 500) -> list[tuple[str, str, str]]:
        """(id, marking, title) of flagged items that still have alternatives, among those
        the user's clearance dominates (a conflicted item stands under the roll-up of its
        versions, so every alternative of a listed item is within the clearance too)."""
        vis, args = self.store._visible_sql("i")
        return self.store.conn.execute(
            "SELECT i.id, i.marking, i.title FROM items i WHERE i.conflict = 1 AND EXISTS "
            "(SELECT 1 FROM conflicts c WHERE c.id = i.id AND c.version = i.version)"
            f"{vis} ORDER BY i.id LIMIT ?", (*args, limit)).fetchall()

    def alternatives(self, item_id: str) -> list[Alternative]:
        import hashlib
        import json

        vis, args = self.store._visible_sql()
        row = self.store.conn.execute(f"SELECT version, body FROM items WHERE id = ?{vis}",
                                      (item_id, *args)).fetchone()
        if row is None:  # no such item, or above the user's clearance: nothing to show
            return []
        bodies = [(hashlib.sha256(row[1].encode()).hexdigest(), row[1], True)]
        bodies += [(sha, body, False) for sha, body in self.store.conn.execute(
            "SELECT sha256, body FROM conflicts WHERE record = 'item' AND id = ? AND "
            "version = ? ORDER BY sha256", (item_id, row[0]))]
        out = []
        for sha, body, shown in bodies:
            doc = json.loads(body)
            out.append(Alternative(sha, doc["marking"], doc["title"], doc["updated"], body,
                                   shown))
        return out

    def keep(self, item_id: str, sha256: str) -> bool:
        from datetime import UTC, datetime

        from hstc_desk.exchange.merge import resolve

        self.error = self.message = ""
        if not any(a.sha256 == sha256 for a in self.alternatives(item_id)):
            self.error = f"{item_id}: no such version to keep"
            return False
        try:
            resolve(self.store, item_id, sha256, now=datetime.now(UTC))
        except (ExchangeError, StoreError, ValueError) as exc:
            self.error = str(exc)
            return False
        self.message = f"{item_id}: the chosen version was saved as the next version."
        return True
