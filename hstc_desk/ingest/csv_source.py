"""Read a CSV file with the standard library, strictly: a declared encoding, no guessing.

UTF-8 is the default; a UTF-8 byte order mark is accepted and removed; any other encoding must be
named (``encoding=``). Bytes that do not decode refuse the whole file, naming the line. Each
record is checked on its own: a NUL, a cell over MAX_CELL characters or a row with more or fewer
cells than the header is refused, named by row and field. Cells are text and stay text: one that
looks like a formula (``=``, ``+``, ``-``, ``@``) is data and nothing here or later evaluates it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hstc_desk.ingest.errors import IngestError, RowProblem

MAX_FILE_BYTES = 64 * 1024 * 1024
"""A larger file is refused before it is read (the CSV module would otherwise hold any cell)."""
MAX_CELL = 20_000
"""The longest cell kept (an item's portion holds at most 20,000 characters)."""
MAX_COLUMNS = 500

FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class CsvTable:
    """A decoded file: the header and the records, read one at a time (row number, the cells
    by column or the problem). ``rows`` can be walked once."""

    header: list[str]
    encoding: str
    had_bom: bool
    rows: Iterator[tuple[int, dict[str, str] | RowProblem]]


def decode(data: bytes, encoding: str | None) -> tuple[str, str, bool]:
    """(text, encoding used, had a BOM). Only the declared encoding; a decode error refuses."""
    name = encoding or "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        raise IngestError(f"unknown encoding {name!r}") from None
    had_bom = data.startswith(codecs.BOM_UTF8)
    if had_bom and codecs.lookup(name).name in ("utf-8", "utf-8-sig"):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise IngestError(f"line {line}: bytes at offset {exc.start} are not {name} "
                          f"({exc.reason}); declare the file's encoding with --encoding; "
                          "nothing was written") from None
    return text, name, had_bom


def read_csv(data: bytes, *, encoding: str | None = None) -> CsvTable:
    """Parse the whole file (at most MAX_FILE_BYTES); see the module docstring for the rules."""
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(f"the file is {len(data):,} bytes, over the limit of "
                          f"{MAX_FILE_BYTES:,}; split it; nothing was written")
    text, name, had_bom = decode(data, encoding)
    # The module's own cell limit would stop the parse with no row or field named: lift it to
    # the file limit and check each cell here instead.
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise IngestError("the file is empty (no header row)") from None
    except csv.Error as exc:
        raise IngestError(f"row 1 (the header): {exc}") from None
    header = [h.strip() for h in header]
    _check_header(header)
    return CsvTable(header=header, encoding=name, had_bom=had_bom,
                    rows=_records(reader, header))


def _records(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
    """Each record after the header; a CSV syntax error refuses the file (the parser cannot
    tell where the next record starts)."""
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise IngestError(f"row {number + 1}: malformed CSV ({exc}); nothing was "
                              "written") from None
        number += 1
        if not cells:
            continue  # a blank line is no record
        yield number, _check_row(number, header, cells)


def _check_header(header: list[str]) -> None:
    if len(header) > MAX_COLUMNS:
        raise IngestError(f"row 1 (the header): {len(header)} columns, over {MAX_COLUMNS}")
    seen: set[str] = set()
    for i, h in enumerate(header):
        if not h:
            raise IngestError(f"row 1 (the header): column {i + 1} has no name")
        if "\x00" in h or len(h) > 200:
            raise IngestError(f"row 1 (the header): column {i + 1} has a NUL or is too long")
        if h in seen:
            raise IngestError(f"row 1 (the header): column {h!r} appears twice")
        seen.add(h)


def _check_row(number: int, header: list[str], cells: list[str]) -> dict[str, str] | RowProblem:
    if len(cells) != len(header):
        if len(cells) > len(header):
            return RowProblem(number, "", f"{len(cells)} cells but the header has {len(header)} "
                              f"columns (cell {len(header) + 1} has no column)")
        return RowProblem(number, header[len(cells)], f"{len(cells)} cells but the header has "
                          f"{len(header)} columns (this and later fields are missing)")
    for name, cell in zip(header, cells, strict=True):
        if "\x00" in cell:
            return RowProblem(number, name, "contains a NUL character")
        if len(cell) > MAX_CELL:
            return RowProblem(number, name, f"cell of {len(cell):,} characters, over the limit "
                              f"of {MAX_CELL:,}")
    return dict(zip(header, cells, strict=True))


def looks_like_formula(cell: str) -> bool:
    """True for a cell a spreadsheet would evaluate; ingest keeps it as text all the same."""
    return cell.startswith(FORMULA_START)
