"""Mappings are data (``resources/ingest/<name>.json``): which columns make which items.

A mapping names the marking column, the date formats it accepts, value tables for enumerations,
and for each item a row makes: its kind, the key columns that identify it (the same key from the
same originator is the same item, which is what makes a second ingest of a file change nothing),
a title template, its fields and the columns whose text becomes its portions. A field is one of
``{"column": C, "type": T, "table": V, "default": D, "optional": bool}``, ``{"const": X}`` or
``{"refs": [as, ...]}`` (the ids of other items of the same row). Types: text, upper, int,
year (the year of a date), datetime (by the mapping's date formats, taken as UTC when the
format has no offset). A column no mapping reads is listed in the report, never dropped
silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

from hstc_desk.domain import ITEM_CLASSES
from hstc_desk.ingest.errors import IngestError
from hstc_desk.resources import resources_dir

TYPES = ("text", "upper", "int", "year", "datetime")
_WHOLE = re.compile(r"-?[0-9]{1,9}")


class CellError(ValueError):
    """One cell does not fit its field: the column and the reason."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass(frozen=True)
class ItemSpec:
    alias: str
    kind: str
    key: tuple[str, ...]
    title: str
    fields: dict[str, dict[str, Any]]
    portions: tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    name: str
    marking_column: str
    date_formats: tuple[str, ...]
    items: tuple[ItemSpec, ...]
    tables: dict[str, dict[str, Any]]

    def columns(self) -> set[str]:
        """Every column this mapping reads."""
        cols = {self.marking_column}
        for spec in self.items:
            cols.update(spec.key)
            cols.update(spec.portions)
            cols.update(f for _, f, _, _ in Formatter().parse(spec.title) if f)
            cols.update(f["column"] for f in spec.fields.values() if "column" in f)
        return cols

    def missing_columns(self, header: list[str]) -> list[str]:
        """Columns the mapping needs (keys, title, required fields) that the header lacks."""
        need = {self.marking_column}
        for spec in self.items:
            need.update(spec.key)
            need.update(f for _, f, _, _ in Formatter().parse(spec.title) if f)
            need.update(f["column"] for f in spec.fields.values()
                        if "column" in f and not f.get("optional") and "default" not in f)
        return sorted(need - set(header))

    def unmapped(self, header: list[str]) -> list[str]:
        return [h for h in header if h not in self.columns()]

    # -- converting one row -------------------------------------------------------------------

    def fields_of(self, spec: ItemSpec, row: dict[str, str], ids: dict[str, str]) -> dict:
        """The kind-specific fields, title and portion texts of one item from one row."""
        out: dict[str, Any] = {}
        for name, f in spec.fields.items():
            if "const" in f:
                out[name] = f["const"]
            elif "refs" in f:
                out[name] = [ids[a] for a in f["refs"]] if name.endswith("_ids") else \
                    ids[f["refs"][0]]
            else:
                value = self._cell(f, row)
                if value is not None:
                    out[name] = value
        try:
            out["title"] = spec.title.format_map({k: v.strip() for k, v in row.items()})[:300]
        except KeyError as exc:
            raise CellError(str(exc.args[0]), "the title needs this column") from None
        return out

    def _cell(self, f: dict[str, Any], row: dict[str, str]) -> Any:
        column = f["column"]
        raw = row.get(column, "").strip()
        if not raw:
            if "default" in f:
                return f["default"]
            if f.get("optional"):
                return None
            raise CellError(column, "is empty and the mapping requires it")
        if "table" in f:
            table = self.tables[f["table"]]
            if raw.casefold() not in table:
                raise CellError(column, f"{raw[:60]!r} is not in the mapping's table "
                                f"{f['table']!r}")
            return table[raw.casefold()]
        kind = f.get("type", "text")
        if kind == "text":
            return raw
        if kind == "upper":
            return raw.upper()
        if kind == "int":
            if not _WHOLE.fullmatch(raw):  # int() would take "1_990" and other scripts' digits
                raise CellError(column, f"{raw[:60]!r} is not a whole number")
            return int(raw)
        when = self.parse_date(column, raw)
        return when.year if kind == "year" else when

    def parse_date(self, column: str, raw: str) -> datetime:
        when = _parse_date(self.date_formats, raw)
        if when is None:
            raise CellError(column, f"{raw[:60]!r} matches none of the date formats "
                            f"{', '.join(self.date_formats)}")
        return when


@lru_cache(maxsize=65536)
def _parse_date(formats: tuple[str, ...], raw: str) -> datetime | None:
    """The first format that reads ``raw``, in UTC (a file repeats its dates: strptime is slow)."""
    for fmt in formats:
        try:
            when = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return None


def mapping_names() -> list[str]:
    folder = resources_dir() / "ingest"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def load_mapping(name_or_path: str) -> Mapping:
    """A shipped mapping by name, or a mapping file by path; IngestError says what is wrong."""
    path = Path(name_or_path)
    if not path.suffix:
        path = resources_dir() / "ingest" / f"{name_or_path}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IngestError(f"no mapping {name_or_path!r} (shipped: "
                          f"{', '.join(mapping_names()) or 'none'})") from None
    except (OSError, ValueError) as exc:
        raise IngestError(f"mapping {path}: {exc}") from None
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise IngestError(f"mapping {path}: {exc}") from None


def _parse(data: dict[str, Any]) -> Mapping:
    tables = {t: {str(k).casefold(): v for k, v in vals.items()}
              for t, vals in data.get("tables", {}).items()}
    specs: list[ItemSpec] = []
    aliases: set[str] = set()
    for raw in data["items"]:
        kind = raw["kind"]
        if kind not in ITEM_CLASSES:
            raise ValueError(f"unknown item kind {kind!r}")
        fields = dict(raw["fields"])
        for name, f in fields.items():
            if sum(k in f for k in ("column", "const", "refs")) != 1:
                raise ValueError(f"{raw['as']}.{name}: one of column, const or refs")
            if "table" in f and f["table"] not in tables:
                raise ValueError(f"{raw['as']}.{name}: no table {f['table']!r}")
            if f.get("type", "text") not in TYPES:
                raise ValueError(f"{raw['as']}.{name}: unknown type {f['type']!r}")
            if "refs" in f and not set(f["refs"]) <= aliases:
                raise ValueError(f"{raw['as']}.{name}: refers to an item not made before it")
        for _, placeholder, spec_, conv in Formatter().parse(raw["title"]):
            if placeholder is not None and (not placeholder.replace("_", "a").isalnum()
                                            or spec_ or conv):
                raise ValueError(f"{raw['as']}.title: {{{placeholder}}} must name a column, "
                                 "nothing more")
        if not raw["key"]:
            raise ValueError(f"{raw['as']}: needs key columns")
        specs.append(ItemSpec(alias=raw["as"], kind=kind, key=tuple(raw["key"]),
                              title=raw["title"], fields=fields,
                              portions=tuple(raw.get("portions", ()))))
        aliases.add(raw["as"])
    return Mapping(name=data["name"], marking_column=data["marking_column"],
                   date_formats=tuple(data["date_formats"]), items=tuple(specs), tables=tables)
