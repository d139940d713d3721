"""A movement-heavy synthetic store for the ``visual`` bench: N events and N/5 route legs.

The demo world spreads its items over eight kinds; the visual bench needs a given number of
events (10,000 to 1,000,000) fast, so this builds them directly: the demo's real corridor places
as locations, a few dozen invented networks and a few hundred cases, then events and legs along
the corridors' routes over ten years, through the store's own bulk insert (items, search index,
audit, and the movement table's triggers). Deterministic from the seed; invented names only.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hstc_desk.demo.geography import CORRIDORS
from hstc_desk.demo.trusted import build
from hstc_desk.domain.events import Event
from hstc_desk.domain.item import Item
from hstc_desk.domain.item_base import Portion
from hstc_desk.domain.people import Organization
from hstc_desk.domain.places import Location, RouteLeg
from hstc_desk.domain.reporting import Case
from hstc_desk.store import TEST_KDF, Store

BASE = datetime(2016, 1, 1, tzinfo=UTC)
SPAN = 10 * 365 * 86400
MARKINGS = ("(U//FOUO)", "(U//LES)", "(C//REL TO USA, GBR)", "(S//NF)", "(S//REL TO USA, FVEY)",
            "(S//SI//NF)", "(TS//SI//OC/NF)")
WEIGHTS = (30, 25, 15, 12, 10, 6, 2)
EVENT_TYPES = ("encounter", "interdiction", "crossing", "payment", "communication", "arrest")
USER, PASSWORD = "bench", "bench pass phrase"


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def _common(rng: random.Random, title: str, text: str, when: datetime,
            case_id: str | None, marking: str | None = None) -> dict:
    marking = marking or rng.choices(MARKINGS, WEIGHTS)[0]
    return dict(title=title, marking=marking, portions=[build(Portion, dict(marking=marking,
                                                                             text=text))],
                originator="CBP", use_restriction="none", version=1, created=when,
                updated=when, case_id=case_id)


def items(events: int, seed: int = 1) -> Iterator[Item]:
    rng = random.Random(seed)
    routes: list[list[str]] = []
    for corridor in CORRIDORS:
        ids = []
        for p in corridor.places:
            loc_id = f"LOC-{_hex(rng)}"
            ids.append(loc_id)
            yield Location.model_validate(dict(
                id=loc_id, kind="location", name=p.name, country=p.country, lat=p.lat,
                lon=p.lon, loc_type=p.loc_type,
                **_common(rng, f"{p.name}, {p.country}", f"{p.name} is on a route.", BASE,
                          None, "(U)")))
        routes += [[ids[i] for i in r] for r in corridor.routes]
    networks = []
    for n in range(40):
        org_id = f"ORG-{_hex(rng)}"
        networks.append(org_id)
        yield Organization.model_validate(dict(
            id=org_id, kind="organization", name=f"Bench network {n + 1}",
            org_type="smuggling_network",
            **_common(rng, f"Bench network {n + 1}", "An invented network.", BASE, None,
                      "(U//LES)")))
    cases = []
    for n in range(300):
        case_id = f"CAS-{_hex(rng)}"
        cases.append(case_id)
        yield Case.model_validate(dict(
            id=case_id, kind="case", name=f"Bench case {n + 1}", status="open",
            opened="2016-01-01", lead_agency="CBP",
            **_common(rng, f"Bench case {n + 1}", "An invented case.", BASE, None,
                      "(U//LES)")))
    people = [f"PER-{_hex(rng)}" for _ in range(max(100, events // 20))]
    for i in range(events + events // 5):
        when = BASE + timedelta(seconds=rng.randrange(SPAN))
        case_id = rng.choice(cases) if rng.random() < 0.6 else None
        route = rng.choice(routes)
        if i % 6 == 5:  # a leg for every five events
            k = rng.randrange(len(route) - 1)
            a, b = route[k], route[k + 1]
            end = when + timedelta(hours=rng.randrange(2, 72))
            yield build(RouteLeg, dict(
                id=f"LEG-{_hex(rng)}", kind="route_leg", from_location_id=a,
                to_location_id=b, mode=rng.choice(("land", "sea", "air", "foot")),
                start=when, end=end, network_id=rng.choice(networks),
                **_common(rng, "A leg", "Travellers moved on.", end, case_id)))
        else:
            yield build(Event, dict(
                id=f"EVT-{_hex(rng)}", kind="event", event_type=rng.choice(EVENT_TYPES),
                occurred=when, occurred_latest=None, location_id=rng.choice(route),
                participant_ids=rng.sample(people, rng.randrange(0, 3)), amount_usd=None,
                **_common(rng, "An event", "Something happened here.", when, case_id)))


def build_store(path: Path, events: int, seed: int = 1) -> Path:
    """A new store at ``path`` holding ``events`` events and a fifth as many legs."""
    with Store.create(path, USER, PASSWORD, accreditation="TS//HCS/SI/TK", kdf=TEST_KDF) as s:
        s.insert_items(items(events, seed), action="bench.movement", batch=20_000)
        s.optimize()  # as every bulk load does: the search index, and the movement pyramid
    return path
