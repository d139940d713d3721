"""``hstc user add|list|passwd|reset|disable|enable|remove|rekey`` (issue 12, item 1)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from hstc_desk.cli.credentials import UsageError, password, user_name
from hstc_desk.cli.store_commands import opened
from hstc_desk.store import rekey, user_lifecycle
from hstc_desk.store.store import ROLES


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("store", metavar="STORE", help="store folder")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password (default: $HSTC_PASSWORD "
                   "or a prompt)")


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("user", help="manage users")
    usub = p.add_subparsers(dest="user_command", required=True, parser_class=parser_class)

    p = usub.add_parser("add", help="add a user (admin only; the password policy applies)")
    _store_arg(p)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--clearance", help="default: the workstation accreditation")
    p.add_argument("--new-password-file",
                   help="file holding the new user's password (default: $HSTC_NEW_PASSWORD)")
    p.set_defaults(func=cmd_add)

    p = usub.add_parser("list", help="list users: role, clearance, state, key")
    _store_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = usub.add_parser("passwd", help="change your own password (your key slot is rewrapped)")
    _store_arg(p)
    p.add_argument("--new-password-file",
                   help="file holding the new password (default: $HSTC_NEW_PASSWORD or a prompt)")
    p.set_defaults(func=cmd_passwd)

    p = usub.add_parser("reset", help="admin: a one-time password and a new signing key for "
                                      "NAME, to be changed at their first unlock")
    _store_arg(p)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--one-time-password-file",
                   help="file holding the one-time password (default: a random one, printed)")
    p.set_defaults(func=cmd_reset)

    for verb, text in (("disable", "admin: stop NAME logging in, and rekey the store"),
                       ("enable", "admin: let a disabled NAME in again (no rekey)"),
                       ("remove", "admin: remove NAME for good, and rekey the store")):
        p = usub.add_parser(verb, help=text)
        _store_arg(p)
        p.add_argument("name", metavar="NAME")
        if verb != "enable":
            p.add_argument("--yes", action="store_true",
                           help="do not ask (needed where there is no terminal)")
        p.set_defaults(func=cmd_state, verb=verb)

    p = usub.add_parser("rekey", help="admin: a new database key, every slot rewrapped")
    _store_arg(p)
    p.set_defaults(func=cmd_rekey)


def _new_password(args: argparse.Namespace, prompt: str) -> str:
    return password(args.new_password_file, env="HSTC_NEW_PASSWORD", prompt=prompt, confirm=True)


def cmd_add(args: argparse.Namespace) -> int:
    new_pw = _new_password(args, f"Password for {args.name}: ")
    with opened(args) as store:
        user_lifecycle.add_user(store, args.name, new_pw, args.role, clearance=args.clearance)
        info = user_lifecycle.get_user(store, args.name)
    print(f"added user {info.name} ({info.role}, clearance {info.clearance})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        users = user_lifecycle.list_users(store)
        owed = rekey.pending(store.conn)
    if owed:
        print("hstc: a rekey is owed (it was interrupted, or the disk was full); the next "
              "open for changes with room on the disk finishes it", file=sys.stderr)
    if args.json:
        print(json.dumps([{"name": u.name, "role": u.role, "clearance": u.clearance,
                           "state": u.state, "key_fingerprint": u.fingerprint,
                           "slot": u.has_slot, "must_change_password": u.must_change,
                           "created": u.created} for u in users], indent=2))
        return 0
    for u in users:
        note = " (one-time password: must change it)" if u.must_change else ""
        print(f"{u.name}\t{u.role}\t{u.clearance}\t{u.state}\t{u.fingerprint[:16]}{note}")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    user = user_name(args.user)
    old = password(args.password_file, prompt=f"Current password for {user}: ")
    new = _new_password(args, f"New password for {user}: ")
    store = user_lifecycle.change_password_at(Path(args.store), user, old, new, where="cli")
    store.close()
    print(f"password of {user} changed; only your key slot was rewrapped")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    one_time = None
    if args.one_time_password_file:
        one_time = password(args.one_time_password_file)
    with opened(args) as store:
        result = user_lifecycle.reset(store, args.name, one_time)
    print(f"reset {result.name}: old signing key {result.old_fingerprint[:16]} retired (it "
          f"still verifies what it signed), new key {result.new_fingerprint[:16]}")
    if one_time is None:
        print(f"one-time password: {result.one_time_password}")
    print(f"{result.name} must choose a new password at their first unlock")
    return 0


def _confirm(args: argparse.Namespace) -> None:
    if args.verb == "enable" or args.yes:
        return
    what = ("removes them for good" if args.verb == "remove"
            else "stops them logging in until an admin enables them")
    if not sys.stdin.isatty():
        raise UsageError(f"'user {args.verb} {args.name}' {what} and rekeys the store: pass "
                         "--yes to confirm")
    reply = input(f"{args.verb.capitalize()} {args.name}? This {what} and rekeys the store "
                  "(every page rewritten under a new key). Type the name to confirm: ")
    if reply.strip() != args.name:
        raise UsageError("not confirmed; nothing was changed")


def cmd_state(args: argparse.Namespace) -> int:
    _confirm(args)
    with opened(args) as store:
        change = getattr(user_lifecycle, args.verb)(store, args.name)
    done = {"disable": "disabled", "enable": "enabled", "remove": "removed"}[args.verb]
    print(f"{done} user {change.name}")
    if change.rekey is not None:
        _print_rekey(change.rekey)
    return 0


def _print_rekey(result: rekey.RekeyResult) -> None:
    print(f"store rekeyed in {result.seconds:.2f} s: {result.slots} key slots hold the new "
          "database key; the old key slot file and old passwords open nothing written from now")


def cmd_rekey(args: argparse.Namespace) -> int:
    with opened(args) as store:
        result = rekey.rekey(store, "asked by an admin")
    _print_rekey(result)
    return 0
