"""Errors of ingest: a whole file refused (nothing written), and one row refused by name."""

from __future__ import annotations

from dataclasses import dataclass


class IngestError(Exception):
    """The whole file is refused; nothing was written."""


@dataclass(frozen=True)
class RowProblem:
    """Why one row was refused or quarantined: its row number (the header is row 1), the field
    (column name, or "" for the whole row) and the reason."""

    row: int
    field: str
    reason: str

    def text(self) -> str:
        where = f"row {self.row}" + (f", field {self.field!r}" if self.field else "")
        return f"{where}: {self.reason}"
