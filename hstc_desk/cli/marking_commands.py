"""``hstc marking``: roll-up and validation, no store needed."""

from __future__ import annotations

import argparse
import sys

from hstc_desk import markings


def cmd_rollup(args: argparse.Namespace) -> int:
    parsed = [markings.parse(p) for p in args.portions]
    banner = markings.rollup(parsed)
    print(banner.banner())
    if args.portion_form:
        print(banner.portion())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        m = markings.parse(args.marking)
    except markings.MarkingError as exc:
        print(f"hstc: invalid marking: {exc}", file=sys.stderr)
        return 1
    print(f"valid: {m.portion()}  {m.banner()}")
    return 0
