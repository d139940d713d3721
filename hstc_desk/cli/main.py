"""Argument parsing and error handling for ``hstc``: errors to stderr, exit 1 (2 for usage)."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from hstc_desk.cli import (
    audit_commands,
    disclosure_commands,
    exchange_commands,
    figure_commands,
    ingest_commands,
    marking_commands,
    policy_commands,
    product_commands,
    release_commands,
    report_commands,
    store_commands,
    user_commands,
)
from hstc_desk.cli.credentials import UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n{self.format_usage().strip()}")


def limit(text: str) -> int:
    """A page size: a whole number from 1 to 100,000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"must be from 1 to 100000, not {value}")
    return value


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("store", metavar="STORE", help="store folder")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password (default: $HSTC_PASSWORD "
                   "or a prompt)")


class _VersionAction(argparse.Action):
    """``hstc --version``: the version, build id and the engines it runs on (build_info)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or "print the version, build id and engine versions")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from hstc_desk.build_info import version_text

        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hstc", description="HSTC Desk, headless.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("init", help="create a store with its first user")
    _store_arg(p)
    p.add_argument("--role", default="admin",
                   choices=["analyst", "supervisor", "admin", "disclosure_officer"])
    p.add_argument("--accreditation", default="TS//HCS/SI/TK",
                   help="workstation system high, e.g. 'TS//HCS/SI/TK' or 'S'")
    p.set_defaults(func=store_commands.cmd_init)

    user_commands.register(sub, _Parser)  # add, list, passwd, reset, disable, remove, ...

    p = sub.add_parser("demo", help="build a demo store of synthetic data")
    p.add_argument("store", metavar="STORE")
    p.add_argument("--items", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=store_commands.cmd_demo)

    p = sub.add_parser("search", help="full-text search")
    _store_arg(p)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=limit, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=store_commands.cmd_search)

    p = sub.add_parser("show", help="show one item")
    _store_arg(p)
    p.add_argument("item_id", metavar="ITEM_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=store_commands.cmd_show)

    p = sub.add_parser("stats", help="counts, content digest, audit head")
    _store_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=store_commands.cmd_stats)

    p = sub.add_parser("check", help="check every page of the store (MACs and structure)")
    _store_arg(p)
    p.set_defaults(func=store_commands.cmd_check)

    p = sub.add_parser("audit", help="the audit chain")
    asub = p.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    p = asub.add_parser("verify", help="recompute the chain; name the first bad record")
    _store_arg(p)
    p.set_defaults(func=store_commands.cmd_audit_verify)
    p = asub.add_parser("log", help="print the newest audit records")
    _store_arg(p)
    p.add_argument("--limit", type=limit, default=20)
    p.set_defaults(func=store_commands.cmd_audit_log)
    audit_commands.register(asub, _store_arg)  # export; verify --against (issue 12)

    p = sub.add_parser("marking", help="marking tools")
    msub = p.add_subparsers(dest="marking_command", required=True, parser_class=_Parser)
    p = msub.add_parser("rollup", help="print the banner of some portion marks")
    p.add_argument("portions", metavar="PORTION", nargs="+")
    p.add_argument("--portion-form", action="store_true", help="print the portion form too")
    p.set_defaults(func=marking_commands.cmd_rollup)
    p = msub.add_parser("check", help="exit 0 if valid, 1 with the reason")
    p.add_argument("marking", metavar="MARKING")
    p.set_defaults(func=marking_commands.cmd_check)

    exchange_commands.register(sub, _Parser)  # keys, export, verify, import
    product_commands.register(sub, _Parser)  # new, list, show, submit, approve, verify
    policy_commands.register(sub, _Parser)  # show, set (admin)
    figure_commands.register(sub, _Parser)  # a marked PNG or SVG of a movement view
    report_commands.register(sub, _Parser)  # a product as a marked PDF; report verify
    release_commands.register(sub, _Parser)  # keygen, sign, verify a release folder
    disclosure_commands.register(sub, _Parser, _store_arg)  # foreign releases, two people
    ingest_commands.register(sub, _Parser, _store_arg)  # agency files in (issue 14)

    p = sub.add_parser("bench", help="measure against raw baselines in the same run")
    p.add_argument("--items", type=int, default=200000)
    p.add_argument("--json", action="store_true")
    p.add_argument("--dir", help="work folder (default: a temp folder, removed after)")
    p.add_argument("--sections", default="store",
                   help="comma-separated sections to run (default: store)")
    p.set_defaults(func=_bench)
    return parser


def _bench(args: argparse.Namespace) -> int:
    from hstc_desk.bench import run_cli

    return run_cli(args)


def _printable_streams() -> None:
    """A path whose bytes are not UTF-8 is printed escaped, never a codec error."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _printable_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"hstc: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hstc: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # argparse --help / --version
        return int(exc.code or 0)
    except BrokenPipeError:
        return 1
    except Exception as exc:
        from hstc_desk.cli.errors import describe

        print(f"hstc: error: {describe(exc)}", file=sys.stderr)
        if os.environ.get("HSTC_DEBUG"):
            traceback.print_exc()
        return 1

