"""The banner of many portion marks, fast: roll-up is idempotent (a mark repeated changes
nothing: highest level, unions, intersections, "any portion", "every classified portion"), so
each distinct mark is parsed once and the distinct marks are rolled up. A product of 10,000
portions carries a few dozen distinct marks. ``tests/test_reports_rollup.py`` holds it equal
to the markings engine's roll-up of the whole list."""

from __future__ import annotations

from collections.abc import Iterable

from hstc_desk.domain.product_portions import parse_mark, rollup_markings
from hstc_desk.markings import Marking

__all__ = ["parse_mark", "rollup_portions"]


def rollup_portions(marks: Iterable[str]) -> Marking:
    """``markings.rollup`` of every mark in ``marks`` (MarkingError on a bad one): the
    product model's own fast roll-up, refusing an empty list."""
    distinct = set(marks)
    if not distinct:
        raise ValueError("no portion marks to roll up")
    return rollup_markings(distinct)
