"""``hstc disclosure``: two-person foreign disclosure (issue 12 item 2).

    hstc disclosure request STORE --to EUROPOL [--case ID | --query Q]   # the analyst asks
    hstc disclosure list STORE [--status pending|approved|refused|exported]
    hstc disclosure show STORE REL-ID          # exactly what would go, and what is left out
    hstc disclosure approve STORE REL-ID       # a disclosure officer who is not the requester
    hstc disclosure refuse STORE REL-ID --reason "..."
    hstc disclosure authorize STORE --kind orcon_release|leads_only_lift --originator O \\
        (--item ID | --case ID) --to DEST --purpose P --granted-on YYYY-MM-DD --reference REF
    hstc disclosure authorizations STORE [--to DEST]

Once approved, ``hstc export STORE --request REL-ID --out FILE`` writes the bundle.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.store_commands import opened
from hstc_desk.exchange import authorizations, disclosure
from hstc_desk.exchange.plan import Plan, Scope


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def register(sub: Any, parser_class: type[argparse.ArgumentParser], store_arg: Any) -> None:
    p = sub.add_parser("disclosure", help="foreign releases: requests, officer approval, "
                                          "originator authorizations")
    dsub = p.add_subparsers(dest="disclosure_command", required=True, parser_class=parser_class)
    r = dsub.add_parser("request", help="ask for a release to a foreign destination")
    store_arg(r)
    r.add_argument("--to", required=True, metavar="DEST")
    r.add_argument("--case", metavar="ID")
    r.add_argument("--query")
    r.add_argument("--show", type=int, default=50, help="left-out items to list")
    r.set_defaults(func=cmd_request)
    ls = dsub.add_parser("list", help="release requests, oldest first")
    store_arg(ls)
    ls.add_argument("--status", choices=disclosure.STATUSES)
    ls.set_defaults(func=cmd_list)
    for name, func, text in (("show", cmd_show, "what a request would release, item by item"),
                             ("approve", cmd_approve, "approve a request (disclosure officer)"),
                             ("refuse", cmd_refuse, "refuse a request with a reason")):
        c = dsub.add_parser(name, help=text)
        store_arg(c)
        c.add_argument("request", metavar="REL-ID")
        if name == "refuse":
            c.add_argument("--reason", required=True)
        if name == "show":
            c.add_argument("--show", type=int, default=200, help="items to list")
        c.set_defaults(func=func)
    a = dsub.add_parser("authorize", help="record an originator's authorization (officer)")
    store_arg(a)
    a.add_argument("--kind", required=True, choices=authorizations.KINDS)
    a.add_argument("--originator", required=True)
    a.add_argument("--item", metavar="ID")
    a.add_argument("--case", metavar="ID")
    a.add_argument("--to", required=True, metavar="DEST")
    a.add_argument("--purpose", required=True)
    a.add_argument("--granted-on", required=True, type=_day, metavar="YYYY-MM-DD")
    a.add_argument("--reference", required=True)
    a.set_defaults(func=cmd_authorize)
    al = dsub.add_parser("authorizations", help="list originator authorizations")
    store_arg(al)
    al.add_argument("--to", metavar="DEST")
    al.set_defaults(func=cmd_authorizations)


def cmd_request(args: argparse.Namespace) -> int:
    if args.query and args.case:
        raise UsageError("give --query or --case, not both")
    with opened(args) as store:
        req, p = disclosure.prepare(store, args.to, Scope(case_id=args.case, query=args.query))
    for line in p.lines(limit=args.show):
        print(line)
    print(f"release request {req.id} made: a disclosure officer other than you must approve it "
          f"(hstc disclosure approve STORE {req.id}); no bundle written yet")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        rows = disclosure.list_requests(store, args.status)
    for r in rows:
        print(f"{r.id}  {r.status:<8}  {r.destination:<9} {r.requester:<12} "
              f"{r.items:>6} items  {r.created.isoformat()}  {r.banner}")
    print(f"{len(rows)} release requests")
    return 0


def _items(p: Plan, limit: int) -> list[str]:
    from hstc_desk.domain import parse_item

    out = []
    for body in p.items[:limit]:
        item = parse_item(body)
        out.append(f"  goes  {item.id}  {item.marking}  {item.title}")
    if len(p.items) > limit:
        out.append(f"  ... and {len(p.items) - limit} more items")
    return out


def cmd_show(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        req, p, same = disclosure.review(store, args.request)
    for line in req.lines():
        print(line)
    print("unchanged: the items below are exactly those the requester saw" if same else
          "CHANGED: the items below are not those the requester saw (an item changed since, or "
          "some are above your clearance); it cannot be approved")
    for line in p.lines(limit=args.show)[1:]:
        print(line)
    for line in _items(p, args.show):
        print(line)
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    with opened(args) as store:
        req = disclosure.approve(store, args.request)
    print(f"release request {req.id} approved by {req.officer}: {req.requester} may now write "
          f"its bundle (hstc export STORE --request {req.id} --out FILE)")
    return 0


def cmd_refuse(args: argparse.Namespace) -> int:
    with opened(args) as store:
        req = disclosure.refuse(store, args.request, args.reason)
    print(f"release request {req.id} refused by {req.officer}: {req.reason}")
    return 0


def cmd_authorize(args: argparse.Namespace) -> int:
    with opened(args) as store:
        auth = authorizations.authorize(
            store, kind=args.kind, originator=args.originator, destination=args.to,
            purpose=args.purpose, granted_on=args.granted_on, reference=args.reference,
            item_id=args.item, case_id=args.case)
    print(f"{auth.id}: {auth.kind} of {auth.item_id or 'case ' + str(auth.case_id)} to "
          f"{auth.destination} for {auth.purpose}, by {auth.originator} ({auth.reference}), "
          f"recorded by {auth.officer}")
    return 0


def cmd_authorizations(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        rows = authorizations.authorizations(store, args.to)
    for a in rows:
        print(f"{a.id}  {a.kind:<16} {a.item_id or 'case ' + str(a.case_id)}  to "
              f"{a.destination}  for {a.purpose}  by {a.originator}  ({a.reference}, "
              f"{a.granted_on}; recorded by {a.officer})")
    print(f"{len(rows)} originator authorizations")
    return 0
