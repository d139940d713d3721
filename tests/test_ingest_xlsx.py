"""Ingest of XLSX workbooks (issue 14), read as values only by python-calamine: workbooks written
by hand in the test (tests/xlsx_corpus.py), real SQLCipher stores, the same refusals as CSV."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from ingest_corpus import HEADER, clean_rows
from xlsx_corpus import Cell, Formula, workbook

from hstc_desk.domain import Event, Person
from hstc_desk.ingest import IngestError, ingest_file, item_id
from hstc_desk.ingest.xlsx_source import read_xlsx
from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, make_store, run_hstc

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)"]


def _ids(record_id: str, originator: str = "CBP") -> tuple[str, str]:
    return (item_id("person", originator, "encounters-log", "person", [record_id]),
            item_id("event", originator, "encounters-log", "event", [record_id]))


def _sheet_rows(n: int, seed: int, marking: str = "C") -> list[list[Cell]]:
    """The CSV corpus's rows as sheet cells: the birth year a number, as a spreadsheet keeps it."""
    rows: list[list[Cell]] = []
    for r in clean_rows(n, seed=seed, marking=marking):
        cells: list[Cell] = list(r)
        cells[4] = float(r[4])
        rows.append(cells)
    return rows


def _hostile() -> list[list[Cell]]:
    rows = _sheet_rows(11, seed=21)
    rows[0][2] = Formula('=CONCAT("Ana"," Lopez")', "Ana Lopez")  # row 2: cached value is data
    rows[0][4] = Formula("=1980+10", 1990.0)
    rows[1][1] = date(2026, 3, 5)                               # row 3: a date cell
    rows[2][1] = datetime(2026, 3, 6, 17, 45)                   # row 4: a date-time cell
    for i, text in enumerate(HOSTILE):                          # rows 5-8: text, never a formula
        rows[3 + i][2] = text
    rows[7] = [*rows[7], "surplus"]                             # row 9: a cell with no column
    rows[8][7] = "x" * 1_000_000                                # row 10: a 1 MB cell
    rows[9][7] = "bad_x0000_cell"                               # row 11: a NUL (OOXML escape)
    rows[10][1] = "05/03/2026"                                  # row 13: a date as text
    return [list(HEADER), *rows[:10], [None] * 3, rows[10]]     # row 12 is blank


def test_hostile_workbook_values_only_refusals_named_by_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    sheet = _hostile()
    path.write_bytes(workbook({"Encounters": sheet}))
    with Store.open(make_store(tmp_path / "s", accreditation="S"), ADMIN, ADMIN_PW) as s:
        report = ingest_file(s, path, originator="CBP")           # chosen by the .xlsx suffix
        got = {p.row: (p.field, p.reason) for p in report.refused}
        assert sorted(got) == [9, 10, 11]
        assert got[9][0] == "" and "cell 11 has a value" in got[9][1]
        assert got[10] == ("narrative", "cell of 1,000,000 characters, over the limit of 20,000")
        assert got[11] == ("narrative", "contains a NUL character")
        assert sorted(report.admitted) == [2, 3, 4, 5, 6, 7, 8, 13]
        assert report.rows == 11 and report.formula_cells == 4
        assert report.unmapped == ["station"] and s.count("items") == 16
        record = [str(r[0]) for r in sheet]
        person = s.get_item(_ids(record[1])[0])
        assert isinstance(person, Person)
        assert person.name == "Ana Lopez" and person.birth_year == 1990
        assert person.marking == "(C)" and person.originator == "CBP"
        whens = {3: datetime(2026, 3, 5, tzinfo=UTC), 4: datetime(2026, 3, 6, 17, 45, tzinfo=UTC),
                 13: datetime(2026, 3, 5, tzinfo=UTC)}
        for row, when in whens.items():
            event = s.get_item(_ids(record[row - 1])[1])
            assert isinstance(event, Event) and event.occurred == when
        for row, text in zip(range(5, 9), HOSTILE, strict=True):
            hostile = s.get_item(_ids(record[row - 1])[0])
            assert isinstance(hostile, Person) and hostile.name == text
            assert hostile.birth_year == int(sheet[row - 1][4])  # type: ignore[arg-type]
        for row in (9, 10, 11):
            assert s.conn.execute("SELECT count(*) FROM items WHERE id IN (?, ?)",
                                  _ids(record[row - 1])).fetchone()[0] == 0
        prov = sorted(r[0] for r in s.conn.execute("SELECT DISTINCT row FROM ingest_provenance"))
        assert prov == [2, 3, 4, 5, 6, 7, 8, 13]
        assert s.verify_audit().ok


def test_values_become_the_text_the_mappings_read() -> None:
    data = workbook({"S": [["n", "f", "d", "t", "big", "neg", "formula"],
                           [1990.0, 2.5, date(2026, 1, 2), datetime(2026, 1, 2, 0, 0), 123456,
                            -7.0, Formula("=A2*2", 3980.0)],
                           [None, None, datetime(2026, 1, 2, 9, 30, 15), None, None, None,
                            Formula('="="&"1+1"', "=1+1")]]})
    table = read_xlsx(data)
    assert table.header == ["n", "f", "d", "t", "big", "neg", "formula"] and table.sheet == "S"
    rows = dict(table.rows)
    assert rows[2] == {"n": "1990", "f": "2.5", "d": "2026-01-02", "t": "2026-01-02",
                       "big": "123456", "neg": "-7", "formula": "3980"}
    assert rows[3] == {"n": "", "f": "", "d": "2026-01-02T09:30:15Z", "t": "", "big": "",
                       "neg": "", "formula": "=1+1"}


def test_not_a_workbook_is_refused_clearly_and_writes_nothing(tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"record_id,date\nE1,2026-03-01\n")
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    notbook = tmp_path / "zip.xlsx"
    notbook.write_bytes(other.getvalue())
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(workbook({"S": []}))
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        head, digest = s.audit_head(), s.content_digest()
        with pytest.raises(IngestError, match="not an XLSX file: it is not a zip package"):
            ingest_file(s, fake, originator="CBP")
        with pytest.raises(IngestError, match="not a readable XLSX workbook"):
            ingest_file(s, notbook, originator="CBP")
        with pytest.raises(IngestError, match="is empty"):
            ingest_file(s, empty, originator="CBP")
        with pytest.raises(IngestError, match="--encoding is for CSV"):
            ingest_file(s, fake, originator="CBP", encoding="latin-1")
        with pytest.raises(IngestError, match="--sheet is for XLSX"):
            ingest_file(s, fake, originator="CBP", file_format="csv", sheet="S")
        assert (s.audit_head(), s.content_digest()) == (head, digest)
        assert s.conn.execute("SELECT count(*) FROM ingest_sources").fetchone()[0] == 0
    out = run_hstc("ingest", str(store_path), str(fake), "--originator", "CBP")
    assert out.returncode == 1 and "not a zip package" in out.stderr


def test_first_sheet_unless_one_is_named(tmp_path: Path) -> None:
    first = [list(HEADER), *_sheet_rows(2, seed=22)]
    second = [list(HEADER), *_sheet_rows(3, seed=23)]
    path = tmp_path / "book.bin"                      # no suffix to go by: --format names it
    path.write_bytes(workbook({"March": first, "April": second}))
    store_path = make_store(tmp_path / "s")
    out = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP",
                   "--format", "xlsx", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["admitted"] == 2
    out = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP",
                   "--format", "xlsx", "--sheet", "April", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["admitted"] == 3
    bad = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP",
                   "--format", "xlsx", "--sheet", "May")
    assert bad.returncode == 1 and "no sheet 'May'" in bad.stderr and "'April'" in bad.stderr
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        assert s.count("items") == 10
        assert s.get_item(_ids(str(second[3][0]))[0]).name == second[3][2]  # type: ignore


def test_same_workbook_twice_leaves_the_content_digest_unchanged(tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    path = tmp_path / "log.xlsx"
    rows = _sheet_rows(30, seed=24, marking="U//FOUO")
    for i, r in enumerate(rows):
        r[1] = date(2026, 3, 1 + i % 28)
    path.write_bytes(workbook({"Log": [list(HEADER), *rows]}))
    assert workbook({"Log": [list(HEADER), *rows]}) == path.read_bytes()  # deterministic
    first = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP")
    assert first.returncode == 0, first.stderr
    assert "admitted 30 rows (60 new items" in first.stdout
    stats1 = json.loads(run_hstc("stats", str(store_path), "--json").stdout)
    second = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP")
    assert second.returncode == 0, second.stderr
    assert "admitted 0 rows" in second.stdout and "unchanged 30" in second.stdout
    stats2 = json.loads(run_hstc("stats", str(store_path), "--json").stdout)
    assert stats2["content_digest"] == stats1["content_digest"]
    assert stats2["items"] == stats1["items"] == 60


def test_travel_document_list_with_number_and_date_cells(tmp_path: Path) -> None:
    header = ["document_number", "issuing_country", "document_type", "holder_name",
              "holder_nationality", "holder_birth_date", "fraud", "remarks", "marking"]
    rows: list[list[Cell]] = [
        [12345678.0, "mex", "Passport", "Ana Lopez", "MEX", date(1990, 5, 4), None, None, "C"],
        ["B7654321", "GTM", "visa", "Luis Garcia", "GTM", "1985-01-31", "counterfeit",
         "Laminate lifted.", "C"]]
    path = tmp_path / "docs.xlsx"
    path.write_bytes(workbook({"Docs": [header, *rows]}))
    with Store.open(make_store(tmp_path / "s"), ADMIN, ADMIN_PW) as s:
        report = ingest_file(s, path, originator="GBR-NCA", mapping="travel-documents")
        assert report.admitted == [2, 3] and not report.refused
        doc = s.get_item(item_id("document", "GBR-NCA", "travel-documents", "document",
                                 ["12345678", "mex"]))
        assert doc.number == "12345678" and doc.issuing_country == "MEX"  # type: ignore
        holder = s.get_item(doc.holder_id)  # type: ignore[union-attr,arg-type]
        assert holder.birth_year == 1990  # type: ignore[union-attr]
