"""Workstation security policy: limits set by an admin (the security officer), kept in the
encrypted store, audited, and read by everyone.

A user's own preferences (the idle-lock time, how long copied text stays on the clipboard) may
be shorter than the policy allows, never longer: ``clamp`` is applied wherever a preference is
loaded, so a policy lowered after the preference was saved wins at the next load.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING

from hstc_desk.store.errors import PermissionDenied, StoreError

if TYPE_CHECKING:  # typed by what they use of it: store.py imports this module
    from hstc_desk.store.open_store import OpenStore as Store

_META_PREFIX = "policy."


@dataclass(frozen=True)
class Limit:
    """The range an admin may choose a policy value from, and its unit for messages."""

    low: int
    high: int
    unit: str
    label: str
    higher_is_stricter: bool = False  # a minimum (password length), not a maximum


LIMITS: dict[str, Limit] = {
    "idle_lock_max_minutes": Limit(1, 240, "minutes", "idle lock at most"),
    "clipboard_clear_max_seconds": Limit(5, 600, "seconds", "clipboard cleared within"),
    "password_min_length": Limit(8, 128, "characters", "passwords at least",
                                 higher_is_stricter=True),
}


@dataclass(frozen=True)
class Policy:
    """The limits in force; the defaults apply until an admin sets a value."""

    idle_lock_max_minutes: int = 15
    clipboard_clear_max_seconds: int = 60
    password_min_length: int = 12

    def check_password(self, password: str) -> None:
        """StoreError unless ``password`` meets the policy (its length, in characters)."""
        if len(password) < self.password_min_length:
            raise StoreError(
                f"the password must be at least {self.password_min_length} characters long "
                f"(the workstation policy); it has {len(password)}")

    def clamp_idle_minutes(self, preferred: float) -> float:
        """A user's idle-lock preference, never above the policy (and never below zero)."""
        return max(0.0, min(float(preferred), float(self.idle_lock_max_minutes)))

    def clamp_clipboard_seconds(self, preferred: float) -> float:
        """A user's clipboard preference, never above the policy (and never below zero)."""
        return max(0.0, min(float(preferred), float(self.clipboard_clear_max_seconds)))


def load(store: Store) -> Policy:
    """The policy in force in this store; a value that cannot be read falls back to the
    stricter of its default and its range (never to something more permissive)."""
    rows = dict(store.conn.execute(
        "SELECT key, value FROM meta WHERE key LIKE 'policy.%'").fetchall())
    values: dict[str, int] = {}
    for f in fields(Policy):
        raw = rows.get(_META_PREFIX + f.name)
        if raw is None:
            continue
        limit = LIMITS[f.name]
        try:
            value = int(raw)
        except ValueError:
            # A minimum falls back to its default (its top would lock everyone out).
            value = getattr(Policy(), f.name) if limit.higher_is_stricter else limit.low
        values[f.name] = min(max(value, limit.low), limit.high)
    return Policy(**values)


def check(name: str, value: int) -> int:
    """``value`` if it is a whole number in the range of ``name``; else StoreError."""
    limit = LIMITS.get(name)
    if limit is None:
        raise StoreError(f"unknown policy setting {name!r}: choose one of {', '.join(LIMITS)}")
    if type(value) is not int:
        raise StoreError(f"{name}: {value!r} is not a whole number of {limit.unit}")
    if not limit.low <= value <= limit.high:
        raise StoreError(f"{name} must be from {limit.low} to {limit.high} {limit.unit}, "
                         f"not {value}")
    return value


def update(store: Store, **changes: int) -> Policy:
    """Set policy values (admin only), each change audited with its old and new value, all in
    one transaction. Returns the policy now in force; unchanged values write nothing."""
    if store.user.role != "admin":
        raise PermissionDenied(
            f"{store.user.name} is {store.user.role}: only an admin (the security officer) "
            "may change the workstation policy")
    for name, value in changes.items():
        check(name, value)
    old = load(store)
    new = replace(old, **changes)
    diff = {k: (v, asdict(new)[k]) for k, v in asdict(old).items() if asdict(new)[k] != v}
    if not diff:
        return old
    with store.transaction() as conn:
        for name, (before, after) in diff.items():
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_META_PREFIX + name, str(after)))
            store.audit("policy.set", name, {"old": before, "new": after,
                                             "unit": LIMITS[name].unit})
    return new
