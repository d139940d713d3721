"""What an export would carry: select by scope, filter by releasability, say why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hstc_desk import markings
from hstc_desk.bulk import collector_paused
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange import product_payload
from hstc_desk.exchange.authorizations import Releases, authorizations_for
from hstc_desk.exchange.errors import ExchangeError, ExportCancelled
from hstc_desk.exchange.plan import Excluded, Plan, Scope, _category, _decide
from hstc_desk.store import Store
from hstc_desk.store.rows import parse_marking
from hstc_desk.store.search import SearchCursor

CHUNK = 2000
MAX_QUERY_HITS = 100_000
LEADS_ONLY = '"use_restriction":"leads_only"'
UNRESOLVED = "unresolved conflict"


def _unresolved(dest: markings.Destination, version: int) -> str:
    return (f"{UNRESOLVED}: two edits of version {version} wait for an analyst to resolve "
            f"them; nothing conflicting goes to foreign destination {dest.code}")


def _too_large(size: int) -> str:
    return (f"too large to travel: its bundle line is {size:,} bytes, over the "
            f"{bf.MAX_RECORD_LINE:,} a reader accepts")


_UNSEEN: Any = object()


def _verdict(cl: markings.Clearance, marking: str, leads_only: bool,
             dest: markings.Destination) -> markings.Decision | None:
    """None when the user's own clearance does not show the record; else the decision."""
    if not markings.dominates(cl, parse_marking(marking)):
        return None
    return _decide(marking, leads_only, dest)


def _authorized(p: Plan, marking: str, restricted: bool, releases: Releases, item_id: str,
                case_id: str | None, originator: str, refused: markings.Decision
                ) -> markings.Decision:
    """The decision again under the originator authorizations recorded for this item (or its
    case) and destination: an ORCON release, a lift of leads-only. Without one, ``refused``.
    An item that goes by one is named in the plan (and so in the officer's approval)."""
    orcon = releases.orcon(item_id, case_id, originator)
    lifted = releases.lifted(item_id, case_id, originator)
    if not (orcon or lifted):
        return refused
    m = parse_marking(marking)
    d = markings.releasable(m, p.destination, originator_release=orcon,
                            use_restricted=restricted and not lifted)
    if d.ok:
        if orcon and "ORCON" in m.dissem:
            p.orcon_released.add(item_id)
        if lifted and restricted:
            p.leads_only_lifted.add(item_id)
    return d


def _query_ids(store: Store, text: str) -> set[str]:
    ids: set[str] = set()
    after: SearchCursor | None = None
    while len(ids) < MAX_QUERY_HITS:
        hits = store.search(text, limit=500, after=after)
        ids.update(h.id for h in hits)
        if len(hits) < 500:
            break
        after = SearchCursor(hits[-1].rank, hits[-1].rid)
    return ids


@collector_paused()
def plan(store: Store, dest_code: str, scope: Scope | None = None, *,
         cancel: Callable[[], bool] | None = None,
         progress: Callable[[str, int], None] | None = None) -> Plan:
    """Select and filter, changing nothing. Items the user cannot see are only counted."""
    try:
        dest = markings.destination(dest_code)
    except KeyError as exc:
        raise ExchangeError(str(exc).strip("'\"")) from None
    scope = scope or Scope()
    p = Plan(dest, scope)
    wanted: set[str] | None = None
    if scope.query:
        wanted = _query_ids(store, scope.query)
    elif scope.ids is not None:
        wanted = set(scope.ids)
    where, args = ("(case_id = ? OR id = ?)", [scope.case_id] * 2) if scope.case_id else ("1", [])
    cl = store.clearance
    releases = authorizations_for(store, dest.code)
    decisions: dict[tuple[str, int], markings.Decision | None] = {}
    chosen: set[str] = set()
    last = 0
    while True:
        rows = store.conn.execute(
            f"SELECT rid, id, kind, title, marking, restricted, CAST(body AS BLOB), conflict, "
            f"version, case_id, originator FROM items WHERE rid > ? AND {where} "
            f"ORDER BY rid LIMIT {CHUNK}",
            (last, *args)).fetchall()
        if not rows:
            break
        if cancel and cancel():
            raise ExportCancelled()
        for (rid, item_id, kind, title, marking, restricted, body, conflict, version,
             case_id, originator) in rows:
            last = rid
            if wanted is not None and item_id not in wanted:
                continue
            key = (marking, restricted)
            d = decisions.get(key, _UNSEEN)
            if d is _UNSEEN:
                d = decisions[key] = _verdict(cl, marking, bool(restricted), dest)
            if d is None:
                p.hidden += 1
                continue
            if len(body) > bf.MAX_RECORD_LINE:
                p.excluded.append(Excluded(item_id, kind, title, marking, "too large",
                                           _too_large(len(body))))
                continue
            if conflict and dest.foreign:
                # Every body of a conflict stands under their roll-up, but until an analyst
                # picks one, none of them goes abroad (issue 8: the spill).
                p.excluded.append(Excluded(item_id, kind, title, marking, UNRESOLVED,
                                           _unresolved(dest, version)))
                continue
            if not d.ok and releases:
                d = _authorized(p, marking, bool(restricted), releases, item_id, case_id,
                                originator, d)
            if d.ok:
                p.items.append(body)
                p.markings.add(marking)
                p.kinds[kind] += 1
                chosen.add(item_id)
            else:
                p.excluded.append(Excluded(item_id, kind, title, marking, _category(d.reason),
                                           d.reason))
        if progress:
            progress("selecting items", len(p.items))
    _conflicts(store, p, chosen, decisions)
    _links(store, p, chosen, decisions, cancel)
    product_payload.select(store, p, chosen)
    return p


def _conflicts(store: Store, p: Plan, chosen: set[str], decisions: dict) -> None:
    """Alternatives kept for the analyst travel with their item, each filtered on its own."""
    rows = store.conn.execute(
        "SELECT c.id, c.marking, c.body FROM conflicts c JOIN items i ON i.id = c.id "
        "WHERE c.record = 'item' AND c.version = i.version ORDER BY c.id, c.sha256")
    for item_id, marking, body in rows:
        if item_id not in chosen:
            continue
        if not markings.dominates(store.clearance, parse_marking(marking)):
            p.hidden += 1
            continue
        if len(body.encode()) > bf.MAX_RECORD_LINE:
            p.excluded.append(Excluded(item_id, "conflicting version", item_id, marking,
                                       "too large", _too_large(len(body.encode()))))
            continue
        d = _decide(marking, LEADS_ONLY in body, p.destination)
        if d.ok:
            p.items.append(body.encode())
            p.markings.add(marking)
        else:
            p.excluded.append(Excluded(item_id, "conflicting version", item_id, marking,
                                       _category(d.reason), d.reason))


def _links(store: Store, p: Plan, chosen: set[str], decisions: dict,
           cancel: Callable[[], bool] | None) -> None:
    last = 0
    included: set[str] = set()
    verdicts: dict[tuple[str, bool], markings.Decision | None] = {}
    cl, dest = store.clearance, p.destination
    conflicted: dict[str, int] = dict(store.conn.execute(
        "SELECT DISTINCT c.id, l.version FROM conflicts c JOIN links l ON l.id = c.id "
        "WHERE c.record = 'link' AND c.version = l.version")) if dest.foreign else {}
    while True:
        rows = store.conn.execute(
            f"SELECT rid, id, src, dst, link_type, marking, instr(body, ?) > 0, "
            f"CAST(body AS BLOB) FROM links WHERE rid > ? ORDER BY rid LIMIT {CHUNK}",
            (LEADS_ONLY, last)).fetchall()
        if not rows:
            break
        if cancel and cancel():
            raise ExportCancelled()
        for rid, link_id, src, dst, link_type, marking, leads_only, body in rows:
            last = rid
            inside = (src in chosen) + (dst in chosen)
            if not inside:
                continue
            key = (marking, bool(leads_only))
            d = verdicts.get(key, _UNSEEN)
            if d is _UNSEEN:
                d = verdicts[key] = _verdict(cl, marking, key[1], dest)
            if d is None:
                p.hidden += 1
            elif inside == 1:
                p.excluded.append(Excluded(link_id, "link", f"{src} {link_type} {dst}", marking,
                                           "outside scope", "one end of the link is not exported"))
            elif link_id in conflicted:
                p.excluded.append(Excluded(link_id, "link", f"{src} {link_type} {dst}", marking,
                                           UNRESOLVED, _unresolved(dest, conflicted[link_id])))
            elif d.ok:
                p.links.append(body)
                p.markings.add(marking)
                included.add(link_id)
            else:
                p.excluded.append(Excluded(link_id, "link", f"{src} {link_type} {dst}", marking,
                                           _category(d.reason), d.reason))
    rows = store.conn.execute(
        "SELECT c.id, c.marking, c.body FROM conflicts c JOIN links l ON l.id = c.id "
        "WHERE c.record = 'link' AND c.version = l.version ORDER BY c.id, c.sha256")
    for link_id, marking, body in rows:
        if link_id in included and _decide(marking, LEADS_ONLY in body, p.destination).ok \
                and markings.dominates(store.clearance, parse_marking(marking)):
            p.links.append(body.encode())
            p.markings.add(marking)
