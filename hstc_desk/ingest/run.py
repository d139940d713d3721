"""Ingest one file into a store: the whole file is written in ONE transaction.

The whole file is one transaction (``Store.transaction``): items, new versions, provenance,
quarantine, the source record and the audit record commit together or not at all. Inside it
the rows are planned and written CHUNK at a time, so memory stays flat however long the file. A file
refused before writing, an error while writing or a killed process leaves the store exactly as
it was (SQLite rolls back an unfinished transaction when the store is next opened); there are no
batches and no checkpoint to resume: ingest the file again.

Every row must carry a valid marking in the mapping's marking column, or the analyst names one
with ``marking=`` (used only for rows whose cell is blank); a row with neither goes to the
quarantine table, never into the store with a guessed marking. A marking above the user's
clearance or the workstation's accreditation refuses its row; a marking is never lowered (a row
that would give a stored item a lower marking is refused). Item ids come from the originator,
the mapping and the row's key columns, so the same file again finds every item unchanged and
writes nothing to the items (the content digest of ``hstc stats`` stays the same); a changed row
makes a new version. Each item version written has a provenance row (file SHA-256, row number,
originator, user, time) and the audit record of the file names the same.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hstc_desk import markings
from hstc_desk.domain import DomainError, Item, item_to_json, parse_item
from hstc_desk.domain.agencies import AGENCY_PATTERN
from hstc_desk.domain.ids import KIND_PREFIX
from hstc_desk.ingest.csv_source import MAX_FILE_BYTES, looks_like_formula, read_csv
from hstc_desk.ingest.errors import IngestError, RowProblem
from hstc_desk.ingest.mapping import CellError, Mapping, load_mapping
from hstc_desk.ingest.xlsx_source import read_xlsx
from hstc_desk.markings import MarkingError
from hstc_desk.store import PermissionDenied, Store
from hstc_desk.store.rows import FTS_INSERT, ITEM_INSERT, item_row, parse_marking

Progress = Callable[[int, int], None]
"""Called after each chunk is written, inside the transaction: (items written, rows read)."""

_VOLATILE = ("created", "updated", "version")


@dataclass
class Report:
    """What an ingest did (or, on a dry run, would do)."""

    file_name: str
    sha256: str
    mapping: str
    originator: str
    rows: int = 0
    admitted: list[int] = field(default_factory=list)
    new_items: int = 0
    new_versions: int = 0
    unchanged: list[int] = field(default_factory=list)
    quarantined: list[RowProblem] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    formula_cells: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would admit" if self.dry_run else "admitted"
        out = [f"{self.file_name} (sha256 {self.sha256}), mapping {self.mapping}, originator "
               f"{self.originator}: {self.rows} rows",
               f"  {verb} {len(self.admitted)} rows ({self.new_items} new items, "
               f"{self.new_versions} new versions); unchanged {len(self.unchanged)}; "
               f"quarantined {len(self.quarantined)}; refused {len(self.refused)}"]
        if self.unmapped:
            out.append(f"  unmapped columns (not ingested): {', '.join(self.unmapped)}")
        if self.formula_cells:
            out.append(f"  {self.formula_cells} cells look like spreadsheet formulas; "
                       "kept as text, never evaluated")
        out += [f"  quarantined {p.text()}" for p in self.quarantined]
        out += [f"  refused {p.text()}" for p in self.refused]
        if self.dry_run:
            out.append("  dry run: nothing was written")
        return out

    def as_json(self) -> dict[str, Any]:
        def probs(ps: list[RowProblem]) -> list[dict[str, Any]]:
            return [{"row": p.row, "field": p.field, "reason": p.reason} for p in ps]

        return {"file": self.file_name, "sha256": self.sha256, "mapping": self.mapping,
                "originator": self.originator, "rows": self.rows,
                "admitted": len(self.admitted), "new_items": self.new_items,
                "new_versions": self.new_versions, "unchanged": len(self.unchanged),
                "quarantined": probs(self.quarantined), "refused": probs(self.refused),
                "unmapped": self.unmapped, "formula_cells": self.formula_cells,
                "dry_run": self.dry_run}


@dataclass
class _Row:
    number: int
    items: list[Item]


def item_id(kind: str, originator: str, mapping: str, alias: str, key: list[str]) -> str:
    """The id an item of this originator, mapping and key always gets (idempotence)."""
    text = "\x1f".join([originator, mapping, alias, *key])
    return f"{KIND_PREFIX[kind]}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _content(data: dict[str, Any]) -> dict[str, Any]:
    """An item's canonical JSON without what an ingest sets afresh (times, version)."""
    return {k: v for k, v in data.items() if k not in _VOLATILE}


def ingest_file(store: Store, path: Path, *, originator: str, mapping: str = "encounters-log",
                marking: str | None = None, encoding: str | None = None,
                dry_run: bool = False, progress: Progress | None = None,
                file_format: str | None = None, sheet: str | None = None) -> Report:
    """Ingest a CSV or XLSX file (see the module docstring). IngestError refuses the whole
    file. ``file_format`` is "csv" or "xlsx" (None: "xlsx" for a name ending .xlsx, else
    "csv"); ``sheet`` names an XLSX sheet (default the first)."""
    file_format = file_format or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    if file_format not in ("csv", "xlsx"):
        raise IngestError(f"unknown format {file_format!r} (csv or xlsx)")
    if file_format == "xlsx" and encoding:
        raise IngestError("--encoding is for CSV files; an XLSX file declares its own")
    if file_format == "csv" and sheet:
        raise IngestError("--sheet is for XLSX files; a CSV file has one table")
    if not re.fullmatch(AGENCY_PATTERN, originator):
        raise IngestError(f"originator {originator!r} is not an agency code (such as CBP, "
                          "ICE-HSI, GBR-NCA)")
    if store.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                          "'ingest_sources'").fetchone()[0] == 0:
        raise IngestError("this store has no ingest tables: it was made by a build whose schema "
                          "step 13 was still empty; make a new store (nothing was written)")
    default = _check_default(store, marking) if marking else None
    mp = load_mapping(mapping)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"the file is {size:,} bytes, over the limit of "
                              f"{MAX_FILE_BYTES:,}; split it; nothing was written")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {path}: {exc.strerror or exc}") from None
    sha = hashlib.sha256(data).hexdigest()
    table = (read_xlsx(data, sheet=sheet) if file_format == "xlsx"
             else read_csv(data, encoding=encoding))
    missing = [c for c in mp.missing_columns(table.header)
               if not (c == mp.marking_column and default)]
    if missing:
        raise IngestError(f"the file lacks the column(s) the mapping {mp.name} needs: "
                          f"{', '.join(missing)}; nothing was written")
    report = Report(file_name=path.name, sha256=sha, mapping=mp.name, originator=originator,
                    unmapped=mp.unmapped(table.header), dry_run=dry_run)
    plan = _Plan(store, mp, originator, default, report, datetime.now(UTC))
    if dry_run:
        for chunk in _chunks(table.rows):
            plan.chunk(chunk)
    else:
        # The one transaction of the whole file: every chunk is planned against what the store
        # holds (and what earlier chunks wrote), written, and forgotten, so memory stays flat.
        with store.transaction() as conn:
            for chunk in _chunks(table.rows):
                writes, quarantine = plan.chunk(chunk)
                _write_chunk(conn, plan, writes, quarantine)
                if progress:
                    progress(plan.written, report.rows)
            _finish(store, plan)
    report.refused.sort(key=lambda p: p.row)
    return report


CHUNK = 2000
"""Rows planned and written at a time, inside the one transaction."""


def _chunks(rows: Iterator[tuple[int, dict[str, str] | RowProblem]],
            ) -> Iterator[list[tuple[int, dict[str, str] | RowProblem]]]:
    buf: list[tuple[int, dict[str, str] | RowProblem]] = []
    for row in rows:
        buf.append(row)
        if len(buf) >= CHUNK:
            yield buf
            buf = []
    if buf:
        yield buf


class _Plan:
    """What the rows of one file become, chunk by chunk; the duplicate keys seen so far."""

    def __init__(self, store: Store, mp: Mapping, originator: str, default: str | None,
                 report: Report, now: datetime) -> None:
        self.store, self.mp, self.originator, self.default = store, mp, originator, default
        self.report, self.now = report, now
        self.first_row: dict[str, int] = {}
        self.digest = hashlib.sha256()
        self.written = 0

    def chunk(self, rows: list[tuple[int, dict[str, str] | RowProblem]],
              ) -> tuple[_Writes, list[tuple[RowProblem, dict[str, str]]]]:
        mp, report = self.mp, self.report
        planned: list[_Row] = []
        quarantine: list[tuple[RowProblem, dict[str, str]]] = []
        for number, cells in rows:
            report.rows += 1
            if isinstance(cells, RowProblem):
                report.refused.append(cells)
                continue
            report.formula_cells += sum(1 for c in cells.values() if looks_like_formula(c))
            row_marking = cells.get(mp.marking_column, "").strip() or self.default
            if not row_marking:
                problem = RowProblem(number, mp.marking_column, "no marking, and no --marking "
                                     "was given: quarantined, not guessed")
                report.quarantined.append(problem)
                quarantine.append((problem, cells))
                continue
            try:
                row = _plan_row(self.store, mp, number, cells, row_marking, self.originator,
                                self.now)
            except _Refused as exc:
                report.refused.append(exc.problem)
                continue
            dup = next((self.first_row[i.id] for i in row.items if i.id in self.first_row),
                       None)
            if dup is not None:
                report.refused.append(RowProblem(number, ",".join(mp.items[0].key),
                                                 f"the same key as row {dup}"))
                continue
            self.first_row.update((i.id, number) for i in row.items)
            planned.append(row)
        return _against_store(self.store, planned, report), quarantine


class _Refused(Exception):
    def __init__(self, problem: RowProblem) -> None:
        super().__init__(problem.text())
        self.problem = problem


def _check_default(store: Store, marking: str) -> str:
    try:
        m = markings.parse(marking)
    except MarkingError as exc:
        raise IngestError(f"--marking {marking!r} is not a valid marking: {exc}") from None
    if not markings.dominates(store.accreditation, m):
        raise IngestError(f"--marking {m.portion()} is above this workstation's accreditation")
    if not markings.dominates(store.clearance, m):
        raise PermissionDenied(f"--marking {m.portion()} is above your clearance "
                               f"({store.user.clearance})")
    return m.portion()


def _plan_row(store: Store, mp: Mapping, number: int, cells: dict[str, str], text: str,
              originator: str, now: datetime) -> _Row:
    column = mp.marking_column
    try:
        m = parse_marking(text)
    except MarkingError as exc:
        raise _Refused(RowProblem(number, column, f"not a valid marking: {exc}")) from None
    if not markings.dominates(store.accreditation, m):
        raise _Refused(RowProblem(number, column, f"{m.portion()} is above this workstation's "
                                  "accreditation"))
    if not markings.dominates(store.clearance, m):
        raise _Refused(RowProblem(number, column, f"{m.portion()} is above your clearance"))
    portion = m.portion()
    ids: dict[str, str] = {}
    items: list[Item] = []
    for spec in mp.items:
        key = [cells.get(k, "").strip() for k in spec.key]
        blank = next((k for k, v in zip(spec.key, key, strict=True) if not v), None)
        if blank:
            raise _Refused(RowProblem(number, blank, "a key column is empty"))
        ids[spec.alias] = item_id(spec.kind, originator, mp.name, spec.alias, key)
        try:
            fields = mp.fields_of(spec, cells, ids)
        except CellError as exc:
            raise _Refused(RowProblem(number, exc.column, exc.reason)) from None
        texts = [cells[c].strip() for c in spec.portions if cells.get(c, "").strip()]
        data = {"kind": spec.kind, "id": ids[spec.alias], "marking": portion,
                "originator": originator, "created": now, "updated": now,
                "portions": [{"marking": portion, "text": t} for t in texts], **fields}
        try:
            items.append(parse_item(data))
        except DomainError as exc:
            raise _Refused(RowProblem(number, spec.alias, str(exc))) from None
    return _Row(number, items)


@dataclass
class _Writes:
    new: list[tuple[int, Item]] = field(default_factory=list)
    versions: list[tuple[int, int, Item]] = field(default_factory=list)  # (row, rid, item)


def _against_store(store: Store, planned: list[_Row], report: Report) -> _Writes:
    """Decide per row: new items, new versions, unchanged, or refused (a lowered marking, an
    item the user may not see). A row is admitted whole or not at all."""
    ids = [i.id for r in planned for i in r.items]
    stored: dict[str, tuple[int, int, str, int, int, str]] = {}
    for at in range(0, len(ids), 500):
        chunk = ids[at:at + 500]
        for row in store.conn.execute(
                "SELECT id, rid, version, marking, level, sci, body FROM items WHERE id IN "
                f"({','.join('?' * len(chunk))})", chunk):
            stored[row[0]] = row[1:]
    out = _Writes()
    for r in planned:
        new: list[tuple[int, Item]] = []
        versions: list[tuple[int, int, Item]] = []
        try:
            for item in r.items:
                old = stored.get(item.id)
                if old is None:
                    new.append((r.number, item))
                    continue
                rid, version, old_marking, level, sci, body = old
                if not store._sees(level, sci):
                    raise _Refused(RowProblem(r.number, "", f"{item.id} cannot be updated by you"))
                prior = json.loads(body)
                if _content(prior) == _content(json.loads(item_to_json(item))):
                    continue
                if markings.lowers(parse_marking(old_marking), parse_marking(item.marking)):
                    raise _Refused(RowProblem(r.number, "marking", f"{item.marking} would lower "
                                              f"the marking {old_marking} of {item.id}"))
                data = item.model_dump()
                data.update(version=version + 1, created=prior["created"])
                versions.append((r.number, rid, parse_item(data)))
        except _Refused as exc:
            report.refused.append(exc.problem)
            continue
        if new or versions:
            report.admitted.append(r.number)
            report.new_items += len(new)
            report.new_versions += len(versions)
            out.new += new
            out.versions += versions
        else:
            report.unchanged.append(r.number)
    return out


def _write_chunk(conn: Any, plan: _Plan, writes: _Writes,
                 quarantine: list[tuple[RowProblem, dict[str, str]]]) -> None:
    report = plan.report
    at = plan.now.isoformat(timespec="microseconds")
    user = plan.store.user.name
    rid = conn.execute("SELECT coalesce(max(rid), 0) FROM items").fetchone()[0] + 1
    rows = [item_row(rid + i, item) for i, (_, item) in enumerate(writes.new)]
    conn.executemany(ITEM_INSERT, rows)
    conn.executemany(FTS_INSERT, [(rid + i, item.title, item.search_text())
                                  for i, (_, item) in enumerate(writes.new)])
    for row in rows:
        plan.digest.update(row[-1].encode())
    for _, old_rid, item in writes.versions:
        conn.execute("DELETE FROM items_fts WHERE rowid = ?", (old_rid,))
        conn.execute("DELETE FROM items WHERE rid = ?", (old_rid,))
        row = item_row(old_rid, item)
        conn.execute(ITEM_INSERT, row)
        conn.execute(FTS_INSERT, (old_rid, item.title, item.search_text()))
        plan.digest.update(row[-1].encode())
    plan.written += len(writes.new) + len(writes.versions)
    conn.executemany(
        "INSERT INTO ingest_provenance (item_id, version, sha256, row, originator, user, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(item.id, item.version, report.sha256, number, report.originator, user, at)
         for number, item in writes.new]
        + [(item.id, item.version, report.sha256, number, report.originator, user, at)
           for number, _, item in writes.versions])
    conn.executemany(
        "INSERT OR IGNORE INTO ingest_quarantine (sha256, row, originator, mapping, user, at, "
        "reason, cells) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(report.sha256, p.row, report.originator, report.mapping, user, at, p.reason,
          json.dumps(cells, ensure_ascii=False, sort_keys=True)) for p, cells in quarantine])
    # A row that waited in quarantine and now came with a marking (--marking) is admitted.
    conn.executemany("UPDATE ingest_quarantine SET state = 'admitted' WHERE sha256 = ? AND "
                     "row = ? AND state = 'waiting'",
                     [(report.sha256, number) for number, _ in writes.new]
                     + [(report.sha256, number) for number, _, _ in writes.versions])


def _finish(store: Store, plan: _Plan) -> None:
    """The source record and the audit record of the file, last in its transaction."""
    report = plan.report
    at = plan.now.isoformat(timespec="microseconds")
    conn = store.conn
    seq = conn.execute("SELECT count(*) FROM ingest_sources WHERE sha256 = ?",
                       (report.sha256,)).fetchone()[0] + 1
    conn.execute(
        "INSERT INTO ingest_sources (sha256, seq, file_name, originator, mapping, user, at, "
        "rows, admitted, unchanged, quarantined, refused) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (report.sha256, seq, report.file_name, report.originator, report.mapping,
         store.user.name, at, report.rows, len(report.admitted), len(report.unchanged),
         len(report.quarantined), len(report.refused)))
    store.audit("ingest.file", report.sha256, {
        "file": report.file_name, "sha256": report.sha256, "originator": report.originator,
        "mapping": report.mapping, "at": at, "rows": report.rows,
        "admitted_rows": len(report.admitted), "new_items": report.new_items,
        "new_versions": report.new_versions, "unchanged_rows": len(report.unchanged),
        "quarantined": len(report.quarantined), "refused": len(report.refused),
        # The first rows of each (the report and the quarantine table hold them all).
        "quarantined_rows": [p.row for p in report.quarantined[:1000]],
        "refused_rows": [p.row for p in report.refused[:1000]],
        "items_sha256": plan.digest.hexdigest()})
