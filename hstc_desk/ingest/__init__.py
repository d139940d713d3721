"""Ingest of agency reporting (issue 14): CSV by mappings kept as data, markings carried and
never guessed, provenance per item, one transaction per file (see run.py). No Qt here."""

from hstc_desk.ingest.csv_source import MAX_CELL, MAX_FILE_BYTES, read_csv
from hstc_desk.ingest.errors import IngestError, RowProblem
from hstc_desk.ingest.mapping import Mapping, load_mapping, mapping_names
from hstc_desk.ingest.run import Report, ingest_file, item_id

__all__ = [
    "MAX_CELL",
    "MAX_FILE_BYTES",
    "IngestError",
    "Mapping",
    "Report",
    "RowProblem",
    "ingest_file",
    "item_id",
    "load_mapping",
    "mapping_names",
    "read_csv",
]
