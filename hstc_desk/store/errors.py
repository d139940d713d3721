"""Errors the store raises; each carries a message fit to show the user as it is."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store error."""


class AuthError(StoreError):
    """Wrong user or password. Deliberately says no more than that."""

    def __init__(self) -> None:
        super().__init__("wrong user or password")


class NotAStoreError(StoreError):
    """The path is not an HSTC store (missing, or not ours)."""


class CorruptStoreError(StoreError):
    """The store's bytes fail their integrity checks."""


class PermissionDenied(StoreError):
    """The user's role or clearance does not allow the action."""


class AccreditationError(StoreError):
    """The workstation's accreditation does not dominate the marking."""


class NotFound(StoreError):
    """No such item, user or record."""


class DiskFullError(StoreError):
    """The file system holding the store has no room left for what was asked."""

    def __init__(self, store: object, free: int) -> None:
        super().__init__(f"the disk holding {store} is full: {free} bytes free")
        self.free = free


class ReadOnlyMediaError(StoreError):
    """A change was asked of a store that sits on read-only media (or in a read-only folder)."""
