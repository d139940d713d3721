"""``hstc policy show|set``: the workstation's security policy, kept in the store (issue 9)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.store_commands import opened
from hstc_desk.store import policy


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("store", metavar="STORE", help="store folder")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password (default: $HSTC_PASSWORD "
                   "or a prompt)")


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("policy", help="the workstation's security policy (set by an admin)")
    psub = p.add_subparsers(dest="policy_command", required=True, parser_class=parser_class)
    p = psub.add_parser("show", help="print the limits in force")
    _store_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
    p = psub.add_parser("set", help="change limits (admin only; audited)")
    _store_arg(p)
    lim = policy.LIMITS["idle_lock_max_minutes"]
    p.add_argument("--idle-lock-max", type=_whole, metavar="MINUTES",
                   help=f"longest idle time before the lock, {lim.low}-{lim.high} minutes")
    lim = policy.LIMITS["clipboard_clear_max_seconds"]
    p.add_argument("--clipboard-clear", type=_whole, metavar="SECONDS",
                   help=f"longest time copied text stays on the clipboard, "
                        f"{lim.low}-{lim.high} seconds")
    lim = policy.LIMITS["password_min_length"]
    p.add_argument("--password-min-length", type=_whole, metavar="CHARACTERS",
                   help=f"shortest password a user may choose, {lim.low}-{lim.high} characters "
                        "(applies to every new password: user add, passwd, reset)")
    p.set_defaults(func=cmd_set)


def _print(current: policy.Policy) -> None:
    for name, value in asdict(current).items():
        limit = policy.LIMITS[name]
        print(f"{name:<28} {value} {limit.unit}")


def cmd_show(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        current = policy.load(store)
    if args.json:
        print(json.dumps(asdict(current), indent=2, sort_keys=True))
    else:
        _print(current)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    changes = {name: value for name, value in (
        ("idle_lock_max_minutes", args.idle_lock_max),
        ("clipboard_clear_max_seconds", args.clipboard_clear),
        ("password_min_length", args.password_min_length)) if value is not None}
    if not changes:
        raise UsageError("nothing to set: pass --idle-lock-max, --clipboard-clear and/or "
                         "--password-min-length")
    flags = {"idle_lock_max_minutes": "--idle-lock-max",
             "clipboard_clear_max_seconds": "--clipboard-clear",
             "password_min_length": "--password-min-length"}
    for name, value in changes.items():
        limit = policy.LIMITS[name]
        if not limit.low <= value <= limit.high:
            flag = flags[name]
            raise UsageError(f"{flag} must be from {limit.low} to {limit.high} {limit.unit}, "
                             f"not {value}")
    with opened(args) as store:
        before = policy.load(store)
        after = policy.update(store, **changes)
    if after == before:
        print("policy unchanged")
    _print(after)
    return 0
