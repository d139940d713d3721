"""Episodes of the demo world: a recruitment, a journey, a report, an arrest ...

Each episode yields a few items and the links between them, items first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hstc_desk.demo import prose
from hstc_desk.demo.builders import Builders
from hstc_desk.demo.marking_mix import is_ic
from hstc_desk.demo.network import NetworkState
from hstc_desk.demo.tables import (
    DAY,
    to_datetime,
)
from hstc_desk.demo.trusted import build
from hstc_desk.domain.item import Item
from hstc_desk.domain.links import Link
from hstc_desk.domain.people import Person
from hstc_desk.domain.reporting import Report


class Episodes(Builders):
    """The episodes, each a generator over one network."""

    # -- episodes --------------------------------------------------------------------------

    def _recruit(self, net: NetworkState) -> Iterator[Item | Link]:
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

    def _journey(self, net: NetworkState) -> Iterator[Item | Link]:
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
                when - rng.randrange(1, 20) * DAY,
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
            when = int(leg.end.timestamp()) + rng.randrange(0, 10) * DAY
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

    def _report(self, net: NetworkState) -> Iterator[Item | Link]:
        rng = self.rng
        corridor = net.corridor
        agency = self.agency_pick[corridor.key](rng)
        when = self._when(net)
        day = to_datetime(when).date()
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

    def _comms(self, net: NetworkState) -> Iterator[Item | Link]:
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

    def _arrest(self, net: NetworkState) -> Iterator[Item | Link]:
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

    def _finance(self, net: NetworkState) -> Iterator[Item | Link]:
        rng = self.rng
        payer = self._member(net, "financier")
        others = [m for m in net.members if m[0] != payer[0]]
        payee = rng.choice(others) if others else (net.id, f"the {net.name}", "")
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

    def _documents(self, net: NetworkState) -> Iterator[Item | Link]:
        rng = self.rng
        place = self._place(net, rng.randrange(len(net.route)))
        nat = rng.choice(net.corridor.origin_nationalities)
        docs = []
        for _ in range(rng.randrange(1, 4)):
            doc = self._document(net, None, nat, 0.85, place[0].name)
            docs.append(doc)
            yield doc
        agency = rng.choice([a for a, _ in net.corridor.agencies if not is_ic(a)])
        plural = "s" if len(docs) > 1 else ""
        event = self._event(
            net,
            "interdiction",
            self._when(net),
            place,
            [d.id for d in docs],
            [
                f"{agency} seized {len(docs)} travel document{plural} in {place[0].name}, "
                f"assessed to have been supplied by the {net.name}."
            ],
            f"Seizure of {len(docs)} fraudulent document{plural} in {place[0].name}",
            None,
            agency,
        )
        yield event
        for doc in docs:
            yield self._link("participated_in", doc.id, event.id, event)

    def _witness(self, net: NetworkState) -> Iterator[Item | Link]:
        rng = self.rng
        target = self._member(net)
        person = self._person(net, rng.choice(("witness", "official", "victim")))
        yield person
        yield self._link("associated_with", person.id, target[0], person)
