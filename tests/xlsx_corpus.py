"""Minimal XLSX workbooks for the ingest tests, written by hand with zipfile (deterministic:
fixed member order and times; no files are checked in)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

_EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True)
class Formula:
    """A formula cell with the value the spreadsheet cached for it."""

    formula: str
    cached: str | float


Cell = str | int | float | date | datetime | Formula | None

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
       'schemas.openxmlformats.org/officeDocument/2006/relationships"')
_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
# xf 1 is a date (built-in format 14), xf 2 a date-time (22).
_STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<styleSheet {_NS}><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
           '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
           '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
           '<xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>')


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _serial(value: date | datetime) -> str:
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return repr((value - _EPOCH).total_seconds() / 86400)


def _cell(ref: str, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        if isinstance(value.cached, str):
            return (f'<c r="{ref}" t="str"><f>{escape(value.formula)}</f>'
                    f'<v>{escape(value.cached)}</v></c>')
        return f'<c r="{ref}"><f>{escape(value.formula)}</f><v>{value.cached!r}</v></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="2"><v>{_serial(value)}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{_serial(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return (f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t>'
            '</is></c>')


def _sheet(rows: list[list[Cell]]) -> str:
    body = "".join(
        f'<row r="{n}">' + "".join(_cell(f"{_col(i)}{n}", v) for i, v in enumerate(row))
        + "</row>" for n, row in enumerate(rows, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>'
            f"<sheetData>{body}</sheetData></worksheet>")


def workbook(sheets: dict[str, list[list[Cell]]]) -> bytes:
    """The bytes of an XLSX package holding these sheets, in order."""
    names = list(sheets)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(names) + 1))),
        "_rels/.rels": _RELS,
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {_NS}><sheets>'
            + "".join(f'<sheet name="{escape(s)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, s in enumerate(names, start=1)) + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="'
            'http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_REL}worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}styles" '
              'Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
        **{f"xl/worksheets/sheet{n}.xml": _sheet(sheets[s])
           for n, s in enumerate(names, start=1)},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return out.getvalue()
