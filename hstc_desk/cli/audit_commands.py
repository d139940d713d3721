"""``hstc audit export`` and ``hstc audit verify --against`` (issue 12, item 3)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from hstc_desk.cli.store_commands import opened


def register(asub: argparse._SubParsersAction, store_arg: Callable[[argparse.ArgumentParser],
                                                                      None]) -> None:
    """Add ``export`` to the audit commands and ``--against FILE`` to ``audit verify``."""
    verify = asub.choices["verify"]
    verify.add_argument("--against", metavar="FILE",
                        help="an extract written by `hstc audit export`: prove the chain still "
                             "holds it unchanged (no truncation, no rewrite)")
    verify.set_defaults(func=cmd_verify)
    p = asub.add_parser("export", help="write a signed extract of the chain for the security "
                                       "officer's media")
    store_arg(p)
    p.add_argument("--out", metavar="FILE", required=True, help="where to write the extract")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=cmd_export)
    p = asub.add_parser("certify", help="admin, once, on a store made before user certificates: "
                                        "certify its users as they stand")
    store_arg(p)
    p.set_defaults(func=cmd_certify)


def cmd_certify(args: argparse.Namespace) -> int:
    from hstc_desk.store import certificates

    with opened(args) as store:
        certs = certificates.bootstrap(store)
    for c in certs:
        print(f"certificate {c.serial}: {c.subject} ({c.role}, {c.state}), key "
              f"{c.fingerprint[:16]}..., issued by {c.issuer}")
    print("records written before now stay unsigned; take an audit extract now "
          "(hstc audit export) and keep it off the workstation")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from hstc_desk.outputs import guard_output
    from hstc_desk.store import audit_extract

    out = guard_output(args.out, force=args.force, stores=[args.store])
    with opened(args) as store:
        verdict = store.verify_audit()
        if not verdict.ok:
            print(f"hstc: error: {verdict.message()}", file=sys.stderr)
            print("hstc: error: no extract written: the chain does not verify", file=sys.stderr)
            return 1
        ext = audit_extract.export(store, out)
    print(f"wrote {ext.path}: {ext.records} signed records to head {ext.head}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from hstc_desk.inputs import read_regular_file
    from hstc_desk.store import audit_extract

    data = (read_regular_file(args.against, audit_extract.MAX_BYTES, "audit extract")
            if args.against else None)
    with opened(args, readonly=True) as store:
        verdict = store.verify_audit()
        against = ([] if data is None else
                   audit_extract.verify_against(store.conn, store.store_id, data))
    problems = ([] if verdict.ok else [verdict.message()]) + [f"against {args.against}: {p}"
                                                               for p in against]
    if problems:
        for p in problems:
            print(f"hstc: error: {p}", file=sys.stderr)
        return 1
    print(verdict.message())
    if data is not None:
        print(f"the chain holds the extract {args.against} unchanged "
              f"(records 1 to {audit_extract.parse(data)['head'].partition(':')[0]})")
    return 0
