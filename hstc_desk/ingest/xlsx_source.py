"""Read an XLSX workbook as values only, with the kept reader python-calamine.

calamine reads the cells' stored values: a formula cell gives its cached value (the last one the
spreadsheet saved) and is never evaluated; macros are never run and external links never
followed (calamine does neither). The first sheet is read unless one is named (``sheet=``).
Rows come in the shape ``csv_source`` gives: the first row of the sheet's used range is the
header, then each data row with its row number as the spreadsheet shows it, as cells by column or
the problem. The limits are the CSV limits: the file's size (and the unpacked size of its
package), a NUL, a cell over MAX_CELL characters, a non-blank cell beyond the header's columns
(the ragged row of a sheet; a blank cell inside the header's width is an empty field).

Values become the text the mappings expect:
- text stays text, exactly; one starting with ``=``, ``+``, ``-`` or ``@`` is data like any other;
- a whole number (int, or a float with no fraction, as spreadsheets store counts and years) is
  its digits (``1990.0`` -> ``"1990"``, for ``int`` and ``year`` fields); another float is its
  shortest round-trip text (``repr``);
- a date is ``YYYY-MM-DD``; a date-time at midnight is its date; another date-time, rounded to
  the second, is ``YYYY-MM-DDTHH:MM:SSZ`` (a sheet has no zone: taken as UTC, as the mappings take
  any date format without an offset); a time or duration is ``HH:MM:SS``;
- a boolean is ``TRUE`` or ``FALSE``; an empty cell is ``""``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from hstc_desk.ingest.csv_source import MAX_CELL, MAX_FILE_BYTES, _check_header
from hstc_desk.ingest.errors import IngestError, RowProblem

MAX_UNPACKED = 4 * MAX_FILE_BYTES
"""A package that unpacks to more is refused before it is parsed (a zip bomb)."""


@dataclass(frozen=True)
class XlsxTable:
    """A read sheet: its name, the header and the records (row number, cells or the problem)."""

    header: list[str]
    sheet: str
    rows: Iterator[tuple[int, dict[str, str] | RowProblem]]


def read_xlsx(data: bytes, *, sheet: str | None = None) -> XlsxTable:
    """Read one sheet of a workbook (see the module docstring). IngestError refuses the file."""
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(f"the file is {len(data):,} bytes, over the limit of "
                          f"{MAX_FILE_BYTES:,}; split it; nothing was written")
    _check_package(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        if not names:
            raise IngestError("the workbook has no sheets; nothing was written")
        name = names[0] if sheet is None else sheet
        if name not in names:
            raise IngestError(f"the workbook has no sheet {sheet!r} (it has: "
                              f"{', '.join(repr(n) for n in names)}); nothing was written")
        values: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        book.close()
    except IngestError:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        raise IngestError(f"not a readable XLSX workbook ({type(exc).__name__}: "
                          f"{str(exc)[:200]}); nothing was written") from None
    first = next((i for i, r in enumerate(values) if any(_text(c) for c in r)), None)
    if first is None:
        raise IngestError(f"sheet {name!r} is empty (no header row)")
    header = [_text(c).strip() for c in values[first]]
    while header and not header[-1]:
        header.pop()
    _check_header(header)
    return XlsxTable(header=header, sheet=name, rows=_records(values, first, header))


def _check_package(data: bytes) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise IngestError("not an XLSX file: it is not a zip package (an XLSX file is one; "
                          "for a CSV file use --format csv); nothing was written")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise IngestError(f"not an XLSX file: a damaged zip package ({exc}); nothing was "
                          "written") from None
    if unpacked > MAX_UNPACKED:
        raise IngestError(f"the workbook unpacks to {unpacked:,} bytes, over the limit of "
                          f"{MAX_UNPACKED:,}; nothing was written")


def _records(values: list[list[Any]], first: int, header: list[str],
             ) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
    # Row numbers as the spreadsheet shows them: calamine's range starts at the first used row.
    for index in range(first + 1, len(values)):
        cells = [_text(c) for c in values[index]]
        if not any(cells):
            continue  # a blank row is no record
        number = index + 1
        yield number, _check_row(number, header, cells)


def _check_row(number: int, header: list[str], cells: list[str]) -> dict[str, str] | RowProblem:
    surplus = next((i for i in range(len(header), len(cells)) if cells[i]), None)
    if surplus is not None:
        return RowProblem(number, "", f"cell {surplus + 1} has a value but the header has "
                          f"{len(header)} columns (it has no column)")
    cells = cells[:len(header)] + [""] * (len(header) - len(cells))
    for name, cell in zip(header, cells, strict=True):
        if "\x00" in cell:
            return RowProblem(number, name, "contains a NUL character")
        if len(cell) > MAX_CELL:
            return RowProblem(number, name, f"cell of {len(cell):,} characters, over the limit "
                              f"of {MAX_CELL:,}")
    return dict(zip(header, cells, strict=True))


def _text(value: Any) -> str:
    """A calamine value as the text a mapping reads (the rules are in the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.microsecond >= 500_000:
            value += timedelta(microseconds=1_000_000 - value.microsecond)
        value = value.replace(microsecond=0)
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)
