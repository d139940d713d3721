"""Deterministic CSV files for the ingest tests, made from a seed (no files are checked in)."""

from __future__ import annotations

import random

HEADER = ["record_id", "date", "name", "nationality", "birth_year", "subject_role",
          "event_type", "narrative", "marking", "station"]
NATIONS = ["MEX", "GTM", "HND", "SLV", "ECU", "COL"]
NAMES = ["Ana Lopez", "Jose Ramirez", "Maria Cruz", "Luis Garcia", "Rosa Diaz", "Juan Perez"]


def _quote(cell: str) -> str:
    if any(c in cell for c in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def line(cells: list[str]) -> str:
    return ",".join(_quote(c) for c in cells)


def clean_rows(n: int, seed: int, *, marking: str = "U//FOUO") -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        day = 1 + i % 28
        rows.append([f"E{seed}-{i:06d}", f"2026-03-{day:02d}", rng.choice(NAMES),
                     rng.choice(NATIONS), str(rng.randint(1950, 2008)), "migrant", "encounter",
                     f"Encountered near marker {rng.randint(1, 900)}.", marking,
                     f"STN{rng.randint(1, 9)}"])
    return rows


def encode(rows: list[list[str]], *, header: list[str] = HEADER, bom: bool = False,
           endings: tuple[str, ...] = ("\r\n",)) -> bytes:
    """The CSV bytes, cycling through ``endings`` line by line (mixed line endings)."""
    text = ""
    for i, cells in enumerate([header, *rows]):
        text += line(cells) + endings[i % len(endings)]
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data
