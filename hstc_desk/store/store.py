"""The encrypted case-item store: create, unlock, read, write, search, audit.

A store is a folder holding ``store.db`` (SQLCipher, keyed with a random 32-byte key) and
``keyslots.json`` (that key wrapped once per user). Nothing is written to either before a
password has unwrapped a slot, so a wrong password changes no byte of them; the attempt is
appended to a side file beside them (failed_unlocks) that the next successful unlock moves into
the audit chain.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk import markings
from hstc_desk.atomic import fsync_dir
from hstc_desk.domain import Item, Link, item_to_json, parse_item, parse_link
from hstc_desk.domain.users import validate_username
from hstc_desk.store import (
    anchors,
    audit,
    certificates,
    disk,
    failed_unlocks,
    movement_bins,
    schema,
    search_head,
)
from hstc_desk.store.connection import CACHE_KIB, Access, connect
from hstc_desk.store.errors import (
    AccreditationError,
    AuthError,
    CorruptStoreError,
    NotAStoreError,
    NotFound,
    PermissionDenied,
    StoreError,
)
from hstc_desk.store.keyslots import KdfParams, KeySlots, Unlocked
from hstc_desk.store.rows import (
    FTS_INSERT,
    ITEM_INSERT,
    LINK_INSERT,
    item_row,
    link_row,
    marking_columns,
    parse_marking,
    sci_bits,
)
from hstc_desk.store.search import (
    Hit,
    SearchCursor,
    fts_query,
    hydrate,
    query_terms,
    top_hits,
)

DB_NAME = "store.db"
SLOTS_NAME = "keyslots.json"
ROLES = ("analyst", "supervisor", "admin", "disclosure_officer")


def _public_bytes(private_raw: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(private_raw)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _new_signing_key() -> bytes:
    return secrets.token_bytes(32)


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    clearance: str
    public_key: bytes


class Store:
    """An unlocked store, for one user. Use as a context manager or call close()."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection, slots: KeySlots, user: UserInfo,
                 keys: Unlocked, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly  # opened for reading only: every transaction is refused
        self._access: Access = "write"  # how the connection touches the files (connection.py)
        self.conn = conn
        self._slots = slots
        self.store_id = slots.store_id
        self.user = user
        self._keys = keys
        self.accreditation = markings.parse_clearance(self.meta("accreditation"))
        self.clearance = markings.parse_clearance(user.clearance)
        self._writes = 0  # commits through transaction(), for caches keyed on store content
        self._head_terms = search_head.HeadTerms()
        self._sees_all = (self.clearance.level >= self.accreditation.level
                          and self.clearance.sci >= self.accreditation.sci)
        self.failed_unlocks = 0  # this user's failed unlocks since their last (open())

    # ---- life cycle -------------------------------------------------------------------------

    @staticmethod
    def is_store(path: Path) -> bool:
        path = Path(path)
        return (path / DB_NAME).is_file() and (path / SLOTS_NAME).is_file()

    @classmethod
    def create(cls, path: Path, user: str, password: str, *, role: str = "admin",
               accreditation: str = "TS//HCS/SI/TK", kdf: KdfParams | None = None,
               cache_kib: int = CACHE_KIB) -> Store:
        """Make a new store with its first user and the workstation's accreditation.

        The store is built in a hidden folder beside ``path`` and renamed into place when whole,
        so a failure (a full disk, a kill) never leaves a half-made store at ``path``.
        """
        path = Path(path)
        validate_username(user)
        if role not in ROLES:
            raise StoreError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
        if not password:
            raise StoreError("the password must not be empty")
        clearance = markings.parse_clearance(accreditation)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise StoreError(f"{path} already exists and is not empty")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Short whatever the store's name (a name may take all 255 bytes a folder name has).
        tag = hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]
        work = path.parent / f".hstc-creating-{tag}-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(mode=0o700)
        try:
            keys = _build(work, user, password, role, _clearance_text(clearance), kdf)
            os.replace(work, path)
        except BaseException as exc:
            # A full disk is named as such, with the free space measured before the clean-up.
            full = (disk.full_error(path.parent, path) if isinstance(exc, Exception)
                    and disk.is_disk_full(exc, path.parent)
                    and disk.free_bytes(path.parent) < disk.MIN_FREE_BYTES else None)
            shutil.rmtree(work, ignore_errors=True)
            if full is not None:
                raise full from None
            raise
        fsync_dir(path.parent)
        return cls.open_with_keys(path, user, keys, cache_kib=cache_kib)

    @classmethod
    def open(cls, path: Path, user: str, password: str, *,
             cache_kib: int = CACHE_KIB, where: str = "program",
             readonly: bool = False, allow_change: bool = False) -> Store:
        """Unlock with the user's password. Wrong user or password: AuthError, and not a byte
        of the database or key slots written; the attempt (time, user, ``where``: "window",
        "lock screen", "cli") goes to the side file that the next successful unlock moves into
        the audit chain. ``failed_unlocks`` then counts this user's failures since their last.
        ``readonly``: for reading only (see open_with_keys); the attempts stay in the side file."""
        path = Path(path)
        if not cls.is_store(path):
            raise NotAStoreError(f"{path} is not an HSTC store (no {DB_NAME} and {SLOTS_NAME})")
        slots = KeySlots.load(path / SLOTS_NAME)
        try:
            # Finishes an interrupted rekey, upgrades an old slot, refuses a one-time password
            # unless ``allow_change`` (the password change itself): store/rekey.py.
            from hstc_desk.store import rekey

            store = rekey.unlock_and_open(cls, path, slots, user, password, cache_kib=cache_kib,
                                          readonly=readonly, allow_change=allow_change)
        except AuthError:
            failed_unlocks.record(path, user, where, known_user=slots.has(user))
            raise
        if store.readonly and store._access != "query":
            # Nothing can be written where the store is: the attempts wait in the side file.
            store.failed_unlocks = sum(1 for a in failed_unlocks.pending(path)
                                       if a.user == store.user.name)
            return store
        try:
            with store._unlock_records():
                store.failed_unlocks = failed_unlocks.move_into_audit(store)
        except (OSError, sqlcipher3.DatabaseError, StoreError):
            # A read-only or full disk: the attempts wait in the side file for the next unlock.
            store.failed_unlocks = sum(1 for a in failed_unlocks.pending(path)
                                       if a.user == store.user.name)
        return store

    @classmethod
    def open_with_keys(cls, path: Path, user: str, keys: Unlocked, *,
                       slots: KeySlots | None = None, cache_kib: int = CACHE_KIB,
                       readonly: bool = False) -> Store:
        """Open with keys already unwrapped. Checks the user and the store before any write.

        For changes, a store on read-only media or a full disk is refused with a sentence that
        says so, before any file is made. ``readonly`` opens for reading only, also there, and
        creates nothing where nothing can be created (see disk.open_database).
        """
        path = Path(path)
        slots = slots or KeySlots.load(path / SLOTS_NAME)
        db = path / DB_NAME
        if db.stat().st_size == 0:
            raise CorruptStoreError(f"{db} is empty: the store is damaged; restore it from a copy")
        conn, access = disk.open_database(path, db, keys.db_key, cache_kib=cache_kib,
                                          readonly=readonly)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version < 1:
                raise CorruptStoreError(f"{db} holds no HSTC schema: the store is damaged")
            if readonly and version < schema.SCHEMA_VERSION:
                raise StoreError(f"the store's schema ({version}) is older than this program's "
                                 f"({schema.SCHEMA_VERSION}); open it once for changes to bring "
                                 "it up to date")
            row = conn.execute(
                "SELECT name, role, clearance, public_key, disabled FROM users WHERE name = ?",
                (user,)).fetchone()
            stored_id = conn.execute(
                "SELECT value FROM meta WHERE key = 'store_id'").fetchone()
            if row is None or row[4]:
                raise AuthError()
            if stored_id is None or stored_id[0] != slots.store_id:
                raise CorruptStoreError("the key slot file does not belong to this database")
            schema.migrate(conn)  # nothing to do when read-only: the schema is current
            # Role, clearance and key come from the user's verified certificate (issue 12).
            cert = certificates.login(conn, slots.store_id, user,
                                      _public_bytes(keys.signing_key))
            if cert is not None:
                row = (cert.subject, cert.role, cert.clearance, cert.public_key, 0)
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise disk.unreadable(path, db, access, exc) from None
        except BaseException:
            conn.close()
            raise
        store = cls(path, conn, slots, UserInfo(row[0], row[1], row[2], bytes(row[3])), keys,
                    readonly=readonly)
        store._access = access
        return store

    @contextmanager
    def _unlock_records(self) -> Iterator[None]:
        """Let an unlock write its own audit records (the failed unlocks it moves into the
        chain) on a store opened for reading only where the disk allows writing."""
        if not self.readonly:
            yield
            return
        self.conn.execute("PRAGMA query_only = OFF")
        self.readonly = False
        try:
            yield
        finally:
            self.readonly = True
            self.conn.execute("PRAGMA query_only = ON")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        self._keys = Unlocked(b"", b"")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- plumbing ---------------------------------------------------------------------------

    def meta(self, key: str) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise CorruptStoreError(f"store metadata {key!r} is missing")
        return row[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """One write transaction; everything inside commits together or not at all.

        A full disk met on the way is named as such (SQLite has already rolled back, or the
        rollback here does it)."""
        if self.readonly:
            raise StoreError(f"the store {self.path} is open for reading only; nothing was "
                             "changed")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except (sqlcipher3.OperationalError, OSError) as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if disk.is_disk_full(exc, self.path):
                raise disk.full_error(self.path) from None
            raise
        self._writes += 1

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> audit.AuditHead:
        """Append an audit record; call inside transaction()."""
        return audit.append(self.conn, self.store_id, self.user.name, action, target, detail,
                            self.signing_key)

    def audit_system(self, action: str, target: str, detail: dict[str, Any]) -> audit.AuditHead:
        """An audit record of a system action (actor ``system``), signed by the workstation
        key; call inside transaction()."""
        return audit.append(self.conn, self.store_id, audit.SYSTEM, action, target, detail,
                            self.workstation_key)

    def record(self, action: str, target: str, detail: dict[str, Any]) -> audit.AuditHead:
        """An audit record on its own (a refusal, an export): its own transaction."""
        with self.transaction():
            return self.audit(action, target, detail)

    def audit_head(self) -> audit.AuditHead:
        return audit.head(self.conn, self.store_id)

    def verify_audit(self) -> audit.AuditVerdict:
        """The chain with every record's signature, the user certificates, and the anchors of
        certificates, approved versions and sign-offs in it (anchors.verify_store)."""
        return anchors.verify_store(self.conn, self.store_id)

    def integrity_problems(self) -> list[str]:
        """SQLCipher page MACs and SQLite structure, over every page. Empty when intact."""
        problems = [r[0] for r in self.conn.execute("PRAGMA cipher_integrity_check")]
        problems += [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        return problems

    def reload_slots(self) -> KeySlots:
        """The slot file as it is on disk now, before it is changed: another session (the
        command beside the window, a window open for hours) may have written it since this
        one opened, and saving an old copy would undo what it did."""
        self._slots = KeySlots.load(self.path / SLOTS_NAME)
        return self._slots

    def require_role(self, *roles: str) -> None:
        if self.user.role not in roles:
            raise PermissionDenied(
                f"{self.user.name} is {self.user.role}; this needs {' or '.join(roles)}")

    def check_accredited(self, marking: str) -> markings.Marking:
        m = parse_marking(marking)
        if not markings.dominates(self.accreditation, m):
            raise AccreditationError(
                f"{m.portion()} is above this workstation's accreditation "
                f"({_clearance_text(self.accreditation)})")
        return m

    @property
    def workstation_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(self.meta("workstation_key")))

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        """This user's own signing key, unwrapped from their slot."""
        return Ed25519PrivateKey.from_private_bytes(self._keys.signing_key)

    # ---- users ------------------------------------------------------------------------------

    def add_user(self, name: str, password: str, role: str, *, clearance: str | None = None,
                 kdf: KdfParams | None = None) -> UserInfo:
        self.require_role("admin")
        validate_username(name)
        if role not in ROLES:
            raise StoreError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
        if not password:
            raise StoreError("the password must not be empty")
        exists = self.conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone()
        if exists:
            raise StoreError(f"user {name!r} already exists")
        cl = markings.parse_clearance(clearance) if clearance else self.accreditation
        if not (cl.level <= self.accreditation.level and cl.sci <= self.accreditation.sci):
            raise StoreError("a user's clearance cannot exceed the workstation's accreditation")
        keys = Unlocked(db_key=self._keys.db_key, signing_key=_new_signing_key())
        info = UserInfo(name, role, _clearance_text(cl), _public_bytes(keys.signing_key))
        # The audited user row first, then the slot: no credential ever exists unaudited. A slot
        # that cannot be written takes its row back out, audited too; a crash between the two
        # leaves a user who cannot log in, whom adding again repairs.
        with self.transaction():
            self.conn.execute(
                "INSERT INTO users (name, role, clearance, public_key, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, role, info.clearance, info.public_key, audit.now_iso()))
            self.audit("user.add", name, {"role": role, "clearance": info.clearance})
            certificates.issue(self, name, role=role, clearance=info.clearance,
                               public_key=info.public_key)
        try:
            self.reload_slots()
            self._slots.set_slot(name, password, keys, kdf)
            self._slots.save()
        except BaseException:
            self._slots.remove(name)
            with self.transaction():
                self.conn.execute("DELETE FROM users WHERE name = ?", (name,))
                self.audit("user.add.undone", name, {"reason": "the key slot file could not "
                                                               "be written"})
            raise
        return info

    def users(self) -> list[UserInfo]:
        rows = self.conn.execute(
            "SELECT name, role, clearance, public_key FROM users WHERE disabled = 0 ORDER BY name")
        return [UserInfo(r[0], r[1], r[2], bytes(r[3])) for r in rows]

    # ---- items ------------------------------------------------------------------------------

    @property
    def sees_all(self) -> bool:
        """Whether this user is cleared for everything the workstation may hold."""
        return self._sees_all

    def _sees(self, level: int, sci: int) -> bool:
        """Whether this user's clearance dominates a row's level and SCI bits."""
        return self._sees_all or (level <= self.clearance.level
                                  and not sci & ~sci_bits(self.clearance.sci))

    def _visible_sql(self, alias: str = "") -> tuple[str, tuple]:
        """SQL that hides what this user's clearance does not dominate ('' when nothing is)."""
        if self._sees_all:
            return "", ()
        a = f"{alias}." if alias else ""
        return (f" AND {a}level <= ? AND ({a}sci & ?) = 0",
                (int(self.clearance.level), 7 & ~sci_bits(self.clearance.sci)))

    def insert_items(self, items: Iterable[Item | Link], *, action: str = "items.add",
                     batch: int = 5000) -> int:
        """Add new items and links; returns how many were written. See insert_items_progress."""
        total = 0
        for total in self.insert_items_progress(items, action=action, batch=batch):  # noqa: B007
            pass
        return total

    def insert_items_progress(self, items: Iterable[Item | Link], *, action: str = "items.add",
                              batch: int = 5000) -> Iterator[int]:
        """Add new items and links in batches, yielding the running count after each batch.

        Each batch is one transaction with its audit record; ids must be new (a duplicate aborts
        its batch and raises). Stopping the iteration early keeps the batches already yielded.
        """
        total = 0
        buf: list[Item | Link] = []
        for obj in items:
            buf.append(obj)
            if len(buf) >= batch:
                total += self._insert_batch(buf, action)
                buf = []
                yield total
        if buf:
            total += self._insert_batch(buf, action)
            yield total

    def optimize(self) -> None:
        """After a bulk load: merge the search index into one segment, precompute the first
        pages of the commonest words, refresh planner statistics."""
        self.conn.execute("INSERT INTO items_fts (items_fts) VALUES ('optimize')")
        with self.transaction() as conn:
            search_head.rebuild(conn)
            movement_bins.fold(conn)  # the movement pyramid, before anyone draws a timeline
        self.conn.execute("PRAGMA optimize")

    def _insert_batch(self, objs: list[Item | Link], action: str) -> int:
        for marking in {obj.marking for obj in objs}:
            m = self.check_accredited(marking)
            if not self._sees_all and not markings.dominates(self.clearance, m):
                raise PermissionDenied(
                    f"{m.portion()} is above your clearance ({self.user.clearance})")
        digest = hashlib.sha256()
        with self.transaction() as conn:
            next_item = conn.execute("SELECT coalesce(max(rid), 0) FROM items").fetchone()[0] + 1
            next_link = conn.execute("SELECT coalesce(max(rid), 0) FROM links").fetchone()[0] + 1
            item_rows, fts_rows, link_rows = [], [], []
            for obj in objs:
                if isinstance(obj, Link):
                    row = link_row(next_link, obj)
                    link_rows.append(row)
                    next_link += 1
                else:
                    row = item_row(next_item, obj)
                    item_rows.append(row)
                    fts_rows.append((next_item, obj.title, obj.search_text()))
                    next_item += 1
                digest.update(row[-1].encode())
            conn.executemany(ITEM_INSERT, item_rows)
            conn.executemany(FTS_INSERT, fts_rows)
            conn.executemany(LINK_INSERT, link_rows)
            self.audit(action, f"{len(item_rows)} items, {len(link_rows)} links", {
                "items": len(item_rows), "links": len(link_rows),
                "first": objs[0].id, "last": objs[-1].id, "sha256": digest.hexdigest()})
        return len(objs)

    def save_item(self, item: Item, *, expected_version: int | None = None) -> Item:
        """Create or update one item (an analyst's edit), with its audit record.

        ``expected_version`` is the version the editor started from; if the store has moved on
        since (an import), StoreError says so and nothing is written.
        """
        new_marking = self.check_accredited(item.marking)
        if not markings.dominates(self.clearance, new_marking):
            raise PermissionDenied(
                f"{new_marking.portion()} is above your clearance ({self.user.clearance})")
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT rid, version, marking, level, sci, body FROM items WHERE id = ?",
                (item.id,)).fetchone()
            if row is not None and not self._sees(row[3], row[4]):
                # Say nothing of what the user may not see, not even that it exists.
                raise NotFound(f"no item {item.id} that you may edit")
            if row is None:
                rid = conn.execute("SELECT coalesce(max(rid), 0) + 1 FROM items").fetchone()[0]
                conn.execute(ITEM_INSERT, item_row(rid, item))
                action = "item.create"
                old_marking, old_portions = None, []
            else:
                rid, version, old_marking = row[:3]
                old_portions = [p.marking for p in parse_item(row[5]).portions]
                if markings.lowers(parse_marking(old_marking), new_marking):
                    raise StoreError(
                        f"{item.id}: {new_marking.portion()} would lower the stored marking "
                        f"{old_marking}; no marking is ever lowered by an edit")
                if expected_version is not None and version != expected_version:
                    raise StoreError(
                        f"{item.id} changed since it was opened (now version {version}, "
                        f"opened at {expected_version})")
                if item.version <= version:
                    raise StoreError(
                        f"{item.id}: version {item.version} is not newer than the stored {version}")
                conn.execute("DELETE FROM items_fts WHERE rowid = ?", (rid,))
                conn.execute("DELETE FROM items WHERE rid = ?", (rid,))
                conn.execute(ITEM_INSERT, item_row(rid, item))
                action = "item.update"
            conn.execute(FTS_INSERT, (rid, item.title, item.search_text()))
            body = item_to_json(item)
            # Old and new marking on every change, so a marking's history reads from the chain;
            # the portions' marks too, whenever any of them changed.
            detail: dict[str, Any] = {
                "version": item.version, "marking": marking_columns(item.marking)[0],
                "old_marking": old_marking,
                "sha256": hashlib.sha256(body.encode()).hexdigest()}
            new_portions = [p.marking for p in item.portions]
            if new_portions != old_portions:
                detail.update(portion_markings=new_portions, old_portion_markings=old_portions)
            self.audit(action, item.id, detail)
        return item

    def get_item(self, item_id: str) -> Item:
        row = self.conn.execute(
            f"SELECT body FROM items WHERE id = ?{self._visible_sql()[0]}",
            (item_id, *self._visible_sql()[1])).fetchone()
        if row is None:
            raise NotFound(f"no item {item_id}")
        return parse_item(row[0])

    def links_of(self, item_id: str, limit: int = 500) -> list[Link]:
        vis, args = self._visible_sql()
        ends = ""
        if vis:
            # A link shows the id of the item at its other end: both ends must be visible too.
            ivis, iargs = self._visible_sql(alias="e")
            ends = "".join(f" AND EXISTS (SELECT 1 FROM items AS e WHERE e.id = links.{end}{ivis})"
                           for end in ("src", "dst"))
            args = (*args, *iargs, *iargs)
        rows = self.conn.execute(
            f"SELECT body FROM links WHERE (src = ? OR dst = ?){vis}{ends} ORDER BY rid LIMIT ?",
            (item_id, item_id, *args, limit))
        return [parse_link(r[0]) for r in rows]

    def count(self, table: str = "items") -> int:
        if table not in ("items", "links", "audit", "users"):
            raise ValueError(table)
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # ---- search -----------------------------------------------------------------------------

    def search(self, text: str, *, limit: int = 50, after: SearchCursor | None = None,
               prefix: bool = False) -> list[Hit]:
        """One page of hits, best first; pass the last hit as ``after`` for the next page."""
        words = query_terms(text)
        if not words:
            return []
        expr = fts_query(text, prefix_last=prefix)
        vis, args = self._visible_sql(alias="i")
        if (len(words) == 1 and not prefix
                and search_head.normalize(words[0]) in self._head_terms.get(self.conn,
                                                                             self._writes)):
            head = search_head.lookup(self.conn, words[0], limit,
                                      (after.rank, after.rid) if after else None)
            if head is not None:
                hits = hydrate(self.conn, head, vis, args)
                if len(hits) == len(head) or not head:
                    return hits
        hits: list[Hit] = []
        cursor = after
        while len(hits) < limit:
            page, cursor = top_hits(self.conn, expr, limit - len(hits) if not vis else limit,
                                    cursor, vis, args)
            hits += page
            if cursor is None:
                break
        return hits[:limit]

    # ---- stats ------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts of what this user may see; the digest and audit head cover the whole store
        (hashes, which show nothing of the content, so stores can be compared)."""
        vis, args = self._visible_sql()
        where = f"WHERE 1{vis}"
        kinds = dict(self.conn.execute(
            f"SELECT kind, count(*) FROM items {where} GROUP BY kind", args))
        by_marking = dict(self.conn.execute(
            f"SELECT marking, count(*) FROM items {where} GROUP BY marking "
            "ORDER BY count(*) DESC", args))
        head = self.audit_head()
        return {
            "store_id": self.store_id,
            "accreditation": _clearance_text(self.accreditation),
            "items": sum(kinds.values()),
            "links": self.conn.execute(f"SELECT count(*) FROM links {where}", args).fetchone()[0],
            "conflicts": sum(n for m, n in self.conn.execute(
                "SELECT marking, count(*) FROM conflicts GROUP BY marking")
                if self._sees_all or markings.dominates(self.clearance, parse_marking(m))),
            "products": self.conn.execute(
                f"SELECT count(DISTINCT id) FROM products {where}", args).fetchone()[0],
            "signoffs": self.conn.execute(
                "SELECT count(*) FROM signoffs s JOIN products p ON p.id = s.product_id AND "
                f"p.version = s.version WHERE 1{self._visible_sql(alias='p')[0]}",
                self._visible_sql(alias="p")[1]).fetchone()[0],
            "by_kind": kinds,
            "by_marking": by_marking,
            "banner": markings.rollup(parse_marking(m) for m in by_marking).banner(),
            "content_digest": self.content_digest(),
            "audit_head": f"{head.seq}:{head.hash}",
        }

    def content_digest(self) -> str:
        """SHA-256 over the canonical form of every item, link, product version and sign-off,
        in id order, streamed (where a store holds no products, that part adds nothing)."""
        h = hashlib.sha256()
        for table in ("items", "links"):
            h.update(f"\x00{table}\x00".encode())
            for (body,) in self.conn.execute(f"SELECT body FROM {table} ORDER BY id"):
                h.update(body.encode())
                h.update(b"\n")
        # Conflicting versions kept by an import (exchange), when there are any: only those of
        # the version the store holds count; the time they were noted is a local fact, left out.
        conflicts = self.conn.execute(
            "SELECT c.body FROM conflicts c WHERE c.version = coalesce("
            "(SELECT version FROM items WHERE id = c.id), "
            "(SELECT version FROM links WHERE id = c.id)) ORDER BY c.id, c.sha256")
        first = conflicts.fetchone()
        if first is not None:
            h.update(b"\x00conflicts\x00")
            for (body,) in (first, *conflicts):
                h.update(body.encode())
                h.update(b"\n")
        # Products: every version, and every sign-off (where it came from is a local fact).
        for table, order in (("products", "id, version"), ("signoffs", "product_id, version")):
            rows = self.conn.execute(f"SELECT body FROM {table} ORDER BY {order}")
            first = rows.fetchone()
            if first is not None:
                h.update(f"\x00{table}\x00".encode())
                for (body,) in (first, *rows):
                    h.update(body.encode())
                    h.update(b"\n")
        return h.hexdigest()


def _build(work: Path, user: str, password: str, role: str, accreditation: str,
           kdf: KdfParams | None) -> Unlocked:
    """Write a complete new store into the empty folder ``work``; returns its keys."""
    keys = Unlocked(db_key=secrets.token_bytes(32), signing_key=_new_signing_key())
    # The root of trust (issue 12): the workstation key certifies the first user, and the store
    # id is the hash of that certificate, bound into every key slot.
    workstation = Ed25519PrivateKey.from_private_bytes(_new_signing_key())
    created = audit.now_iso()
    root = certificates.root(workstation, user, accreditation, _public_bytes(keys.signing_key),
                             created, role)
    store_id = certificates.store_id_of(root.body)
    slots = KeySlots.new(work / SLOTS_NAME, store_id)
    slots.set_slot(user, password, keys, kdf)
    db = work / DB_NAME
    os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = connect(db, keys.db_key)
    try:
        schema.migrate(conn)
        meta = {
            "store_id": store_id,
            "accreditation": accreditation,
            "workstation_key": workstation.private_bytes_raw().hex(),
            "workstation_name": f"ws-{store_id[:8]}",
            "created": created,
        }
        with _tx(conn):
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
            conn.execute(
                "INSERT INTO users (name, role, clearance, public_key, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (user, role, accreditation, _public_bytes(keys.signing_key), created))
            certificates.insert(conn, root)
            audit.append(conn, store_id, user, "store.create", store_id,
                         {"accreditation": accreditation, "first_user": user, "role": role,
                          "certificate_sha256": root.digest},
                         Ed25519PrivateKey.from_private_bytes(keys.signing_key))
    finally:
        conn.close()  # checkpoints the WAL into store.db before the folder is renamed
    slots.save()
    return keys


@contextmanager
def _tx(conn: sqlcipher3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _clearance_text(c: markings.Clearance) -> str:
    """Canonical text of a clearance: "TS//HCS/SI/TK"."""
    return c.level.name + ("//" + "/".join(sorted(c.sci)) if c.sci else "")
