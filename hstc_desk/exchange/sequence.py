"""A sender's sequence numbers: replays, reused numbers, gaps as ranges, suspicious jumps.

Sequence numbers are kept per sender and destination in ``bundles_seen``. What is missing is
worked out in SQL from the numbers seen, as ranges (``7-999999999998``), so the work and the
memory grow with the number of bundles imported, never with the size of a number a bundle
declares. A jump past the highest number seen by more than a bound is reported to the security
officer as suspicious; the bundle is still merged, because a trusted partner signed it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hstc_desk.exchange.bundle_format import BagInfo
from hstc_desk.exchange.errors import BundleError

if TYPE_CHECKING:
    from hstc_desk.store import Store

MAX_JUMP = 1000
"""The default bound on a jump past the highest number seen (``--max-sequence-jump``)."""
SHOWN = 20
"""Ranges written out in a report line; the rest are counted."""


@dataclass(frozen=True, order=True)
class Gap:
    """Sequence numbers ``first`` to ``last`` (inclusive) that have not arrived."""

    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def to_json(self) -> list[int]:
        return [self.first, self.last]


def gaps_text(gaps: Sequence[Gap], shown: int = SHOWN) -> str:
    """``1-5, 9, 12-40``, the first ``shown`` ranges, then how many more."""
    text = ", ".join(map(str, gaps[:shown]))
    if len(gaps) > shown:
        rest = gaps[shown:]
        text += f" and {len(rest)} more ranges ({sum(g.count for g in rest)} numbers)"
    return text


@dataclass(frozen=True)
class SequenceVerdict:
    """What the sequence check found: a replay, the gaps, a suspicious jump, and a summary."""

    replay: bool
    gaps: tuple[Gap, ...]
    detail: str
    suspicious: str = ""  # a sentence for the security officer, or empty


SequenceCheck = Callable[[BagInfo], SequenceVerdict]
"""Given the bag info, the verdict; raises BundleError on a number reused by another bundle."""

_GAPS = """
WITH s(seq) AS (SELECT sequence FROM bundles_seen WHERE sender_fp = ? AND destination = ?
                UNION SELECT ?)
SELECT prev + 1, seq - 1 FROM (SELECT seq, lag(seq, 1, 0) OVER (ORDER BY seq) AS prev FROM s)
WHERE seq > prev + 1 ORDER BY seq
"""


def sequence_check(store: Store, *, max_jump: int = MAX_JUMP) -> SequenceCheck:
    """The check against the numbers ``store`` has seen from each sender."""
    if max_jump < 1:
        raise ValueError("the bound on a sequence jump must be at least 1")

    def check(info: BagInfo) -> SequenceVerdict:
        conn, key = store.conn, (info.fingerprint, info.destination)
        seen = conn.execute("SELECT imported FROM bundles_seen WHERE bundle_id = ?",
                            (info.bundle_id,)).fetchone()
        if not seen and conn.execute(
                "SELECT 1 FROM bundles_seen WHERE sender_fp = ? AND destination = ? AND "
                "sequence = ? AND bundle_id != ?", (*key, info.sequence,
                                                    info.bundle_id)).fetchone():
            raise BundleError("sequence", f"sequence number {info.sequence} from this sender "
                                          "was already used by another bundle")
        gaps = tuple(Gap(a, b) for a, b in conn.execute(_GAPS, (*key, info.sequence)))
        if seen:
            return SequenceVerdict(True, gaps, f"already imported on {seen[0]}: a replay, "
                                               "nothing to do")
        top = conn.execute("SELECT coalesce(max(sequence), 0) FROM bundles_seen WHERE "
                           "sender_fp = ? AND destination = ?", key).fetchone()[0]
        order = "in order" if info.sequence == top + 1 else "out of order"
        suspicious = ""
        if info.sequence - top > max_jump:
            suspicious = (f"SUSPICIOUS: sequence number {info.sequence} jumps "
                          f"{info.sequence - top} past the highest number seen from this "
                          f"sender ({top}), more than the bound of {max_jump}")
        detail = f"number {info.sequence} ({order})"
        if gaps:
            detail += f"; missing {gaps_text(gaps)}"
        if suspicious:
            detail += f"; {suspicious}"
        return SequenceVerdict(False, gaps, detail, suspicious)

    return check
