"""``hstc ingest STORE FILE --originator AGENCY``: agency reporting in, by a mapping (issue 14)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.store_commands import opened


def register(sub: Any, parser_class: type[argparse.ArgumentParser],
             store_arg: Any) -> None:
    from hstc_desk.ingest import mapping_names

    p = sub.add_parser("ingest", help="ingest an agency's file (CSV, XLSX) by a mapping; unmarked "
                       "rows are quarantined, never guessed")
    store_arg(p)
    p.add_argument("file", metavar="FILE", help="the file to ingest")
    p.add_argument("--originator", required=True, help="the agency the file comes from (CBP, "
                   "ICE-HSI, GBR-NCA, ...)")
    p.add_argument("--format", choices=["csv", "xlsx"],
                   help="file format (default: xlsx for a .xlsx name, else csv; stix is not "
                   "built yet)")
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default the first)")
    p.add_argument("--mapping", default="encounters-log",
                   help=f"a shipped mapping ({', '.join(mapping_names())}) or a mapping file")
    p.add_argument("--marking", help="the marking of rows whose marking cell is blank "
                   "(without it they are quarantined)")
    p.add_argument("--encoding", help="the file's encoding (default UTF-8, with or without BOM)")
    p.add_argument("--dry-run", action="store_true", help="report what would happen; write "
                   "nothing")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.set_defaults(func=cmd_ingest)


def cmd_ingest(args: argparse.Namespace) -> int:
    from hstc_desk.ingest import IngestError, ingest_file

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no file {args.file}")
    with opened(args, readonly=args.dry_run) as store:
        try:
            report = ingest_file(store, path, originator=args.originator, mapping=args.mapping,
                                 marking=args.marking, encoding=args.encoding,
                                 dry_run=args.dry_run, file_format=args.format,
                                 sheet=args.sheet)
        except IngestError as exc:
            print(f"hstc: error: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(report.as_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    return 0
