"""The streaming, deterministic generator of the demo world.

Everything is drawn from one `random.Random(seed)` and fixed base dates, so a seed always gives
the same sequence. Only small pools are kept (locations, networks and a few recent ids per
network), so a million items stream in constant memory. An item is yielded before anything that
refers to it, and a link only after both its ends.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import accumulate
from typing import Any, Final

from hstc_desk.demo import prose
from hstc_desk.demo.geography import CORRIDORS, Corridor, Place, leg_mode
from hstc_desk.demo.marking_mix import LEADS_ONLY_SHARE, PORTION_MARKINGS, is_ic
from hstc_desk.demo.names import alias, network_name, operation_name, person_name
from hstc_desk.demo.rng import DemoRandom
from hstc_desk.demo.trusted import build
from hstc_desk.domain.documents import Document
from hstc_desk.domain.events import Event
from hstc_desk.domain.fields import canonical_marking, rollup_text
from hstc_desk.domain.item import Item
from hstc_desk.domain.item_base import ItemBase, Portion
from hstc_desk.domain.links import Link
from hstc_desk.domain.people import Organization, Person
from hstc_desk.domain.places import Location, RouteLeg
from hstc_desk.domain.reporting import Case, Report

START: Final = datetime(2019, 1, 1, tzinfo=UTC)
END: Final = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
_T0: Final = int(START.timestamp())
_SPAN: Final = int(END.timestamp()) - _T0
_DAY: Final = 86400
_MAX_NETWORKS: Final = 400
_ITEMS_PER_NEW_NETWORK: Final = 2500
_MEMBERS: Final = 16
_RECENT: Final = 8

_ORG_TYPES: Final = (
    ("smuggling_network", 58),
    ("trafficking_ring", 20),
    ("money_laundering_cell", 8),
    ("document_fraud_ring", 8),
    ("transport_company", 6),
)
_MEMBER_ROLES: Final[dict[str, tuple[tuple[str, int], ...]]] = {
    "smuggling_network": (
        ("smuggler", 30),
        ("facilitator", 20),
        ("transporter", 25),
        ("recruiter", 10),
        ("financier", 10),
        ("forger", 5),
    ),
    "trafficking_ring": (
        ("recruiter", 35),
        ("smuggler", 15),
        ("facilitator", 20),
        ("transporter", 10),
        ("financier", 10),
        ("forger", 10),
    ),
    "money_laundering_cell": (("financier", 60), ("facilitator", 30), ("recruiter", 10)),
    "document_fraud_ring": (("forger", 60), ("facilitator", 25), ("financier", 15)),
    "transport_company": (("transporter", 60), ("facilitator", 25), ("official", 15)),
}
_EPISODES: Final = (
    ("recruit", 16),
    ("journey", 30),
    ("report", 20),
    ("comms", 10),
    ("arrest", 6),
    ("finance", 7),
    ("documents", 8),
    ("witness", 3),
)
_DOC_TYPES: Final = (
    ("passport", 60),
    ("visa", 15),
    ("national_id", 15),
    ("residence_permit", 7),
    ("seaman_book", 3),
)
_FRAUD_TYPES: Final = (
    ("counterfeit", 30),
    ("forged", 25),
    ("impostor", 25),
    ("fraudulently_obtained", 12),
    ("stolen_blank", 8),
)
_RELIABILITY: Final = (("A", 5), ("B", 30), ("C", 35), ("D", 15), ("E", 5), ("F", 10))
_CREDIBILITY: Final = ((1, 5), (2, 30), (3, 35), (4, 15), (5, 5), (6, 10))
_CASE_STATUS: Final = (("open", 55), ("closed", 30), ("suspended", 15))
_LETTERS: Final = "ABCDEFGHJKLMNPRSTUVWXYZ"


class _Pick:
    """Weighted choice with precomputed cumulative weights (faster than Random.choices)."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs: tuple[tuple[Any, int], ...]) -> None:
        self.values = [value for value, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cum, rng.random() * self.total)]


class _Network:
    """What the generator remembers of one network: a few ids, its route and its case."""

    __slots__ = (
        "case_id",
        "corridor",
        "countries",
        "id",
        "leader",
        "members",
        "name",
        "nationality",
        "org_type",
        "recent",
        "route",
        "safe_house",
        "span",
    )

    def __init__(self) -> None:
        self.members: list[tuple[str, str, str]] = []  # (id, name, role)
        self.recent: list[str] = []
        self.safe_house: str | None = None


def _dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class World:
    """One pass of generation; `items()` yields items and links in dependency order."""

    def __init__(self, seed: int) -> None:
        self.rng = DemoRandom(seed)
        self.locations: dict[str, list[str]] = {}  # corridor key -> location ids by place index
        self.networks: list[_Network] = []
        self.counters: dict[str, int] = {}
        self.agency_pick = {c.key: _Pick(c.agencies) for c in CORRIDORS}
        self.marking_pick = {
            agency: _Pick(tuple((canonical_marking(m), w) for m, w in table))
            for agency, table in PORTION_MARKINGS.items()
        }
        self.org_type_pick = _Pick(_ORG_TYPES)
        self.role_pick = {k: _Pick(v) for k, v in _MEMBER_ROLES.items()}
        self.episode_pick = _Pick(_EPISODES)
        self.doc_type_pick = _Pick(_DOC_TYPES)
        self.fraud_pick = _Pick(_FRAUD_TYPES)
        self.reliability_pick = _Pick(_RELIABILITY)
        self.credibility_pick = _Pick(_CREDIBILITY)
        self.status_pick = _Pick(_CASE_STATUS)
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
        created = when + rng.randrange(3600, 30 * _DAY)
        roll = rng.random()
        if roll < 0.8:
            return {"version": 1, "created": _dt(created), "updated": _dt(created)}
        version = 2 if roll < 0.95 else 3
        return {
            "version": version,
            "created": _dt(created),
            "updated": _dt(created + rng.randrange(_DAY, 120 * _DAY)),
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

    def _when(self, net: _Network) -> int:
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
                    **self._times(_T0 - 400 * _DAY),
                ),
            )
            ids.append(loc.id)
            yield loc

    def _place(self, net: _Network, index: int) -> tuple[Place, str]:
        pi = net.route[index]
        return net.corridor.places[pi], self.locations[net.corridor.key][pi]

    # -- networks --------------------------------------------------------------------------

    def _new_network(self, corridor: Corridor) -> Iterator[Item | Link]:
        rng = self.rng
        net = _Network()
        net.corridor = corridor
        net.route = rng.choice(corridor.routes)
        net.org_type = self.org_type_pick(rng)
        net.nationality = rng.choice(corridor.network_nationalities)
        net.name = network_name(rng, net.nationality, net.org_type)
        start = _T0 + rng.randrange(_SPAN - 200 * _DAY)
        net.span = (start, min(rng.randrange(180, 1100) * _DAY, _T0 + _SPAN - start))
        countries: list[str] = []
        for pi in net.route:
            country = corridor.places[pi].country
            if country not in countries:
                countries.append(country)
        net.countries = countries
        first, last = corridor.places[net.route[0]], corridor.places[net.route[-1]]

        lead = rng.choice([a for a, _ in corridor.agencies if not is_ic(a)])
        op = operation_name(rng)
        opened = _dt(start + rng.randrange(0, 90) * _DAY).date()
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

    def _safe_house(self, net: _Network, place: Place) -> Location:
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

    def _person(self, net: _Network, role: str, nationality: str | None = None) -> Person:
        rng = self.rng
        corridor = net.corridor
        migrant = role in ("migrant", "victim")
        nat = nationality or rng.choice(
            corridor.origin_nationalities if migrant else corridor.network_nationalities
        )
        name = person_name(rng, nat)
        when = self._when(net)
        day = _dt(when)
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
            if len(net.members) < _MEMBERS:
                net.members.append(entry)
            else:
                net.members[rng.randrange(_MEMBERS)] = entry
        self._remember(net, person.id)
        return person

    def _remember(self, net: _Network, item_id: str) -> None:
        if len(net.recent) < _RECENT:
            net.recent.append(item_id)
        else:
            net.recent[self.rng.randrange(_RECENT)] = item_id

    def _document(
        self, net: _Network, holder: Person | None, nat: str, fraud_share: float, city: str
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
            rng.choice(_LETTERS)
            + (rng.choice(_LETTERS) if rng.random() < 0.5 else "")
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
                f"A {state} {prose.nat_adj(issuer)} {kind_text} numbered {number} was "
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
        net: _Network,
        event_type: str,
        when: int,
        place: tuple[Place, str] | None,
        participants: list[str],
        texts: list[str],
        title: str,
        amount: float | None = None,
        originator: str | None = None,
    ) -> Event:
        event = build(
            Event,
            dict(
                id=self._id("EVT"),
                kind="event",
                title=title,
                case_id=net.case_id if self.rng.random() < 0.5 else None,
                event_type=event_type,
                occurred=_dt(when),
                location_id=place[1] if place else None,
                participant_ids=participants,
                amount_usd=amount,
                **self._stamp(net.corridor, texts, originator),
                **self._times(when),
            ),
        )
        self._remember(net, event.id)
        return event

    def _leg(self, net: _Network, index: int, when: int, count: int, nat: str) -> RouteLeg:
        rng = self.rng
        (a, a_id), (b, b_id) = self._place(net, index), self._place(net, index + 1)
        mode = leg_mode(net.corridor, a, b, rng.random())
        hours = {"air": 6, "sea": 20, "river": 2, "foot": 10, "land": 30}[mode]
        end = when + rng.randrange(1, hours + 1) * 3600 + rng.randrange(0, 3) * _DAY
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
                start=_dt(when),
                end=_dt(end),
                network_id=net.id,
                **self._stamp(net.corridor, texts),
                **self._times(end),
            ),
        )

    def _member(self, net: _Network, *roles: str) -> tuple[str, str, str]:
        wanted = [m for m in net.members if m[2] in roles] if roles else []
        return self.rng.choice(wanted or net.members)

    # -- episodes --------------------------------------------------------------------------

    def _recruit(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        person = self._person(net, self.role_pick[net.org_type](rng))
        yield person
        yield self._link("member_of", person.id, net.id, person)
        if rng.random() < 0.3:
            city = self._place(net, rng.randrange(len(net.route)))[0].name
            doc = self._document(net, person, person.nationality, 0.4, city)
            yield doc
            yield self._link("holds_document", person.id, doc.id, doc)
        if rng.random() < 0.25 and len(net.members) > 1:
            other = self._member(net)
            if other[0] != person.id:
                yield self._link("associated_with", person.id, other[0], person)
        if rng.random() < 0.2:
            pi = rng.randrange(len(net.route))
            yield self._link("located_at", person.id, self._place(net, pi)[1], person)

    def _journey(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        corridor = net.corridor
        nat = rng.choice(corridor.origin_nationalities)
        role = "victim" if net.org_type == "trafficking_ring" and rng.random() < 0.6 else "migrant"
        migrants: list[Person] = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            person = self._person(net, role, nat)
            migrants.append(person)
            yield person
            if rng.random() < 0.4:
                doc = self._document(net, person, nat, 0.3, corridor.places[net.route[0]].name)
                yield doc
                yield self._link("holds_document", person.id, doc.id, doc)
        count = len(migrants) + rng.randrange(0, 30)
        start = rng.randrange(len(net.route) - 1)
        when = self._when(net)
        legs = min(len(net.route) - 1 - start, rng.choice((1, 1, 2, 2, 3)))
        if rng.random() < 0.5:
            payer = migrants[0]
            fin = self._member(net, "financier", "smuggler")
            amount = float(rng.randrange(15, 180) * 100 * len(migrants))
            place = self._place(net, start)
            event = self._event(
                net,
                "payment",
                when - rng.randrange(1, 20) * _DAY,
                place,
                [payer.id, fin[0]],
                [prose.payment_text(rng, payer.name, fin[1], amount, place[0].name)],
                f"Smuggling fee paid to {fin[1]} in {place[0].name}",
                amount,
            )
            yield event
            yield self._link("participated_in", payer.id, event.id, event)
            yield self._link("participated_in", fin[0], event.id, event)
        leg = None
        for i in range(start, start + legs):
            leg = self._leg(net, i, when, count, nat)
            when = int(leg.end.timestamp()) + rng.randrange(0, 10) * _DAY
            yield leg
            yield self._link("travelled_on", migrants[0].id, leg.id, leg)
        if leg is not None and rng.random() < 0.75:
            place = self._place(net, start + legs)
            event_type = rng.choice(("encounter", "interdiction", "crossing"))
            agency = self.agency_pick[corridor.key](rng)
            while is_ic(agency):
                agency = self.agency_pick[corridor.key](rng)
            driver = self._member(net, "transporter", "smuggler")
            texts = [
                prose.interdiction_text(
                    rng, event_type, count, nat, place[0].name, leg.mode, agency
                )
            ]
            if rng.random() < 0.4:
                texts.append(prose.judgment(rng, place[0].name))
            event = self._event(
                net,
                event_type,
                int(leg.end.timestamp()),
                place,
                [*(m.id for m in migrants), driver[0]],
                texts,
                f"{event_type.capitalize()} of {count} {prose.nat_adj(nat)} migrants near "
                f"{place[0].name}",
                None,
                agency,
            )
            yield event
            yield self._link("participated_in", driver[0], event.id, event)

    def _report(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        corridor = net.corridor
        agency = self.agency_pick[corridor.key](rng)
        when = self._when(net)
        day = _dt(when).date()
        number = self._report_number(agency, day)
        topic = rng.choice(prose.TOPICS)
        member = self._member(net)
        city = corridor.places[rng.choice(net.route)].name
        texts = [
            prose.person_text(
                rng,
                member[1],
                member[2],
                net.name,
                city,
                prose.month_year(day.month, day.year),
                rng.choice(corridor.network_nationalities),
            ),
            prose.judgment(rng, city),
        ]
        if rng.random() < 0.6:
            texts.append(prose.comment(rng, city))
        report = build(
            Report,
            dict(
                id=self._id("RPT"),
                kind="report",
                title=f"{agency} reporting on the {net.name}: {topic}",
                case_id=net.case_id if rng.random() < 0.7 else None,
                originating_agency=agency,
                date_of_information=day,
                reliability=self.reliability_pick(rng),
                credibility=self.credibility_pick(rng),
                report_number=number,
                **self._stamp(corridor, texts, originator=agency),
                **self._times(when),
            ),
        )
        yield report
        yield self._link("reported_in", member[0], report.id, report)
        for ref in rng.sample(net.recent, min(len(net.recent), rng.randrange(0, 3))):
            if ref != member[0]:
                yield self._link("reported_in", ref, report.id, report)

    def _report_number(self, agency: str, day: date) -> str:
        n = self._number(agency)
        yy = day.year % 100
        formats = {
            "CIA": f"TD-314/{n:06d}-{yy:02d}",
            "DIA": f"IIR 6 {800 + n % 199:03d} {n % 10000:04d} {yy:02d}",
            "NSA": f"SR-{day.year}-{n:06d}",
            "NCTC": f"NCTC-{yy:02d}-{n:05d}",
            "FBI": f"IIR-{n % 1000:03d}-{n:05d}-{yy:02d}",
            "ICE-HSI": f"HSI-ROI-{day.year}-{n:06d}",
            "EUROPOL": f"SIENA-{n + 1000000:07d}",
            "FRONTEX": f"JORA-{day.year}-{n:05d}",
        }
        return formats.get(agency, f"{agency}-{day.year}-{n:06d}")

    def _comms(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        if len(net.members) < 2:
            yield from self._recruit(net)
            return
        a, b = rng.sample(net.members, 2)
        texts = [prose.comms_text(rng, a[1], b[1], net.name)]
        if rng.random() < 0.4:
            texts.append(prose.judgment(rng, net.corridor.places[rng.choice(net.route)].name))
        agency = rng.choice(("NSA", "NSA", "FBI", "ICE-HSI", "CIA"))
        event = self._event(
            net,
            "communication",
            self._when(net),
            None,
            [a[0], b[0]],
            texts,
            f"Communication between {a[1]} and {b[1]}",
            None,
            agency,
        )
        yield event
        yield self._link("communicated_with", a[0], b[0], event)
        yield self._link("participated_in", a[0], event.id, event)

    def _arrest(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        who = self._member(net)
        place = self._place(net, rng.randrange(len(net.route)))
        agency = rng.choice([a for a, _ in net.corridor.agencies if not is_ic(a)])
        texts = [prose.arrest_text(rng, who[1], place[0].name, agency, rng.choice(prose.CHARGES))]
        if rng.random() < 0.5:
            texts.append(prose.judgment(rng, place[0].name))
        event = self._event(
            net,
            "arrest",
            self._when(net),
            place,
            [who[0]],
            texts,
            f"Arrest of {who[1]} in {place[0].name}",
            None,
            agency,
        )
        yield event
        yield self._link("participated_in", who[0], event.id, event)
        yield self._link("part_of_case", event.id, net.case_id, event)

    def _finance(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        payer = self._member(net, "financier")
        payee = self._member(net)
        place = self._place(net, rng.randrange(len(net.route)))
        amount = round(rng.lognormvariate(9.5, 1.1), 2)
        event = self._event(
            net,
            "payment",
            self._when(net),
            place,
            [payer[0], payee[0]],
            [prose.payment_text(rng, payer[1], payee[1], amount, place[0].name)],
            f"Transfer of {amount:,.0f} USD from {payer[1]}",
            amount,
        )
        yield event
        yield self._link("participated_in", payer[0], event.id, event)
        yield self._link("financed", payer[0], net.id, event)

    def _documents(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        place = self._place(net, rng.randrange(len(net.route)))
        nat = rng.choice(net.corridor.origin_nationalities)
        docs = []
        for _ in range(rng.randrange(1, 4)):
            doc = self._document(net, None, nat, 0.85, place[0].name)
            docs.append(doc)
            yield doc
        agency = rng.choice([a for a, _ in net.corridor.agencies if not is_ic(a)])
        event = self._event(
            net,
            "interdiction",
            self._when(net),
            place,
            [d.id for d in docs],
            [
                f"{agency} seized {len(docs)} travel documents in {place[0].name}, "
                f"assessed to have been supplied by the {net.name}."
            ],
            f"Seizure of {len(docs)} fraudulent documents in {place[0].name}",
            None,
            agency,
        )
        yield event
        for doc in docs:
            yield self._link("participated_in", doc.id, event.id, event)

    def _witness(self, net: _Network) -> Iterator[Item | Link]:
        rng = self.rng
        target = self._member(net)
        person = self._person(net, rng.choice(("witness", "official", "victim")))
        yield person
        yield self._link("associated_with", person.id, target[0], person)

    # -- the stream ------------------------------------------------------------------------

    def _stream(self) -> Iterator[Item | Link]:
        for corridor in CORRIDORS:
            yield from self._corridor_locations(corridor)
        for corridor in CORRIDORS:
            for _ in range(2):
                yield from self._new_network(corridor)
        episodes = {
            "recruit": self._recruit,
            "journey": self._journey,
            "report": self._report,
            "comms": self._comms,
            "arrest": self._arrest,
            "finance": self._finance,
            "documents": self._documents,
            "witness": self._witness,
        }
        rng = self.rng
        next_network = _ITEMS_PER_NEW_NETWORK
        while True:
            if self.emitted >= next_network and len(self.networks) < _MAX_NETWORKS:
                next_network += _ITEMS_PER_NEW_NETWORK
                yield from self._new_network(rng.choice(CORRIDORS))
            net = rng.choice(self.networks)
            yield from episodes[self.episode_pick(rng)](net)

    def items(self, n_items: int) -> Iterator[Item | Link]:
        """The first `n_items` items of the world, with the links among them."""
        if n_items <= 0:
            return
        for obj in self._stream():
            if isinstance(obj, Link):
                yield obj
                continue
            if self.emitted >= n_items:
                return
            self.emitted += 1
            yield obj
