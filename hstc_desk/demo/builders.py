"""Builders of demo items: common fields, locations, networks, persons, documents, events, legs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from hstc_desk.demo import prose
from hstc_desk.demo.geography import CORRIDORS, Corridor, Place, leg_mode
from hstc_desk.demo.marking_mix import LEADS_ONLY_SHARE, PORTION_MARKINGS, is_ic
from hstc_desk.demo.names import alias, network_name, operation_name, person_name
from hstc_desk.demo.network import NetworkState
from hstc_desk.demo.rng import DemoRandom
from hstc_desk.demo.tables import (
    CASE_STATUS,
    CREDIBILITY,
    DAY,
    DOC_TYPES,
    EPISODES,
    FRAUD_TYPES,
    LETTERS,
    MEMBER_ROLES,
    MEMBERS,
    ORG_TYPES,
    RECENT,
    RELIABILITY,
    SPAN,
    T0,
    Pick,
    to_datetime,
)
from hstc_desk.demo.trusted import build
from hstc_desk.domain.documents import Document
from hstc_desk.domain.events import Event
from hstc_desk.domain.fields import canonical_marking, rollup_text
from hstc_desk.domain.item import Item
from hstc_desk.domain.item_base import ItemBase, Portion
from hstc_desk.domain.links import Link
from hstc_desk.domain.people import Organization, Person
from hstc_desk.domain.places import Location, RouteLeg
from hstc_desk.domain.reporting import Case


class Builders:
    """State of one generation pass and the builders of single items."""

    def __init__(self, seed: int) -> None:
        self.rng = DemoRandom(seed)
        self.locations: dict[str, list[str]] = {}  # corridor key -> location ids by place index
        self.networks: list[NetworkState] = []
        self.counters: dict[str, int] = {}
        self.agency_pick = {c.key: Pick(c.agencies) for c in CORRIDORS}
        self.marking_pick = {
            agency: Pick(tuple((canonical_marking(m), w) for m, w in table))
            for agency, table in PORTION_MARKINGS.items()
        }
        self.org_type_pick = Pick(ORG_TYPES)
        self.role_pick = {k: Pick(v) for k, v in MEMBER_ROLES.items()}
        self.episode_pick = Pick(EPISODES)
        self.doc_type_pick = Pick(DOC_TYPES)
        self.fraud_pick = Pick(FRAUD_TYPES)
        self.reliability_pick = Pick(RELIABILITY)
        self.credibility_pick = Pick(CREDIBILITY)
        self.status_pick = Pick(CASE_STATUS)
        self.emitted = 0

    # -- common fields ---------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}-{self.rng.getrandbits(64):016x}"

    def _stamp(self, corridor: Corridor, texts: list[str], originator: str | None = None) -> dict:
        """Originator, portions (one per text), roll-up marking, restriction, times, version."""
        rng = self.rng
        agency = originator or self.agency_pick[corridor.key](rng)
        pick = self.marking_pick[agency]
        first = pick(rng)
        marks = [first]
        for _ in texts[1:]:
            marks.append(first if rng.random() < 0.5 else pick(rng))
        marking = first if len(marks) == 1 else rollup_text(tuple(sorted(set(marks))))
        leads = "leads_only" if is_ic(agency) and rng.random() < LEADS_ONLY_SHARE else "none"
        portions = [
            build(Portion, dict(marking=m, text=t)) for m, t in zip(marks, texts, strict=True)
        ]
        return {
            "originator": agency,
            "marking": marking,
            "portions": portions,
            "use_restriction": leads,
        }

    def _times(self, when: int) -> dict[str, Any]:
        rng = self.rng
        created = when + rng.randrange(3600, 30 * DAY)
        roll = rng.random()
        if roll < 0.8:
            return {"version": 1, "created": to_datetime(created), "updated": to_datetime(created)}
        version = 2 if roll < 0.95 else 3
        return {
            "version": version,
            "created": to_datetime(created),
            "updated": to_datetime(created + rng.randrange(DAY, 120 * DAY)),
        }

    def _link(self, link_type: str, src: str, dst: str, basis: ItemBase) -> Link:
        return build(
            Link,
            dict(
                id=self._id("LNK"),
                link_type=link_type,
                src=src,
                dst=dst,
                marking=basis.marking,
                originator=basis.originator,
                use_restriction=basis.use_restriction,
                version=1,
                created=basis.created,
                updated=basis.created,
            ),
        )

    def _when(self, net: NetworkState) -> int:
        start, length = net.span
        return start + self.rng.randrange(length)

    def _number(self, agency: str) -> int:
        self.counters[agency] = self.counters.get(agency, 0) + self.rng.randrange(1, 40)
        return self.counters[agency]

    # -- places ----------------------------------------------------------------------------

    def _corridor_locations(self, corridor: Corridor) -> Iterator[Item]:
        ids: list[str] = []
        self.locations[corridor.key] = ids
        for place in corridor.places:
            texts = [
                f"{place.name} ({place.country}) is a {place.loc_type.replace('_', ' ')} on the "
                f"{corridor.name} corridor used by smuggling networks."
            ]
            stamp = self._stamp(
                corridor, texts, originator="UNODC" if self.rng.random() < 0.5 else None
            )
            loc = build(
                Location,
                dict(
                    id=self._id("LOC"),
                    kind="location",
                    title=f"{place.name}, {place.country}",
                    case_id=None,
                    name=place.name,
                    country=place.country,
                    lat=place.lat,
                    lon=place.lon,
                    loc_type=place.loc_type,
                    **stamp,
                    **self._times(T0 - 120 * DAY),
                ),
            )
            ids.append(loc.id)
            yield loc

    def _place(self, net: NetworkState, index: int) -> tuple[Place, str]:
        pi = net.route[index]
        return net.corridor.places[pi], self.locations[net.corridor.key][pi]

    # -- networks --------------------------------------------------------------------------

    def _new_network(self, corridor: Corridor) -> Iterator[Item | Link]:
        rng = self.rng
        net = NetworkState()
        net.corridor = corridor
        net.route = rng.choice(corridor.routes)
        net.org_type = self.org_type_pick(rng)
        net.nationality = rng.choice(corridor.network_nationalities)
        net.name = network_name(rng, net.nationality, net.org_type)
        # margins keep payments before and legs after an episode's date inside 2019-2025
        start = T0 + 30 * DAY + rng.randrange(SPAN - 260 * DAY)
        net.span = (start, min(rng.randrange(180, 1100) * DAY, T0 + SPAN - 60 * DAY - start))
        countries: list[str] = []
        for pi in net.route:
            country = corridor.places[pi].country
            if country not in countries:
                countries.append(country)
        net.countries = countries
        first, last = corridor.places[net.route[0]], corridor.places[net.route[-1]]

        lead = rng.choice([a for a, _ in corridor.agencies if not is_ic(a)])
        op = operation_name(rng)
        opened = to_datetime(start + rng.randrange(0, 90) * DAY).date()
        texts = [
            f"{op} targets the {net.name}, which moves "
            f"{prose.nat_adj(corridor.origin_nationalities[0])} and other migrants "
            f"from {first.name} toward {last.name}.",
            prose.judgment(rng, corridor.places[rng.choice(net.route)].name),
        ]
        case = build(
            Case,
            dict(
                id=self._id("CAS"),
                kind="case",
                title=f"{op}: {net.name}",
                case_id=None,
                name=op,
                status=self.status_pick(rng),
                opened=opened,
                lead_agency=lead,
                **self._stamp(corridor, texts, originator=lead),
                **self._times(start),
            ),
        )
        net.case_id = case.id
        yield case

        texts = [
            f"The {net.name} is a {net.org_type.replace('_', ' ')} operating along the "
            f"{corridor.name} corridor between {first.name} and {last.name}.",
            prose.judgment(rng, corridor.places[rng.choice(net.route)].name),
        ]
        if rng.random() < 0.5:
            texts.append(prose.comment(rng, first.name))
        org = build(
            Organization,
            dict(
                id=self._id("ORG"),
                kind="organization",
                title=net.name,
                case_id=case.id,
                name=net.name,
                org_type=net.org_type,
                area=f"{corridor.name}: {first.name} to {last.name}",
                countries=countries,
                **self._stamp(corridor, texts),
                **self._times(start),
            ),
        )
        net.id = org.id
        yield org
        yield self._link("part_of_case", org.id, case.id, org)

        leader = self._person(
            net, "smuggler" if net.org_type != "trafficking_ring" else "recruiter"
        )
        yield leader
        net.leader = leader.id
        yield self._link("leads", leader.id, org.id, leader)
        yield self._link("part_of_case", leader.id, case.id, case)

        if rng.random() < 0.7:
            place, _ = self._place(net, rng.randrange(len(net.route)))
            house = self._safe_house(net, place)
            net.safe_house = house.id
            yield house
            yield self._link("located_at", org.id, house.id, house)
        self.networks.append(net)

    def _safe_house(self, net: NetworkState, place: Place) -> Location:
        rng = self.rng
        label = rng.choice(("safe house", "stash house", "warehouse", "holding house"))
        street = f"{rng.choice(('north', 'south', 'east', 'west'))} {place.name}"
        texts = [
            f"A {label} in the {street} area is used by the {net.name} to hold migrants "
            f"before onward movement.",
        ]
        return build(
            Location,
            dict(
                id=self._id("LOC"),
                kind="location",
                title=f"{label.capitalize()}, {street}",
                case_id=net.case_id,
                name=f"{label.capitalize()} ({street})",
                country=place.country,
                lat=round(place.lat + rng.uniform(-0.03, 0.03), 4),
                lon=round(place.lon + rng.uniform(-0.03, 0.03), 4),
                loc_type="safe_house",
                **self._stamp(net.corridor, texts),
                **self._times(self._when(net)),
            ),
        )

    # -- persons and documents -------------------------------------------------------------

    def _person(self, net: NetworkState, role: str, nationality: str | None = None) -> Person:
        rng = self.rng
        corridor = net.corridor
        migrant = role in ("migrant", "victim")
        nat = nationality or rng.choice(
            corridor.origin_nationalities if migrant else corridor.network_nationalities
        )
        name = person_name(rng, nat)
        when = self._when(net)
        day = to_datetime(when)
        place, _ = self._place(net, 0 if migrant else rng.randrange(len(net.route)))
        if migrant:
            dest = corridor.places[net.route[-1]].name
            fee = rng.randrange(15, 180) * 100
            texts = [
                prose.migrant_text(
                    rng, name, nat, place.name, dest, fee, prose.month_year(day.month, day.year)
                )
            ]
        else:
            texts = [
                prose.person_text(
                    rng,
                    name,
                    role,
                    net.name,
                    place.name,
                    prose.month_year(day.month, day.year),
                    nat,
                )
            ]
        if rng.random() < 0.35:
            texts.append(prose.comment(rng, place.name))
        aliases = []
        if not migrant and rng.random() < 0.6:
            aliases.append(alias(rng, nat, name))
            if rng.random() < 0.3:
                aliases.append(alias(rng, nat, name))
        title = f"{name}, {prose.role_phrase(rng, role)}"
        if not migrant:
            title += f" for the {net.name}"
        person = build(
            Person,
            dict(
                id=self._id("PER"),
                kind="person",
                title=title,
                case_id=net.case_id if rng.random() < 0.6 else None,
                name=name,
                aliases=aliases,
                birth_year=day.year - rng.randrange(16, 62) if rng.random() < 0.75 else None,
                nationality=nat,
                role=role,
                **self._stamp(corridor, texts),
                **self._times(when),
            ),
        )
        if not migrant:
            entry = (person.id, name, role)
            if len(net.members) < MEMBERS:
                net.members.append(entry)
            else:
                net.members[rng.randrange(MEMBERS)] = entry
        self._remember(net, person.id)
        return person

    def _remember(self, net: NetworkState, item_id: str) -> None:
        if len(net.recent) < RECENT:
            net.recent.append(item_id)
        else:
            net.recent[self.rng.randrange(RECENT)] = item_id

    def _document(
        self, net: NetworkState, holder: Person | None, nat: str, fraud_share: float, city: str
    ) -> Document:
        rng = self.rng
        doc_type = self.doc_type_pick(rng)
        genuine = rng.random() >= fraud_share
        fraud = "none" if genuine else self.fraud_pick(rng)
        issuer = (
            nat
            if doc_type in ("passport", "national_id") or rng.random() < 0.3
            else (rng.choice(net.countries))
        )
        number = (
            rng.choice(LETTERS)
            + (rng.choice(LETTERS) if rng.random() < 0.5 else "")
            + f"{rng.randrange(10**6, 10**8)}"
        )
        kind_text = doc_type.replace("_", " ")
        if genuine:
            title = f"{issuer} {kind_text} {number}"
            texts = [
                f"{holder.name if holder else 'An unidentified subject'} holds genuine "
                f"{prose.nat_adj(issuer)} {kind_text} {number}, presented in {city}."
            ]
        else:
            state = fraud.replace("_", " ")
            title = f"{state.capitalize()} {issuer} {kind_text} {number}"
            texts = [
                f"{prose.a(state).capitalize()} {prose.nat_adj(issuer)} {kind_text} "
                f"numbered {number} was "
                f"recovered in {city}; examiners linked it to the {net.name}."
            ]
        if rng.random() < 0.3:
            texts.append(prose.comment(rng, city))
        return build(
            Document,
            dict(
                id=self._id("DOC"),
                kind="document",
                title=title,
                case_id=net.case_id if rng.random() < 0.5 else None,
                doc_type=doc_type,
                number=number,
                issuing_country=issuer,
                holder_id=holder.id if holder else None,
                genuine=genuine,
                fraud_type=fraud,
                **self._stamp(net.corridor, texts),
                **self._times(self._when(net)),
            ),
        )

    # -- events and legs -------------------------------------------------------------------

    def _event(
        self,
        net: NetworkState,
        event_type: str,
        when: int,
        place: tuple[Place, str] | None,
        participants: list[str],
        texts: list[str],
        title: str,
        amount: float | None = None,
        originator: str | None = None,
    ) -> Event:
        event_id = self._id("EVT")
        occurred, latest = uncertain_time(when, event_id, event_type)
        event = build(
            Event,
            dict(
                id=event_id,
                kind="event",
                title=title,
                case_id=net.case_id if self.rng.random() < 0.5 else None,
                event_type=event_type,
                occurred=occurred,
                occurred_latest=latest,
                location_id=place[1] if place else None,
                participant_ids=participants,
                amount_usd=amount,
                **self._stamp(net.corridor, texts, originator),
                **self._times(when),
            ),
        )
        self._remember(net, event.id)
        return event

    def _leg(self, net: NetworkState, index: int, when: int, count: int, nat: str) -> RouteLeg:
        rng = self.rng
        (a, a_id), (b, b_id) = self._place(net, index), self._place(net, index + 1)
        mode = leg_mode(net.corridor, a, b, rng.random())
        hours = {"air": 6, "sea": 20, "river": 2, "foot": 10, "land": 30}[mode]
        end = when + rng.randrange(1, hours + 1) * 3600 + rng.randrange(0, 3) * DAY
        texts = [prose.leg_text(rng, count, nat, a.name, b.name, mode, net.name)]
        if rng.random() < 0.25:
            texts.append(prose.judgment(rng, b.name))
        return build(
            RouteLeg,
            dict(
                id=self._id("LEG"),
                kind="route_leg",
                title=f"{a.name} to {b.name} by {mode}",
                case_id=net.case_id if rng.random() < 0.5 else None,
                from_location_id=a_id,
                to_location_id=b_id,
                mode=mode,
                start=to_datetime(when),
                end=to_datetime(end),
                network_id=net.id,
                **self._stamp(net.corridor, texts),
                **self._times(end),
            ),
        )

    def _member(self, net: NetworkState, *roles: str) -> tuple[str, str, str]:
        wanted = [m for m in net.members if m[2] in roles] if roles else []
        return self.rng.choice(wanted or net.members)


def uncertain_time(when: int, event_id: str, event_type: str) -> tuple[datetime, datetime | None]:
    """When an event is known only roughly: about one sighting, crossing or call in eight is
    known to the month or to the afternoon, chosen by the last hex digit of its id (no draw from
    the random stream, so the rest of the world stays as it was)."""
    t = to_datetime(when)
    if event_type not in ("encounter", "crossing", "communication"):
        return t, None
    if event_id[-1] == "0":  # "March 2023"
        start = t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(seconds=1)
    if event_id[-1] == "1":  # "the afternoon of the 4th"
        return (t.replace(hour=12, minute=0, second=0, microsecond=0),
                t.replace(hour=18, minute=0, second=0, microsecond=0))
    return t, None
