"""``hstc keys``, ``hstc export``, ``hstc verify``, ``hstc import``: bundles on removable media."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.store_commands import opened
from hstc_desk.exchange.sequence import MAX_JUMP, gaps_text
from hstc_desk.exchange.zipcodec import Limits
from hstc_desk.inputs import read_regular_file
from hstc_desk.outputs import guard_output

if TYPE_CHECKING:
    from hstc_desk.exchange.reader import Verification

MAX_BUNDLE = Limits().max_bundle


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("store", metavar="STORE", help="store folder")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password (default: $HSTC_PASSWORD "
                   "or a prompt)")


def _force_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true",
                   help="replace FILE if it exists (never a store's own file)")


def _jump(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _jump_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-sequence-jump", type=_jump, default=MAX_JUMP, metavar="N",
                   help="report a sequence number more than N past the highest seen from the "
                        f"sender as suspicious (default {MAX_JUMP})")


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("keys", help="this workstation's key and trusted partner keys")
    ksub = p.add_subparsers(dest="keys_command", required=True, parser_class=parser_class)
    k = ksub.add_parser("export", help="write this workstation's public key and fingerprint")
    _store_arg(k)
    k.add_argument("--out", required=True, metavar="FILE")
    _force_arg(k)
    k.set_defaults(func=cmd_keys_export)
    k = ksub.add_parser("trust", help="trust a partner key; the fingerprint must be typed in")
    _store_arg(k)
    k.add_argument("file", metavar="FILE")
    k.add_argument("--fingerprint", required=True, metavar="FP",
                   help="the fingerprint as read aloud by the partner (any grouping)")
    k.set_defaults(func=cmd_keys_trust)
    k = ksub.add_parser("revoke", help="revoke a trusted key")
    _store_arg(k)
    k.add_argument("fingerprint", metavar="FP")
    k.set_defaults(func=cmd_keys_revoke)
    k = ksub.add_parser("list", help="list trusted keys")
    _store_arg(k)
    k.set_defaults(func=cmd_keys_list)

    p = sub.add_parser("export", help="write a signed bundle for a destination")
    _store_arg(p)
    p.add_argument("--to", metavar="DEST", help="destination profile code (a US agency; a "
                   "foreign one needs a release request: hstc disclosure request)")
    p.add_argument("--request", metavar="REL-ID",
                   help="write the bundle of this approved release request (a foreign export)")
    p.add_argument("--out", required=True, metavar="FILE")
    _force_arg(p)
    p.add_argument("--query", help="only items matching this search")
    p.add_argument("--case", metavar="ID", help="only this case and its items")
    p.add_argument("--valid-days", type=int, default=30, help="days until the bundle expires")
    p.add_argument("--show", type=int, default=50, help="left-out items to list (default 50)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify", help="check a bundle against a store; changes nothing")
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--store", required=True, metavar="STORE")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password")
    _jump_arg(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("import", help="verify and merge a bundle")
    _store_arg(p)
    p.add_argument("bundle", metavar="BUNDLE")
    _jump_arg(p)
    p.set_defaults(func=cmd_import)


def cmd_keys_export(args: argparse.Namespace) -> int:
    from hstc_desk.atomic import atomic_write
    from hstc_desk.exchange.keys import fingerprint, grouped, key_file_bytes, raw_public

    out = guard_output(args.out, force=args.force, stores=[args.store])
    with opened(args, readonly=True) as store:
        pub = raw_public(store.workstation_key)
        name = store.meta("workstation_name")
    atomic_write(out, key_file_bytes(name, pub), mode=0o644)
    print(f"wrote the public key of {name} to {args.out}")
    print(f"fingerprint: {grouped(fingerprint(pub))}")
    print("read the fingerprint aloud to the partner; they type it in with `hstc keys trust`")
    return 0


def cmd_keys_trust(args: argparse.Namespace) -> int:
    from hstc_desk.exchange.keys import KEY_FILE_MAX
    from hstc_desk.exchange.trust import trust

    data = read_regular_file(args.file, KEY_FILE_MAX, "key file")
    with opened(args) as store:
        k = trust(store, data, args.fingerprint)
    print(f"trusted {k.name}: {k.grouped}")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from hstc_desk.exchange.trust import revoke

    with opened(args) as store:
        k = revoke(store, args.fingerprint)
    print(f"revoked {k.name}: {k.grouped} (bundles it signed are no longer accepted)")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from hstc_desk.exchange.keys import grouped, raw_public
    from hstc_desk.exchange.trust import list_keys, own_fingerprint

    with opened(args, readonly=True) as store:
        own = own_fingerprint(store)
        name = store.meta("workstation_name")
        assert raw_public(store.workstation_key)
        keys = list_keys(store)
    print(f"this workstation  {name}  {grouped(own)}")
    for k in keys:
        state = f"revoked {k.revoked}" if k.revoked else f"trusted {k.added} by {k.added_by}"
        print(f"{k.name:<16}  {k.grouped}  {state}")
    if not keys:
        print("no trusted partner keys", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from hstc_desk import markings
    from hstc_desk.exchange import disclosure
    from hstc_desk.exchange.plan import Scope
    from hstc_desk.exchange.selection import plan
    from hstc_desk.exchange.writer import export

    if args.valid_days < 1:
        raise UsageError("--valid-days must be at least 1")
    if args.query and args.case:
        raise UsageError("give --query or --case, not both")
    if bool(args.to) == bool(args.request):
        raise UsageError("give --to DEST (a US agency) or --request REL-ID (an approved "
                         "release), one of them")
    if args.request and (args.query or args.case):
        raise UsageError("an approved release request fixes its own scope: no --query or --case")
    try:
        foreign = bool(args.to) and markings.destination(args.to).foreign
    except KeyError as exc:
        from hstc_desk.exchange.errors import ExchangeError

        raise ExchangeError(str(exc).strip("'\"")) from None
    if foreign:
        raise UsageError(f"an export to {args.to} (a foreign destination) is a release request: "
                         f"run `hstc disclosure request STORE --to {args.to}` with the same "
                         "scope, have a disclosure officer approve it, then `hstc export STORE "
                         "--request REL-ID --out FILE`; no bundle written")
    scope = Scope(case_id=args.case, query=args.query)
    out = guard_output(args.out, force=args.force, stores=[args.store])

    def progress(stage: str, n: int, total: int) -> None:
        print(f"  {stage}", file=sys.stderr)

    with opened(args) as store:
        if args.request:
            req = disclosure.get(store, args.request)
            print(f"release request {req.id}, approved by {req.officer}")
            result = disclosure.export_request(store, req.id, out,
                                               validity=timedelta(days=args.valid_days),
                                               progress=progress)
        else:
            p = plan(store, args.to, scope)
            for line in p.lines(limit=args.show):
                print(line)
            result = export(store, p, out, validity=timedelta(days=args.valid_days),
                            progress=progress)
    for line in result.lines():
        print(line)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from hstc_desk.exchange.merge import check_bundle

    data = read_regular_file(args.bundle, MAX_BUNDLE, "bundle")
    with opened(args, readonly=True) as store:
        report = check_bundle(store, data, max_jump=args.max_sequence_jump)
    for line in report.lines():
        print(line)
    if report.error is not None:
        print(f"hstc: error: {report.error}", file=sys.stderr)
        return 1
    print("all checks passed; nothing was changed" + (" (already imported)" if report.replay
                                                       else ""))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from hstc_desk.exchange.errors import BundleError
    from hstc_desk.exchange.merge import import_bundle

    data = read_regular_file(args.bundle, MAX_BUNDLE, "bundle")
    with opened(args) as store:
        try:
            report = import_bundle(store, data, source=Path(args.bundle).name,
                                   max_jump=args.max_sequence_jump)
        except BundleError as exc:
            v = getattr(exc, "report", None)
            for line in v.lines() if v is not None else []:
                print(line)
            print(f"hstc: error: {exc}; nothing was changed (refusal recorded in the audit log)",
                  file=sys.stderr)
            return 1
    for line in report.lines():
        print(line)
    _officer_notes(report.verification)
    return 0


def _officer_notes(v: Verification) -> None:
    if v.gaps:
        print(f"note for the security officer: bundles {gaps_text(v.gaps)} from this sender "
              "have not arrived", file=sys.stderr)
    if v.suspicious:
        print(f"note for the security officer: {v.suspicious}", file=sys.stderr)
