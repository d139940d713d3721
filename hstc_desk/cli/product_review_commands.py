"""``hstc product history|comments|diff|queue|respond|awaiting``: versions, review comments,
what changed since the last approved version, the review queue, and referral responses."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.product_text import safe, version_number
from hstc_desk.cli.store_commands import opened


def _safe(text: str) -> str:
    return safe(text, one_line=True)


def register(psub: Any, id_cmd: Any, store_arg: Any) -> None:
    id_cmd(psub, "history", "every version: status, author, editors, signer, time", cmd_history)
    id_cmd(psub, "comments", "the review comments of every version, with their portions",
           cmd_comments)
    d = id_cmd(psub, "diff", "what a version changed against the last approved one", cmd_diff)
    d.add_argument("--version", type=version_number)
    q = psub.add_parser("queue", help="products waiting in review, oldest first")
    store_arg(q)
    q.set_defaults(func=cmd_queue)
    r = id_cmd(psub, "respond", "record an addressee's response to an approved referral",
               cmd_respond)
    r.add_argument("--addressee", required=True, metavar="DEST")
    r.add_argument("--response", required=True, choices=["acknowledged", "acted_on",
                                                         "declined"])
    r.add_argument("--note", default="")
    r.add_argument("--on", metavar="YYYY-MM-DD", help="the date of the response (default today)")
    a = psub.add_parser("awaiting", help="approved referrals awaiting a response")
    store_arg(a)
    a.set_defaults(func=cmd_awaiting)
    id_cmd(psub, "responses", "the responses recorded to a referral", cmd_responses)


def cmd_history(args: argparse.Namespace) -> int:
    from hstc_desk.store import product_history as H

    with opened(args, readonly=True) as store:
        rows = H.history(store, args.product_id)
    print("version\tstatus\tauthor\teditors\tsigner\tsigned\tbanner\ttitle")
    for v in rows:
        signed = v.signed_at.isoformat() if v.signed_at else "-"
        signer = (v.signer or "-") + (" (imported)" if v.imported else "")
        print(f"{v.version}\t{v.status}\t{v.author}\t{','.join(v.editors) or '-'}\t{signer}\t"
              f"{signed}\t{v.banner}\t{_safe(v.title)}")
    return 0


def cmd_comments(args: argparse.Namespace) -> int:
    from hstc_desk.store import product_history as H

    with opened(args, readonly=True) as store:
        rows = H.comments(store, args.product_id)
    if not rows:
        print("no comments", file=sys.stderr)
    for c in rows:
        on = c.portion_label or ("the whole product" if c.comment.anchor is None
                                 else "a portion since removed")
        print(f"version {c.version}\t{c.comment.who}\t{c.comment.when.isoformat()}\t{on}\t"
              f"{safe(c.comment.text)}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from hstc_desk.store import product_history as H

    with opened(args, readonly=True) as store:
        d = H.changes_since_approved(store, args.product_id, args.version)
    head = (f"version {d.new_version} against approved version {d.old_version}"
            if d.old_version is not None else f"version {d.new_version}")
    print(head)
    lines = d.summary()
    for line in lines if d.old_version is None or d.changed else ["no changes"]:
        print(_safe(line))
    return 0


def cmd_queue(args: argparse.Namespace) -> int:
    from hstc_desk.store import product_history as H

    with opened(args, readonly=True) as store:
        rows = H.review_queue(store)
    if not rows:
        print("nothing waiting in review", file=sys.stderr)
    for q in rows:
        hours = int(q.age.total_seconds() // 3600)
        print(f"{q.product_id}\tv{q.version}\t{q.product_type}\t{q.author}\t{hours}h\t"
              f"{q.banner}\t{_safe(q.title)}")
    return 0


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--on must be a date YYYY-MM-DD, not {text[:20]!r}") from None


def cmd_respond(args: argparse.Namespace) -> int:
    from hstc_desk.store import product_referrals as R

    with opened(args) as store:
        r = R.record_response(store, args.product_id, args.addressee, args.response,
                              note=args.note, on=_day(args.on))
    print(f"{args.product_id}: {r.addressee} {r.response.replace('_', ' ')} on {r.on}")
    return 0


def cmd_responses(args: argparse.Namespace) -> int:
    from hstc_desk.store import product_referrals as R

    with opened(args, readonly=True) as store:
        rows = R.responses(store, args.product_id)
    if not rows:
        print("no responses", file=sys.stderr)
    for r in rows:
        print(f"{r.addressee}\t{r.response}\t{r.on}\t{r.recorded_by}\t{_safe(r.note)}")
    return 0


def cmd_awaiting(args: argparse.Namespace) -> int:
    from hstc_desk.store import product_referrals as R

    with opened(args, readonly=True) as store:
        rows = R.awaiting_response(store)
    if not rows:
        print("no referral awaits a response", file=sys.stderr)
    for a in rows:
        print(f"{a.product_id}\tv{a.version}\t{' '.join(a.pending)}\t{a.banner}\t"
              f"{_safe(a.title)}")
    return 0
