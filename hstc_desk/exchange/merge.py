"""Import: verify, then merge in one transaction (DESIGN §6).

Records are keyed by id and version. For each id the store keeps every body of the highest
version it has seen: one sits in ``items`` (or ``links``), the others in ``conflicts`` with the
item flagged for the analyst. Two bodies of one version may carry different markings, below or
beside each other (markings.dominance orders them; never a count of controls): every body whose
marking is not at least the roll-up of them all is stored under that roll-up, its canonical body
made again so body and marking columns agree; so the item, its alternatives, and whatever reads
them (show, search, browse, export, products) never carry it under less. The body the table
shows is the lowest SHA-256 of that settled set, a function of the set alone, so the order
bundles arrive in never changes the result. Older versions change nothing (no rollback); a newer
version that would lower the marking refuses the bundle; a bundle already imported is a no-op;
gaps in a sender's sequence are reported. Approved products merge by
(id, version) as product_payload describes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from hstc_desk import markings
from hstc_desk.bulk import collector_paused
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange import product_payload
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.reader import Record, Verification, verify
from hstc_desk.exchange.sequence import MAX_JUMP, Gap, sequence_check
from hstc_desk.exchange.trust import Keyring
from hstc_desk.exchange.zipcodec import read_zip
from hstc_desk.store import Store, anchors
from hstc_desk.store.audit import now_iso
from hstc_desk.store.rows import (
    FTS_INSERT,
    ITEM_INSERT,
    LINK_INSERT,
    marking_columns,
    parse_marking,
)

IN_CHUNK = 500


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    conflicts: int = 0
    raised: int = 0  # bodies of conflicting edits stored under the roll-up of their version


@dataclass
class ImportReport:
    verification: Verification
    status: str  # "imported" | "replay"
    items: Counts = field(default_factory=Counts)
    links: Counts = field(default_factory=Counts)
    products: dict[str, int] = field(default_factory=dict)
    raised: list[dict[str, object]] = field(default_factory=list)  # settle() notes

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return self.verification.gaps

    def summary(self) -> dict[str, object]:
        info = self.verification.info
        assert info is not None
        return {"bundle_id": info.bundle_id, "sender": info.sender, "signer": info.fingerprint,
                "destination": info.destination, "sequence": info.sequence,
                "sha256": self.verification.sha256, "status": self.status,
                "items": vars(self.items), "links": vars(self.links),
                "gaps": [g.to_json() for g in self.gaps],
                **({"suspicious": self.verification.suspicious}
                   if self.verification.suspicious else {}),
                **({"products": self.products} if self.products else {}),
                **({"raised": self.raised[:100]} if self.raised else {})}

    def lines(self) -> list[str]:
        out = self.verification.lines()
        if self.status == "replay":
            out.append("already imported: nothing changed (a replay)")
            return out
        for name, c in (("items", self.items), ("links", self.links)):
            out.append(f"{name}: {c.added} added, {c.updated} updated, {c.unchanged} unchanged, "
                       f"{c.older} older than ours (kept ours), {c.conflicts} new conflicts")
        if self.products:
            p = self.products
            out.append(f"approved products: {p['added']} added with their sign-offs, "
                       f"{p['unchanged']} unchanged"
                       + (f", {p['renumbered_drafts']} local drafts renumbered to make way"
                          if p["renumbered_drafts"] else ""))
        if self.items.conflicts or self.links.conflicts:
            out.append("conflicting edits are kept both and flagged for the analyst to resolve")
        for note in self.raised[:20]:
            out.append(f"  {note['id']} version {note['version']}: an edit marked "
                       f"{note['marking']} stands under {note['stands_under']}, the roll-up "
                       "of its conflicting edits (no marking is lowered)")
        return out


@collector_paused()
def check_bundle(store: Store, data: bytes, *, now: datetime | None = None,
                 max_jump: int = MAX_JUMP) -> Verification:
    """The verification report against this store; changes nothing."""
    return verify(data, Keyring.of_store(store), now=now, accreditation=store.accreditation,
                  sequence=sequence_check(store, max_jump=max_jump))


@collector_paused()
def import_bundle(store: Store, data: bytes, *, now: datetime | None = None,
                  source: str = "", max_jump: int = MAX_JUMP) -> ImportReport:
    """Verify and merge. A refusal raises BundleError (recorded in the audit log first)."""
    v = check_bundle(store, data, now=now, max_jump=max_jump)
    if v.error is not None:
        _refused(store, v, v.error, source)
    info = v.info
    assert info is not None
    if v.replay:
        report = ImportReport(v, "replay")
        store.record("exchange.replay", info.bundle_id, report.summary())
        return report
    report = ImportReport(v, "imported")
    try:
        with store.transaction() as conn:
            settle_stored(store, report.raised)  # conflicts an older version kept lower
            _merge(store, v.items, "item", report.items, report.raised)
            _merge(store, v.links, "link", report.links, report.raised)
            if v.products:
                held = {r.key for r in v.products if conn.execute(
                    "SELECT 1 FROM signoffs WHERE product_id = ? AND version = ?",
                    r.key).fetchone()}
                report.products = product_payload.merge(store, v.products, info.fingerprint)
                # The signed parts of the bundle stay with its sign-offs (issue 12, anchors.py).
                anchors.keep_evidence(store, info.bundle_id, info.fingerprint,
                                      read_zip(data, bf.ALLOWED),
                                      [r.key for r in v.products if r.key not in held])
            conn.execute(
                "INSERT INTO bundles_seen (bundle_id, sender_fp, destination, sequence, sha256, "
                "imported, summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (info.bundle_id, info.fingerprint, info.destination, info.sequence, v.sha256,
                 now_iso(), json.dumps(report.summary(), sort_keys=True)))
            store.audit("exchange.import", info.bundle_id, {**report.summary(), "source": source})
    except BundleError as exc:
        v.check("sequence").detail += f"; merge refused: {exc.detail}"
        _refused(store, v, exc, source)
    return report


def _refused(store: Store, v: Verification, exc: BundleError, source: str) -> None:
    target = v.info.bundle_id if v.info else f"sha256:{v.sha256[:16]}"
    store.record("exchange.refused", target, {
        "check": exc.check, "reason": exc.detail[:500], "sha256": v.sha256, "signer": v.signer,
        "source": source})
    exc.report = v  # type: ignore[attr-defined]
    raise exc


def _lowers(old: str, new: str) -> bool:
    """True when ``new`` would lower ``old``: it is not at least as restrictive (the dominance
    order of markings.dominance; a marking below or beside ``old`` both lower it)."""
    return markings.lowers(parse_marking(old), parse_marking(new))


@dataclass
class _Current:
    rid: int
    version: int
    sha: str
    marking: str
    known: set[str]  # SHA-256 of every body of this version as it arrived


def _current(store: Store, table: str, record: str, ids: list[str]) -> dict[str, _Current]:
    out: dict[str, _Current] = {}
    for i in range(0, len(ids), IN_CHUNK):
        chunk = ids[i:i + IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        for rid, rec_id, version, marking, body in store.conn.execute(
                f"SELECT rid, id, version, marking, body FROM {table} WHERE id IN ({marks})",
                chunk):
            sha = hashlib.sha256(body.encode()).hexdigest()
            out[rec_id] = _Current(rid, version, sha, marking, {sha})
        for rec_id, version, sha in store.conn.execute(
                f"SELECT id, version, sha256 FROM conflicts WHERE record = ? "
                f"AND id IN ({marks})", (record, *chunk)):
            cur = out.get(rec_id)
            if cur is not None and cur.version == version:
                cur.known.add(sha)
        arrived: dict[str, set[str]] = {}
        for rec_id, version, sha in store.conn.execute(
                f"SELECT id, version, sha256 FROM conflict_arrivals WHERE record = ? "
                f"AND id IN ({marks})", (record, *chunk)):
            cur = out.get(rec_id)
            if cur is not None and cur.version == version:
                arrived.setdefault(rec_id, set()).add(sha)
        for rec_id, shas in arrived.items():
            out[rec_id].known = shas
    return out


def _record_of(body: str, record: str) -> Record:
    from hstc_desk.domain import parse_item, parse_link

    obj = parse_item(body) if record == "item" else parse_link(body)
    return Record(obj.id, obj.version, hashlib.sha256(body.encode()).hexdigest(), obj.marking,
                  body, obj)


def _stored(store: Store, table: str, record: str, rec_id: str, cur: _Current) -> list[Record]:
    """Every body of the stored version: the one in the table, then those in ``conflicts``."""
    body = store.conn.execute(f"SELECT body FROM {table} WHERE rid = ?",
                              (cur.rid,)).fetchone()[0]
    others = store.conn.execute(
        "SELECT body FROM conflicts WHERE record = ? AND id = ? AND version = ? "
        "ORDER BY sha256", (record, rec_id, cur.version)).fetchall()
    return [_record_of(body, record), *(_record_of(b, record) for (b,) in others)]


def _originals(store: Store, table: str, record: str, rec_id: str, cur: _Current
               ) -> tuple[list[Record], dict[str, str]]:
    """Every body of the stored version as it arrived, and the SHA-256 each is stored under
    (a body is its own original unless ``conflict_arrivals`` says it was raised)."""
    stored = {r.sha256: r for r in _stored(store, table, record, rec_id, cur)}
    rows = store.conn.execute(
        "SELECT marking, stored FROM conflict_arrivals WHERE record = ? AND id = ? AND "
        "version = ? ORDER BY sha256", (record, rec_id, cur.version)).fetchall()
    if not rows:
        return list(stored.values()), {s: s for s in stored}
    out: list[Record] = []
    where: dict[str, str] = {}
    for marking, at in rows:
        body = stored.get(at)
        if body is None:  # its stored body is gone (not written by this module): skip it
            continue
        original = body if body.marking == marking else _with_marking(body, record, marking)
        out.append(original)
        where[original.sha256] = at
    return out, where


def _with_marking(r: Record, record: str, marking: str) -> Record:
    """``r`` with its marking replaced (its canonical body made again, so body and columns
    agree)."""
    from hstc_desk.domain import item_to_json, link_to_json

    obj = r.obj.model_copy(update={"marking": marking})
    body = item_to_json(obj) if record == "item" else link_to_json(obj)  # type: ignore[arg-type]
    return _record_of(body, record)


def _settle(bodies: list[Record], record: str, raised: list[dict[str, object]] | None,
            before: dict[str, str]) -> tuple[list[Record], dict[str, str]]:
    """settle(), and for each body as it arrived the SHA-256 it is stored under; a raise is
    noted only when it is new (``before``: where each body was stored until now)."""
    if len(bodies) == 1:
        return bodies, {bodies[0].sha256: bodies[0].sha256}
    marks = [parse_marking(r.marking) for r in bodies]
    top = markings.rollup(marks)
    out: dict[str, Record] = {}
    where: dict[str, str] = {}
    for r, m in zip(bodies, marks, strict=True):
        kept = r
        if not markings.at_least(m, top):
            kept = _with_marking(r, record, top.portion())
            if raised is not None and before.get(r.sha256) != kept.sha256:
                raised.append({"id": r.id, "version": r.version, "sha256": r.sha256,
                               "marking": r.marking, "stands_under": top.portion()})
        out.setdefault(kept.sha256, kept)
        where[r.sha256] = kept.sha256
    return [out[k] for k in sorted(out)], where


def settle(bodies: list[Record], record: str, raised: list[dict[str, object]] | None = None
           ) -> list[Record]:
    """Every body of one version as the store keeps them, given every body as it arrived: each
    one that is not at least the roll-up of all their markings is raised to it (so no view,
    search, export or product shows any of them under less), duplicates dropped, lowest SHA-256
    first (the one the table shows). A function of the set of bodies as they arrived, so import
    order never changes the store. Each body raised is noted in ``raised`` (its id, version,
    SHA-256 and marking as it came, and the marking it stands under)."""
    return _settle(bodies, record, raised, {})[0]


def _merge(store: Store, recs: Iterable[Record], record: str, counts: Counts,
           raised: list[dict[str, object]]) -> None:
    table = "items" if record == "item" else "links"
    groups: dict[str, list[Record]] = {}
    for r in recs:
        groups.setdefault(r.id, []).append(r)
    current = _current(store, table, record, list(groups))
    conn = store.conn
    next_rid = conn.execute(f"SELECT coalesce(max(rid), 0) + 1 FROM {table}").fetchone()[0]
    put: list[tuple[int, Record]] = []  # (rid, record) to write into the table
    drop: list[int] = []  # rids to remove first (replaced)
    conflicts: list[Record] = []
    keep: dict[tuple[str, int], set[str]] = {}  # (id, version) -> the conflict rows it keeps
    arrivals: dict[tuple[str, int], tuple[list[Record], dict[str, str]]] = {}
    flag: set[str] = set()
    settled: set[str] = set()  # bodies that, raised, became one: no conflict left
    stale: list[tuple[str, int]] = []
    noted = now_iso()
    for rec_id, incoming in groups.items():
        cur = current.get(rec_id)
        version = incoming[0].version
        if cur is None or version > cur.version:
            if cur is not None:
                for r in incoming:
                    if _lowers(cur.marking, r.marking):
                        raise BundleError("merge", f"{rec_id} version {version} is marked "
                                                   f"{r.marking}, lower than the stored "
                                                   f"{cur.marking}; no marking is lowered")
                drop.append(cur.rid)
                stale.append((rec_id, version))
                counts.updated += 1
            else:
                counts.added += 1
            before = len(raised)
            ranked, where = _settle(incoming, record, raised, {})
            counts.raised += len(raised) - before
            rid = cur.rid if cur is not None else next_rid
            if cur is None:
                next_rid += 1
            put.append((rid, ranked[0]))
            conflicts += ranked[1:]
            if len(incoming) > 1:
                arrivals[(rec_id, version)] = (incoming, where)
            if len(ranked) > 1:
                flag.add(rec_id)
                counts.conflicts += len(ranked) - 1
            continue
        if version < cur.version:
            counts.older += len(incoming)
            continue
        new = [r for r in incoming if r.sha256 not in cur.known]
        if not new:
            counts.unchanged += 1
            continue
        originals, where_before = _originals(store, table, record, rec_id, cur)
        before = len(raised)
        ranked, where = _settle(originals + new, record, raised, where_before)
        counts.raised += len(raised) - before
        arrivals[(rec_id, version)] = (originals + new, where)
        if {r.sha256 for r in ranked} == set(where_before.values()):
            counts.unchanged += 1  # each new body, raised, is one the store already holds
            continue
        if len(ranked) > 1:
            counts.conflicts += len(new)
            flag.add(rec_id)
        else:
            counts.updated += 1
            settled.add(rec_id)
        if ranked[0].sha256 != cur.sha:
            drop.append(cur.rid)
            put.append((cur.rid, ranked[0]))
        keep[(rec_id, version)] = {r.sha256 for r in ranked[1:]}
        conflicts += ranked[1:]
    _write(store, table, put, drop)
    for sql in ("DELETE FROM conflicts WHERE record = ? AND id = ? AND version < ?",
                "DELETE FROM conflict_arrivals WHERE record = ? AND id = ? AND version < ?"):
        conn.executemany(sql, [(record, i, v) for i, v in stale])
    for (rec_id, version), shas in keep.items():
        rows = conn.execute("SELECT sha256 FROM conflicts WHERE record = ? AND id = ? AND "
                            "version = ?", (record, rec_id, version)).fetchall()
        conn.executemany("DELETE FROM conflicts WHERE record = ? AND id = ? AND version = ? "
                         "AND sha256 = ?",
                         [(record, rec_id, version, s) for (s,) in rows if s not in shas])
    conn.executemany(
        "INSERT OR IGNORE INTO conflicts (id, record, version, sha256, marking, noted, body) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r.id, record, r.version, r.sha256, r.marking, noted, r.body) for r in conflicts])
    _write_arrivals(store, record, arrivals)
    if record == "item" and (flag or settled):
        conn.executemany("UPDATE items SET conflict = ? WHERE id = ?",
                         [(1, i) for i in flag] + [(0, i) for i in settled])


def _write_arrivals(store: Store, record: str,
                    arrivals: dict[tuple[str, int], tuple[list[Record], dict[str, str]]]) -> None:
    conn = store.conn
    for (rec_id, version), (bodies, where) in arrivals.items():
        conn.execute("DELETE FROM conflict_arrivals WHERE record = ? AND id = ? AND "
                     "version = ?", (record, rec_id, version))
        conn.executemany(
            "INSERT OR IGNORE INTO conflict_arrivals (record, id, version, sha256, marking, "
            "stored) VALUES (?, ?, ?, ?, ?, ?)",
            [(record, rec_id, version, r.sha256, r.marking, where[r.sha256]) for r in bodies])


def settle_stored(store: Store, raised: list[dict[str, object]]) -> int:
    """Settle conflicts kept before every body of a conflict stood under the roll-up of them
    all (stores written before issue 8): each such item or link is raised now, as an import
    would raise it, so none is shown or sent under less. Returns how many were settled; each
    body raised is noted in ``raised``. Cheap when there is nothing to do: it reads only the
    markings of the conflicts table's rows and of their items."""
    done = 0
    noted = now_iso()
    for record, table in (("item", "items"), ("link", "links")):
        marks: dict[str, list[str]] = {}
        for rec_id, own, other in store.conn.execute(
                f"SELECT t.id, t.marking, c.marking FROM conflicts c JOIN {table} t "
                "ON t.id = c.id AND t.version = c.version WHERE c.record = ?", (record,)):
            marks.setdefault(rec_id, [own]).append(other)
        for rec_id, ms in marks.items():
            parsed = [parse_marking(m) for m in ms]
            top = markings.rollup(parsed)
            if all(markings.at_least(m, top) for m in parsed):
                continue
            cur = _current(store, table, record, [rec_id])[rec_id]
            originals, before = _originals(store, table, record, rec_id, cur)
            ranked, where = _settle(originals, record, raised, before)
            _write(store, table, [(cur.rid, ranked[0])], [cur.rid])
            store.conn.execute("DELETE FROM conflicts WHERE record = ? AND id = ? AND "
                               "version = ?", (record, rec_id, cur.version))
            store.conn.executemany(
                "INSERT INTO conflicts (id, record, version, sha256, marking, noted, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r.id, record, r.version, r.sha256, r.marking, noted, r.body)
                 for r in ranked[1:]])
            _write_arrivals(store, record, {(rec_id, cur.version): (originals, where)})
            if record == "item":
                store.conn.execute("UPDATE items SET conflict = ? WHERE id = ?",
                                   (int(len(ranked) > 1), rec_id))
            done += 1
    return done


def _write(store: Store, table: str, put: list[tuple[int, Record]], drop: list[int]) -> None:
    conn = store.conn
    if table == "items":
        conn.executemany("DELETE FROM items_fts WHERE rowid = ?", [(r,) for r in drop])
        conn.executemany("DELETE FROM items WHERE rid = ?", [(r,) for r in drop])
        conn.executemany(ITEM_INSERT, [item_row_of(rid, r) for rid, r in put])
        conn.executemany(FTS_INSERT, [(rid, r.obj.title, r.obj.search_text()) for rid, r in put])
    else:
        conn.executemany("DELETE FROM links WHERE rid = ?", [(r,) for r in drop])
        conn.executemany(LINK_INSERT, [link_row_of(rid, r) for rid, r in put])


def item_row_of(rid: int, r: Record) -> tuple:
    """rows.item_row, with the canonical body the reader already checked (not made again)."""
    item = r.obj
    portion, level, sci, controls = marking_columns(item.marking)
    return (rid, item.id, item.kind, item.version, item.title, portion, level, sci,  # type: ignore[union-attr]
            controls, item.originator, int(item.use_restriction != "none"),
            item.primary_date().date().isoformat(), item.case_id,  # type: ignore[union-attr]
            item.updated.isoformat(), r.body)


def link_row_of(rid: int, r: Record) -> tuple:
    """rows.link_row, with the canonical body the reader already checked."""
    link = r.obj
    portion, level, sci, _ = marking_columns(link.marking)
    return (rid, link.id, link.src, link.dst, link.link_type, link.version, portion, level,  # type: ignore[union-attr]
            sci, r.body)


def resolve(store: Store, item_id: str, keep_sha256: str, *, now: datetime) -> None:
    """The analyst keeps one of the conflicting bodies: its content becomes the next version.

    Its marking is never below what the store showed: the chosen body's own marking when that is
    at least the roll-up of every conflicting body's marking, else that roll-up. (An import
    already stores every body of a conflict under the roll-up, so this holds for bodies from any
    store.) The audit record names the body kept, the marking it carried and the one kept.
    """
    from hstc_desk.domain import parse_item, revise

    row = store.conn.execute("SELECT version, body FROM items WHERE id = ?",
                             (item_id,)).fetchone()
    if row is None:
        raise BundleError("resolve", f"no item {item_id}")
    version, body = row
    bodies = {hashlib.sha256(body.encode()).hexdigest(): body}
    bodies.update(store.conn.execute(
        "SELECT sha256, body FROM conflicts WHERE record = 'item' AND id = ? AND version = ?",
        (item_id, version)).fetchall())
    if keep_sha256 not in bodies or len(bodies) < 2:
        raise BundleError("resolve", f"{item_id} has no conflicting version {keep_sha256[:12]}")
    marks = [parse_marking(json.loads(b)["marking"]) for b in bodies.values()]
    chosen = parse_item(bodies[keep_sha256])
    top = markings.rollup(marks)
    own = parse_marking(chosen.marking)
    item = revise(chosen, updated=now) if markings.at_least(own, top) else \
        revise(chosen, updated=now, marking=top.portion())
    store.save_item(item, expected_version=version)
    with store.transaction() as conn:
        for table in ("conflicts", "conflict_arrivals"):
            conn.execute(f"DELETE FROM {table} WHERE record = 'item' AND id = ? AND version < ?",
                         (item_id, item.version))
        store.audit("exchange.resolve", item_id, {
            "kept": keep_sha256, "version": item.version, "kept_marking": chosen.marking,
            "marking": item.marking, "alternatives": len(bodies)})
