"""Ingest of CSV files (issue 14): a hostile corpus, markings never guessed, quarantine,
provenance, idempotence, one transaction per file. Real SQLCipher stores throughout."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ingest_corpus import HEADER, clean_rows, encode, line

from hstc_desk.domain import Event, Person
from hstc_desk.ingest import MAX_FILE_BYTES, IngestError, ingest_file, item_id, read_csv
from hstc_desk.store import Store

from conftest import ADMIN, ADMIN_PW, make_store, run_hstc

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)"]


def _hostile() -> tuple[bytes, dict[int, tuple[str, str]], dict[int, datetime]]:
    """A BOM, mixed line endings, formula cells, a NUL, a 1 MB cell, ragged rows, dates in
    three formats, an unmarked row, a bad marking and one above the accreditation (S)."""
    rows = clean_rows(12, seed=3, marking="C")
    for i, f in enumerate(FORMULAS):          # rows 2-5: formula-looking names, kept as text
        rows[i][2] = f
    rows[4][1] = "05/03/2026"                 # row 6: day/month/year
    rows[5][1] = "2026-03-06T17:45:00Z"       # row 7: a timestamp
    rows[6][7] = "bad\x00cell"                # row 8: a NUL
    rows[7][7] = "x" * 1_000_000              # row 9: a 1 MB cell
    rows[8] = rows[8][:5]                     # row 10: too few cells
    rows[9] = [*rows[9], "surplus"]           # row 11: too many cells
    rows[10][8] = ""                          # row 12: no marking
    rows[11][8] = "TS//SI"                    # row 13: above the accreditation (S)
    extra = clean_rows(3, seed=4, marking="C")
    extra[0][8] = "SECRET-ISH"                # row 14: not a marking
    extra[1][1] = "March 5th"                 # row 15: no date format fits
    extra[2][4] = "1_990"                     # row 16: int() would take it; not a year here
    data = encode([*rows, *extra], bom=True, endings=("\r\n", "\n", "\r"))
    refused = {8: ("narrative", "NUL"), 9: ("narrative", "1,000,000 characters"),
               10: ("subject_role", "5 cells"), 11: ("", "11 cells"),
               13: ("marking", "above this workstation's accreditation"),
               14: ("marking", "not a valid marking"), 15: ("date", "date formats"),
               16: ("birth_year", "not a whole number")}
    dates = {6: datetime(2026, 3, 5, tzinfo=UTC), 7: datetime(2026, 3, 6, 17, 45, tzinfo=UTC),
             2: datetime(2026, 3, 1, tzinfo=UTC)}
    return data, refused, dates


def _ids(row: list[str]) -> tuple[str, str]:
    key = [row[0]]
    return (item_id("person", "CBP", "encounters-log", "person", key),
            item_id("event", "CBP", "encounters-log", "event", key))


def test_hostile_corpus_refuses_by_row_and_field_and_keeps_formulas_as_text(
        tmp_path: Path) -> None:
    data, refused, dates = _hostile()
    path = tmp_path / "hostile.csv"
    path.write_bytes(data)
    store_path = make_store(tmp_path / "s", accreditation="S")
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        before = s.count("items")
        report = ingest_file(s, path, originator="CBP")
        got = {p.row: p for p in report.refused}
        assert sorted(got) == sorted(refused)
        for row, (fld, reason) in refused.items():
            assert got[row].field == fld, got[row]
            assert reason in got[row].reason, got[row]
        assert [p.row for p in report.quarantined] == [12]
        assert sorted(report.admitted) == [2, 3, 4, 5, 6, 7]
        assert report.unmapped == ["station"]
        assert report.formula_cells == 4
        # Exactly the admitted rows reached the store: a person and an event each.
        assert s.count("items") == before + 12
        table = read_csv(data)
        assert table.had_bom and table.header == HEADER
        rows = {n: cells for n, cells in table.rows}
        for n, formula in zip(range(2, 6), FORMULAS, strict=True):
            person_id, event_id = _ids(list(rows[n].values()))  # type: ignore[union-attr]
            person = s.get_item(person_id)
            assert isinstance(person, Person) and person.name == formula
            assert person.marking == "(C)" and person.originator == "CBP"
            event = s.get_item(event_id)
            assert isinstance(event, Event) and event.participant_ids == [person_id]
        for n, when in dates.items():
            event = s.get_item(_ids(list(rows[n].values()))[1])  # type: ignore[union-attr]
            assert isinstance(event, Event) and event.occurred == when
        # Nothing of a refused or quarantined row is stored.
        for n in [*refused, 12]:
            cells = rows[n]
            if isinstance(cells, dict):
                pid, eid = _ids(list(cells.values()))
                assert s.conn.execute("SELECT count(*) FROM items WHERE id IN (?, ?)",
                                      (pid, eid)).fetchone()[0] == 0
        assert s.verify_audit().ok


def test_unmarked_rows_are_quarantined_not_guessed_and_marking_admits_them(
        tmp_path: Path) -> None:
    rows = clean_rows(5, seed=5)
    rows[1][8] = rows[3][8] = ""
    path = tmp_path / "f.csv"
    path.write_bytes(encode(rows))
    with Store.open(make_store(tmp_path / "s"), ADMIN, ADMIN_PW) as s:
        report = ingest_file(s, path, originator="CBP")
        assert [p.row for p in report.quarantined] == [3, 5]
        assert s.count("items") == 6
        waiting = s.conn.execute(
            "SELECT row, reason, cells FROM ingest_quarantine ORDER BY row").fetchall()
        assert [w[0] for w in waiting] == [3, 5]
        assert json.loads(waiting[0][2])["record_id"] == rows[1][0]
        for row in (rows[1], rows[3]):
            assert s.conn.execute("SELECT count(*) FROM items WHERE id IN (?, ?)",
                                  _ids(row)).fetchone()[0] == 0
        # The analyst names the marking explicitly: only the blank rows take it.
        report = ingest_file(s, path, originator="CBP", marking="C//REL TO USA, GBR")
        assert sorted(report.admitted) == [3, 5] and sorted(report.unchanged) == [2, 4, 6]
        assert s.get_item(_ids(rows[1])[0]).marking == "(C//REL TO USA, GBR)"
        assert s.conn.execute("SELECT row, state FROM ingest_quarantine ORDER BY row"
                              ).fetchall() == [(3, "admitted"), (5, "admitted")]
        assert s.get_item(_ids(rows[0])[0]).marking == "(U//FOUO)"


def test_marking_above_clearance_is_refused_and_default_above_clearance_refuses_file(
        tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    from hstc_desk.store import TEST_KDF, PermissionDenied
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        s.add_user("low", "low clearance pass 11", "analyst", clearance="C", kdf=TEST_KDF)
    rows = clean_rows(3, seed=6)
    rows[0][8] = "S"
    rows[2][8] = ""
    path = tmp_path / "f.csv"
    path.write_bytes(encode(rows))
    with Store.open(store_path, "low", "low clearance pass 11") as s:
        report = ingest_file(s, path, originator="CBP")
        assert [(p.row, p.field) for p in report.refused] == [(2, "marking")]
        assert "above your clearance" in report.refused[0].reason
        digest = s.content_digest()
        with pytest.raises(PermissionDenied):
            ingest_file(s, path, originator="CBP", marking="TS")
        assert s.content_digest() == digest


def test_same_file_twice_leaves_the_content_digest_unchanged(tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    path = tmp_path / "log.csv"
    path.write_bytes(encode(clean_rows(50, seed=8), endings=("\n",)))
    first = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP")
    assert first.returncode == 0, first.stderr
    assert "admitted 50 rows (100 new items" in first.stdout
    stats1 = json.loads(run_hstc("stats", str(store_path), "--json").stdout)
    second = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP")
    assert second.returncode == 0, second.stderr
    assert "admitted 0 rows" in second.stdout and "unchanged 50" in second.stdout
    stats2 = json.loads(run_hstc("stats", str(store_path), "--json").stdout)
    assert stats2["content_digest"] == stats1["content_digest"]
    assert stats2["items"] == stats1["items"] == 100
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        assert s.conn.execute("SELECT count(*) FROM ingest_sources").fetchone()[0] == 2
        assert s.conn.execute("SELECT count(*) FROM ingest_provenance").fetchone()[0] == 100


def test_changed_row_makes_a_new_version_and_a_lower_marking_is_refused(tmp_path: Path) -> None:
    rows = clean_rows(3, seed=9, marking="S")
    path = tmp_path / "f.csv"
    path.write_bytes(encode(rows))
    with Store.open(make_store(tmp_path / "s"), ADMIN, ADMIN_PW) as s:
        ingest_file(s, path, originator="CBP")
        rows[0][7] = "A corrected narrative."
        rows[1][8] = "C"                       # lower than the stored S: refused
        path.write_bytes(encode(rows))
        report = ingest_file(s, path, originator="CBP")
        assert report.admitted == [2] and report.new_versions == 1
        assert [(p.row, p.field) for p in report.refused] == [(3, "marking")]
        assert "would lower" in report.refused[0].reason
        event = s.get_item(_ids(rows[0])[1])
        assert event.version == 2 and event.portions[0].text == "A corrected narrative."
        assert s.get_item(_ids(rows[1])[1]).marking == "(S)"
        prov = s.conn.execute("SELECT version, row FROM ingest_provenance WHERE item_id = ? "
                              "ORDER BY version", (event.id,)).fetchall()
        assert prov == [(1, 2), (2, 2)]


def test_provenance_and_audit_name_file_row_originator_user(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    data = encode(clean_rows(4, seed=10))
    path.write_bytes(data)
    import hashlib
    sha = hashlib.sha256(data).hexdigest()
    with Store.open(make_store(tmp_path / "s"), ADMIN, ADMIN_PW) as s:
        ingest_file(s, path, originator="ICE-HSI")
        prov = s.conn.execute("SELECT DISTINCT sha256, originator, user FROM ingest_provenance"
                              ).fetchall()
        assert prov == [(sha, "ICE-HSI", ADMIN)]
        assert sorted(r[0] for r in s.conn.execute(
            "SELECT DISTINCT row FROM ingest_provenance")) == [2, 3, 4, 5]
        detail = json.loads(s.conn.execute(
            "SELECT detail FROM audit WHERE action = 'ingest.file'").fetchone()[0])
        assert detail["sha256"] == sha and detail["originator"] == "ICE-HSI"
        assert detail["new_items"] == 8
        assert s.verify_audit().ok


def test_whole_file_refusals_write_nothing(tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    latin = tmp_path / "latin.csv"
    rows = clean_rows(2, seed=11)
    rows[1][2] = "José Núñez"
    latin.write_bytes(encode(rows).decode().encode("latin-1"))
    missing = tmp_path / "missing.csv"
    missing.write_bytes(encode([r[:2] for r in rows], header=HEADER[:2]))
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        head, digest = s.audit_head(), s.content_digest()
        with pytest.raises(IngestError, match=r"line 3: .* not utf-8"):
            ingest_file(s, latin, originator="CBP")
        with pytest.raises(IngestError, match="lacks the column"):
            ingest_file(s, missing, originator="CBP")
        with pytest.raises(IngestError, match="not an agency code"):
            ingest_file(s, latin, originator="cbp; drop")
        with pytest.raises(IngestError, match="no mapping"):
            ingest_file(s, latin, originator="CBP", mapping="no-such-mapping")
        huge = tmp_path / "huge.csv"
        with huge.open("wb") as f:          # sparse: the size is checked before any read
            f.truncate(MAX_FILE_BYTES + 1)
        with pytest.raises(IngestError, match="over the limit"):
            ingest_file(s, huge, originator="CBP")
        assert (s.audit_head(), s.content_digest()) == (head, digest)
        assert s.conn.execute("SELECT count(*) FROM ingest_sources").fetchone()[0] == 0
        # Declared, the same bytes decode as what they are.
        report = ingest_file(s, latin, originator="CBP", encoding="latin-1")
        assert len(report.admitted) == 2
        assert s.get_item(_ids(rows[1])[0]).name == "José Núñez"  # type: ignore[union-attr]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    path = tmp_path / "f.csv"
    path.write_bytes(encode(clean_rows(5, seed=12)))
    before = json.loads(run_hstc("stats", str(store_path), "--json").stdout)
    out = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "would admit 5 rows" in out.stdout and "nothing was written" in out.stdout
    after = json.loads(run_hstc("stats", str(store_path), "--json").stdout)
    assert after == before


def test_cli_names_refused_rows_and_unmapped_columns(tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    rows = clean_rows(3, seed=13)
    rows[1] = rows[1][:4]
    path = tmp_path / "f.csv"
    path.write_bytes(encode(rows))
    out = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["refused"] == [{"row": 3, "field": "birth_year",
                                  "reason": "4 cells but the header has 10 columns (this and "
                                            "later fields are missing)"}]
    assert report["unmapped"] == ["station"] and report["admitted"] == 2
    bad = run_hstc("ingest", str(store_path), str(path), "--originator", "CBP",
                   "--mapping", "nope")
    assert bad.returncode == 1 and "no mapping 'nope'" in bad.stderr


def test_travel_document_list(tmp_path: Path) -> None:
    header = ["document_number", "issuing_country", "document_type", "holder_name",
              "holder_nationality", "holder_birth_date", "fraud", "remarks", "marking"]
    rows = [["X1234567", "mex", "Passport", "Ana Lopez", "MEX", "04.05.1990", "", "", "U//FOUO"],
            ["B7654321", "GTM", "visa", "Luis Garcia", "GTM", "1985-01-31", "counterfeit",
             "Laminate lifted.", "C"],
            ["C1", "GTM", "library card", "Rosa Diaz", "GTM", "", "", "", "C"]]
    path = tmp_path / "docs.csv"
    path.write_text("\n".join(line(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    with Store.open(make_store(tmp_path / "s"), ADMIN, ADMIN_PW) as s:
        report = ingest_file(s, path, originator="GBR-NCA", mapping="travel-documents")
        assert report.admitted == [2, 3]
        assert [(p.row, p.field) for p in report.refused] == [(4, "document_type")]
        doc = s.get_item(item_id("document", "GBR-NCA", "travel-documents", "document",
                                 ["B7654321", "GTM"]))
        assert doc.kind == "document" and doc.fraud_type == "counterfeit"  # type: ignore
        assert doc.genuine is False and doc.marking == "(C)"  # type: ignore[union-attr]
        holder = s.get_item(doc.holder_id)  # type: ignore[union-attr,arg-type]
        assert holder.birth_year == 1985  # type: ignore[union-attr]
        first = s.get_item(item_id("person", "GBR-NCA", "travel-documents", "holder",
                                   ["X1234567", "mex"]))
        assert first.birth_year == 1990  # type: ignore[union-attr]


def test_a_mapping_file_is_checked_before_use(tmp_path: Path) -> None:
    from hstc_desk.ingest import load_mapping

    good = json.loads(Path(__file__).parent.parent.joinpath(
        "resources", "ingest", "encounters-log.json").read_text(encoding="utf-8"))
    cases = {
        "title": ("items", 0, "title", "{name.__class__}", "must name a column"),
        "kind": ("items", 0, "kind", "spaceship", "unknown item kind"),
        "type": ("items", 0, "fields", {"name": {"column": "name", "type": "eval"}},
                 "unknown type"),
    }
    for label, (top, index, key, value, message) in cases.items():
        bad = json.loads(json.dumps(good))
        bad[top][index][key] = value
        path = tmp_path / f"{label}.json"
        path.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(IngestError, match=message):
            load_mapping(str(path))
    assert load_mapping("encounters-log").name == "encounters-log"


def test_a_store_without_the_ingest_tables_is_told_so(tmp_path: Path) -> None:
    """Stores made while schema step 13 was an empty slot are at version 13 with no tables."""
    path = tmp_path / "f.csv"
    path.write_bytes(encode(clean_rows(1, seed=14)))
    with Store.open(make_store(tmp_path / "s"), ADMIN, ADMIN_PW) as s:
        with s.transaction() as conn:
            for table in ("ingest_sources", "ingest_provenance", "ingest_quarantine"):
                conn.execute(f"DROP TABLE {table}")
        with pytest.raises(IngestError, match="no ingest tables"):
            ingest_file(s, path, originator="CBP")
        assert s.count("items") == 0


def test_two_rows_with_one_key_the_second_is_refused_naming_the_first(tmp_path: Path) -> None:
    rows = clean_rows(3, seed=15)
    rows[2][0] = rows[0][0]
    path = tmp_path / "f.csv"
    path.write_bytes(encode(rows))
    with Store.open(make_store(tmp_path / "s"), ADMIN, ADMIN_PW) as s:
        report = ingest_file(s, path, originator="CBP")
        assert report.admitted == [2, 3]
        assert [(p.row, p.field, p.reason) for p in report.refused] == [
            (4, "record_id", "the same key as row 2")]
        assert s.get_item(_ids(rows[0])[0]).name == rows[0][2]  # type: ignore[union-attr]


def test_a_store_at_schema_12_gains_the_ingest_tables_when_opened(tmp_path: Path) -> None:
    store_path = make_store(tmp_path / "s")
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        with s.transaction() as conn:
            for table in ("ingest_sources", "ingest_provenance", "ingest_quarantine"):
                conn.execute(f"DROP TABLE {table}")
        s.conn.execute("PRAGMA user_version = 12")
    path = tmp_path / "f.csv"
    path.write_bytes(encode(clean_rows(2, seed=16)))
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 13
        assert len(ingest_file(s, path, originator="CBP").admitted) == 2
