"""``hstc`` commands that work on a store."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3

from hstc_desk.cli.credentials import UsageError, password, user_name
from hstc_desk.store import PermissionDenied, Store, disk, failed_unlocks


def _out(obj: object) -> None:
    print(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False))


@contextmanager
def opened(args: argparse.Namespace, *, readonly: bool = False) -> Iterator[Store]:
    """The store of ``args``, unlocked; ``readonly`` for commands that only read (they then
    work on a full disk and on read-only media too, and write nothing)."""
    store = Store.open(Path(args.store), user_name(args.user), password(args.password_file),
                       where="cli", readonly=readonly)
    if store.failed_unlocks:
        print(f"hstc: {failed_unlocks.message(store.failed_unlocks)}", file=sys.stderr)
    try:
        yield store
    except (OSError, sqlcipher3.Error) as exc:
        if disk.is_disk_full(exc, store.path):
            raise disk.full_error(store.path) from None
        raise
    finally:
        store.close()


def cmd_init(args: argparse.Namespace) -> int:
    user = user_name(args.user)
    pw = password(args.password_file, prompt=f"New password for {user}: ", confirm=True)
    with Store.create(Path(args.store), user, pw, role=args.role,
                      accreditation=args.accreditation) as store:
        print(f"created store {args.store} (id {store.store_id}), accreditation "
              f"{store.meta('accreditation')}, first user {user} ({args.role})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from hstc_desk.demo import DEMO_ACCREDITATION, DEMO_USERS, generate

    if args.items < 0:
        raise UsageError("--items must not be negative")
    path = Path(args.store)
    admin, role, admin_pw = next(u for u in DEMO_USERS if u[1] == "admin")
    start = time.perf_counter()
    with Store.create(path, admin, admin_pw, role=role,
                      accreditation=DEMO_ACCREDITATION) as store:
        for name, r, pw in DEMO_USERS:
            if name != admin:
                store.add_user(name, pw, r)
        written = 0
        for n in store.insert_items_progress(generate(args.items, args.seed), action="demo.load"):
            written = n
            if not args.quiet:  # one whole line each: logs and pipes read them apart
                print(f"{written} items and links written", file=sys.stderr, flush=True)
        store.optimize()
        items = store.count("items")
    from hstc_desk.demo.products import add_demo_products  # issue 11: every type, every state
    products = len(add_demo_products(path, args.seed))
    print(f"demo store {path}: {items} items, {products} products (seed {args.seed}) in "
          f"{time.perf_counter() - start:.1f} s; accreditation {DEMO_ACCREDITATION}")
    print("users:")
    for name, r, pw in DEMO_USERS:
        print(f"  {name:<12} {r:<11} password: {pw}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with opened(args, readonly=True) as store:
        hits = store.search(args.query, limit=args.limit)
    if args.json:
        _out([{"id": h.id, "kind": h.kind, "title": h.title, "marking": h.marking,
               "date": h.day, "originator": h.originator, "case": h.case_id,
               "rank": h.rank} for h in hits])
    else:
        for h in hits:
            print(f"{h.marking:<28} {h.id}  {h.kind:<12} {h.day}  {h.title}")
        if not hits:
            print("no matches", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        item = store.get_item(args.item_id)
        links = store.links_of(item.id)
    if args.json:
        doc = json.loads(item.model_dump_json())
        doc["links"] = [json.loads(link.model_dump_json()) for link in links]
        _out(doc)
        return 0
    from hstc_desk.markings import parse, rollup

    # The page banner covers everything printed on it: the item and the links shown with it.
    banner = rollup(parse(m) for m in [item.marking, *(link.marking for link in links)]).banner()
    print(banner)
    print(f"{item.marking} {item.title}")
    print(f"  {item.id}  {item.kind}  v{item.version}  originator {item.originator}  "
          f"updated {item.updated.isoformat()}")
    if item.use_restriction != "none":
        print("  USE RESTRICTION: for investigative leads only; not for use in affidavits, "
              "subpoenas, grand jury or court proceedings without originator authorization")
    for field, value in item.model_dump(exclude={"id", "kind", "title", "marking", "portions",
                                                 "originator", "use_restriction", "version",
                                                 "created", "updated"}).items():
        if value not in (None, [], ""):
            print(f"  {field}: {value}")
    for p in item.portions:
        print(f"{p.marking} {p.text}")
    for link in links:
        other = link.dst if link.src == item.id else link.src
        print(f"  {link.marking} {link.link_type} -> {other}")
    print(banner)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        stats = store.stats()
    if args.json:
        _out(stats)
        return 0
    print(stats["banner"])
    print(f"items {stats['items']}, links {stats['links']}")
    for kind, n in sorted(stats["by_kind"].items()):
        print(f"  {kind:<14} {n}")
    print("by marking:")
    for marking, n in stats["by_marking"].items():
        print(f"  {marking:<30} {n}")
    print(f"content digest {stats['content_digest']}")
    print(f"audit head     {stats['audit_head']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        problems = store.integrity_problems()
        trust = store.verify_audit()  # issue 12: signed chain, certificates, anchors
    if not trust.ok:
        problems += [f"trust: {line.strip().removeprefix('also: ')}"
                     for line in trust.message().splitlines()]
    if problems:
        for p in problems[:20]:
            print(f"hstc: {p}", file=sys.stderr)
        print(f"hstc: error: the store failed its integrity check ({len(problems)} problems)",
              file=sys.stderr)
        return 1
    print("store intact: every page authenticated, structure ok; audit chain signed, "
          "certificates and anchors hold")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with opened(args, readonly=True) as store:
        verdict = store.verify_audit()
    if verdict.ok:
        print(verdict.message())
        return 0
    print(f"hstc: error: {verdict.message()}", file=sys.stderr)
    return 1


def cmd_audit_log(args: argparse.Namespace) -> int:
    from hstc_desk.store import audit

    with opened(args, readonly=True) as store:
        # Records name items by id, the hidden ones too: for those cleared to see everything.
        if not store.sees_all:
            raise PermissionDenied("the audit log names every item; it needs a clearance of "
                                   f"the full accreditation ({store.meta('accreditation')})")
        for rec in audit.records(store.conn, limit=args.limit, newest_first=True):
            print(f"{rec.seq:>7} {rec.at} {rec.actor:<12} {rec.action:<16} {rec.target}")
    return 0
