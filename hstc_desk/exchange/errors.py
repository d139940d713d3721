"""Errors of the exchange: each names the check that failed, fit to show the user as it is."""

from __future__ import annotations


class ExchangeError(ValueError):
    """Base of every exchange error."""


class BundleError(ExchangeError):
    """A bundle was refused. ``check`` names the check that refused it."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(f"bundle refused ({check}): {message}")
        self.check = check
        self.detail = message


class KeyError_(ExchangeError):
    """A key file, fingerprint or trust operation was refused."""


class ExportCancelled(ExchangeError):
    """The user cancelled an export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("export cancelled; nothing was written")
