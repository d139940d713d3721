"""The "Declassify On" line of a product's authority block (DESIGN §5).

Accepted: a calendar date written YYYYMMDD; a 25-year exemption followed by its date
("25X1, 20761231"); an exemption that stands alone ("50X1-HUM"); or a declassification event in
one of the registry's wordings. The exemption codes and event wordings are data, in the
``declassification`` section of resources/markings.json, so a deployment can replace them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Final

from hstc_desk.resources import load_json

_DATE: Final = re.compile(r"[0-9]{8}")
_WITH_DATE: Final = re.compile(r"(?P<code>[0-9A-Z-]{2,16}), (?P<date>[0-9]{8})")


@dataclass(frozen=True)
class DeclassForms:
    with_date: tuple[str, ...]
    alone: tuple[str, ...]
    events: tuple[str, ...]


@cache
def forms() -> DeclassForms:
    raw = load_json("markings.json").get("declassification", {})
    return DeclassForms(tuple(raw.get("exemptions_with_date", ())),
                        tuple(raw.get("exemptions_alone", ())), tuple(raw.get("events", ())))


def _is_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        return False
    return True


def check_declassify_on(value: str) -> str:
    """``value`` if it is a date, an exemption form or a registered event; else ValueError."""
    f = forms()
    if _is_date(value) or value in f.alone or value in f.events:
        return value
    m = _WITH_DATE.fullmatch(value)
    if m and m["code"] in f.with_date:
        if not _is_date(m["date"]):
            raise ValueError(f"{m['date']!r} is not a calendar date (YYYYMMDD)")
        return value
    if value in f.with_date:
        raise ValueError(f"the exemption {value} needs its date, as in \"{value}, 20761231\"")
    options = [*(f"{c}, YYYYMMDD" for c in f.with_date[:1]), *f.alone,
               *(f'"{e}"' for e in f.events)]
    raise ValueError(f"{value[:40]!r} is not a date (YYYYMMDD), an exemption or a registered "
                     f"event (such as {'; '.join(options)})")
