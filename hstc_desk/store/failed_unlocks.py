"""Failed unlocks, counted in a small side file until the next successful unlock moves them into
the audit chain.

A wrong password must not change a byte of ``store.db`` or ``keyslots.json`` (nothing can be
written inside the database without its key), so each failure is appended to
``failed-unlocks.log`` beside them: one JSON line with the time (UTC), the user name and where
the attempt was made (the window, the lock screen or the command line); never the password.
A name that is not a user of this store is written as "(unknown user)", since people type
their password into the user field too.

The file is bounded: past ``MAX_ENTRIES`` the oldest lines fold into one summary line that
counts them. Writers and the mover hold an exclusive lock on the file (flock), so no attempt
is lost between the move and the truncation. The file lies outside the encryption: someone with
write access to the folder could remove lines from it, which is why every line that reaches the
chain is kept there for good, and why the reader accepts only well-formed lines.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol


class Store(Protocol):
    """What moving the attempts needs of an unlocked store (``store.Store`` has it; the store
    calls this module while it opens, so this module never imports it)."""

    path: Path
    conn: Any
    user: Any

    def transaction(self) -> contextlib.AbstractContextManager[Any]: ...

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> object: ...

SIDE_NAME = "failed-unlocks.log"
WHERE = ("window", "lock screen", "cli", "program")
UNKNOWN_USER = "(unknown user)"
MAX_ENTRIES = 500
MAX_NAME = 32
_READ_CAP = 512 * 1024  # a longer file has been tampered with; read its head only
_LAST_MOVED = "failed_unlocks.last_moved"
_UNSEEN = "failed_unlocks.unseen."


@dataclass(frozen=True)
class Attempt:
    """One failed unlock, or (``folded`` > 0) a summary of that many older ones."""

    id: str
    at: str
    user: str
    where: str
    folded: int = 0
    until: str = ""

    def line(self) -> bytes:
        doc: dict[str, object] = {"id": self.id, "at": self.at, "user": self.user,
                                  "where": self.where}
        if self.folded:
            doc.update(folded=self.folded, until=self.until)
        return (json.dumps(doc, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


def _clean_name(name: str, known: bool) -> str:
    if not known:
        return UNKNOWN_USER
    text = "".join(c for c in str(name) if c.isprintable())[:MAX_NAME]
    return text or UNKNOWN_USER


def _parse(raw: bytes) -> list[Attempt]:
    out: list[Attempt] = []
    for line in raw[:_READ_CAP].splitlines():
        try:
            doc = json.loads(line)
            at = doc["at"]
            datetime.fromisoformat(at)
            attempt = Attempt(
                id=str(doc["id"])[:32], at=at[:40],
                user=_clean_name(doc["user"], doc["user"] != UNKNOWN_USER),
                where=doc["where"] if doc["where"] in WHERE else "program",
                folded=max(0, int(doc.get("folded", 0))), until=str(doc.get("until", ""))[:40])
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # a torn or foreign line is no attempt we can vouch for
        out.append(attempt)
    return out


@contextmanager
def _locked(path: Path, *, create: bool) -> Iterator[int | None]:
    flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileNotFoundError:
        yield None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _read(fd: int) -> bytes:
    return os.pread(fd, _READ_CAP, 0)


def record(folder: Path, user: str, where: str, *, known_user: bool) -> bool:
    """Append one failed attempt. Never raises for the file (a read-only or full disk must not
    turn a refusal into a crash); returns whether it was written."""
    attempt = Attempt(id=secrets.token_hex(8),
                      at=datetime.now(UTC).isoformat(timespec="seconds"),
                      user=_clean_name(user, known_user),
                      where=where if where in WHERE else "program")
    side = Path(folder) / SIDE_NAME
    existed = side.exists()
    try:
        with _locked(side, create=True) as fd:
            assert fd is not None
            raw = _read(fd)
            if raw.count(b"\n") >= MAX_ENTRIES:
                kept = _fold(_parse(raw))
                os.ftruncate(fd, 0)
                os.write(fd, b"".join(a.line() for a in kept))
            os.write(fd, attempt.line())
    except OSError:
        # A full disk: the file could be made but not written; the empty file goes again.
        if not existed:
            with contextlib.suppress(OSError):
                if side.stat().st_size == 0:
                    side.unlink()
        return False
    return True


def _fold(attempts: list[Attempt]) -> list[Attempt]:
    """Keep the newest entries; fold the rest into one summary line at the head."""
    keep = MAX_ENTRIES // 2
    old, new = attempts[:-keep], attempts[-keep:]
    if not old:
        return new
    count = sum(a.folded or 1 for a in old)
    summary = Attempt(id=secrets.token_hex(8), at=old[0].at, user=UNKNOWN_USER,
                      where="program", folded=count, until=old[-1].until or old[-1].at)
    return [summary, *new]


def pending(folder: Path) -> list[Attempt]:
    """The attempts waiting in the side file (for reports; changes nothing)."""
    try:
        return _parse((Path(folder) / SIDE_NAME).read_bytes())
    except OSError:
        return []


def move_into_audit(store: Store) -> int:
    """After a successful unlock: move every waiting attempt into the audit chain in one
    transaction, then empty the side file. Returns how many failed unlocks of the unlocking
    user's own name happened since their last unlock (counting those another user's unlock
    moved meanwhile); writes nothing when there is nothing to move or to report."""
    me = store.user.name
    unseen_key = _UNSEEN + me
    with _locked(store.path / SIDE_NAME, create=False) as fd:
        attempts = _parse(_read(fd)) if fd is not None else []
        meta = dict(store.conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (_LAST_MOVED, unseen_key)))
        ids = [a.id for a in attempts]
        last = meta.get(_LAST_MOVED)
        if last in ids:  # moved before, but the file was not emptied (a crash between)
            attempts = attempts[ids.index(last) + 1:]
        unseen = int(meta.get(unseen_key, "0") or 0)
        if not attempts and not unseen:
            if fd is not None and ids:
                os.ftruncate(fd, 0)
            return 0
        per_user = Counter(a.user for a in attempts if not a.folded)
        with store.transaction() as conn:
            for a in attempts:
                detail: dict[str, object] = {"failed_at": a.at, "where": a.where}
                if a.folded:
                    detail.update(folded=a.folded, until=a.until)
                store.audit("unlock.failed", a.user, detail)
            for name, n in per_user.items():
                if name in (me, UNKNOWN_USER):
                    continue
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                    "SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT)",
                    (_UNSEEN + name, str(n), n))
            conn.execute("DELETE FROM meta WHERE key = ?", (unseen_key,))
            if attempts:
                conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                             "DO UPDATE SET value = excluded.value", (_LAST_MOVED, ids[-1]))
        if fd is not None:
            os.ftruncate(fd, 0)
    return per_user.get(me, 0) + unseen


def message(count: int) -> str:
    """The sentence shown to the user after unlocking ('' when there is nothing to say)."""
    if count <= 0:
        return ""
    return (f"{count} failed unlock{'s' if count != 1 else ''} under your name since your last "
            "unlock (recorded in the audit log).")
