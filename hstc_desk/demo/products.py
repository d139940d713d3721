"""Demo products (issue 11): every type in every state, written through the real workflow by the
demo users (the analyst drafts, the supervisor reviews and signs), citing items of the demo
world. Ids, portion ids and text are deterministic from the seed; signatures are real.

Per type: one approved and signed, one draft, one in review, one returned with comments
anchored to portions. Besides: the approved bulletin cites a NOFORN report (NOFORN banner),
holds a Movement figure and a tearline to EUROPOL; another approved bulletin has a new draft
version; the approved target package has a tearline to GBR; the approved referral has
responses from two of its three addressees (the third still awaited); a draft target
assessment cites a leads-only report (leads-only restriction).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from hstc_desk.demo import product_figures
from hstc_desk.demo.tables import END
from hstc_desk.demo.users import DEMO_USERS
from hstc_desk.domain.product_portions import with_pid
from hstc_desk.domain.product_templates import SECTIONS
from hstc_desk.domain.products import (
    Authority,
    Citation,
    Heading,
    Paragraph,
    PortionInput,
    Tearline,
    new_product_id,
)
from hstc_desk.markings import rollup
from hstc_desk.store import Store, product_images, product_referrals
from hstc_desk.store import products as P
from hstc_desk.store.rows import parse_marking

AUTHORITY = Authority(classified_by="HSTC analyst 0417", derived_from="Multiple Sources",
                      declassify_on="25X1, 20761231")

TITLES = {
    "intelligence_bulletin": ["Darien Gap crossings rise before the rains",
                              "Maritime departures from the Gulf of Uraba",
                              "Forged visas sold at the northern border",
                              "Stash houses move east of Reynosa"],
    "intelligence_report": ["Document vendor network in Tapachula",
                            "Payment couriers on the Caribbean route",
                            "Recruiters advertise jobs that do not exist",
                            "Bus terminals used as staging points"],
    "strategic_assessment": ["Smuggling corridors through Central America, 2027 outlook",
                             "Trafficking in persons along the Balkan route",
                             "Clandestine travel through third countries",
                             "How smuggling networks adapt to enforcement"],
    "target_assessment": ["Network ALPHA: leadership and finances",
                          "Network BRAVO: the river crossing cell",
                          "Network CHARLIE: document supply",
                          "Network DELTA: maritime logistics"],
    "target_package": ["Network ALPHA: package for partner action",
                       "Network BRAVO: package for interdiction",
                       "Network CHARLIE: package for document fraud referral",
                       "Network DELTA: package for port authorities"],
    "referral": ["Referral: visa fraud facilitator at a consulate",
                 "Referral: ferry operator moving unaccompanied minors",
                 "Referral: money service business paying guides",
                 "Referral: travel agency booking clandestine routes"],
}

SENTENCES = [
    "Guides charge **between 3,000 and 5,000 US dollars** per person for the crossing.",
    "Reporting indicates the network *shifted departures* to weekday nights.",
    "Groups of 20 to 40 migrants leave from two beaches, mostly after midnight.",
    "Payments move through money service businesses in three cities.",
    "The cell relies on drivers recruited through social media advertisements.",
    "Seizures at the checkpoint fell after the network changed its route.",
]
BULLETS = ("- Departures cluster on **Tuesdays and Thursdays**.\n"
           "- Boats carry *no navigation lights*.\n- Guides change phones weekly.")
NUMBERED = ("1. Confirm the departure beaches with partner reporting.\n"
            "2. Share boat descriptions with maritime authorities.\n"
            "3. Watch for payments to the two named couriers.")
# The markings of a body's paragraphs, by variant (approved, draft, in review, returned), so
# the products' banners differ: SECRET//NOFORN, UNCLASSIFIED//FOUO, SECRET//REL TO USA, GBR...
MARKING_SETS = {0: ["(U)", "(S//NF)", "(U//FOUO)", "(C//REL TO USA, GBR)"],
                1: ["(U)", "(U//FOUO)"],
                2: ["(C//REL TO USA, GBR)", "(U)", "(S//REL TO USA, GBR)"],
                3: ["(U//LES)", "(S//NF)", "(U)"]}
STATES = ("approved", "draft", "in_review", "returned")


@dataclass
class Items:
    noforn: str
    leads_only: str
    rel_gbr: str
    plain: list[str]


def _users() -> dict[str, tuple[str, str]]:
    return {role: (name, pw) for name, role, pw in DEMO_USERS}


def _find_items(store: Store) -> Items:
    def one(where: str) -> str:
        row = store.conn.execute(f"SELECT id FROM items WHERE {where} ORDER BY id LIMIT 1"
                                 ).fetchone()
        if row is None:
            raise LookupError(where)
        return row[0]

    plain = [r[0] for r in store.conn.execute(
        "SELECT id FROM items WHERE marking = '(U)' AND restricted = 0 AND kind IN "
        "('event', 'route_leg', 'location', 'person') ORDER BY id LIMIT 8")]
    return Items(noforn=one("marking = '(S//NF)' AND restricted = 0"),
                 leads_only=one("restricted = 1 AND marking = '(S//NF)'"),
                 rel_gbr=one("marking = '(S//REL TO USA, GBR)' AND restricted = 0"),
                 plain=plain or [one("marking = '(U)'")])


class _Builder:
    def __init__(self, seed: int, items: Items) -> None:
        self.rng = random.Random(f"demo-products-{seed}")
        self.items = items
        self.clock = END + timedelta(days=5)  # the products follow the world's reporting

    def now(self) -> datetime:
        """The next moment of the demo's own clock (so products are the same for a seed)."""
        self.clock += timedelta(minutes=37)
        return self.clock

    def pid(self, p: PortionInput) -> PortionInput:
        return with_pid(p, f"{self.rng.getrandbits(48):012x}")

    def body(self, ptype: str, variant: int) -> list[PortionInput]:
        out: list[PortionInput] = []
        # The approved referral goes to partners: its body is unclassified.
        marks = MARKING_SETS[1 if (ptype, variant) == ("referral", 0) else variant]
        for k, section in enumerate(SECTIONS[ptype]):
            out.append(Heading(marking="(U)", text=section))
            marking = marks[k % len(marks)]
            text = " ".join(self.rng.sample(SENTENCES, 2))
            if k == 1:
                text += "\n" + BULLETS
            if "ecommended" in section:
                text = NUMBERED
            out.append(Paragraph(marking=marking, text=text))
        out.append(Citation(item_id=self.items.plain[variant % len(self.items.plain)],
                            marking="U", note="Event reporting of the period."))
        return [self.pid(p) for p in out]


def _create(store: Store, b: _Builder, ptype: str, variant: int,
            extra: list[PortionInput] | None = None) -> str:
    referral = ptype == "referral"
    p = P.create(store, product_type=ptype, title=TITLES[ptype][variant], now=b.now(),
                 title_marking="(U)", portions=[*b.body(ptype, variant), *(extra or [])],
                 authority=AUTHORITY, product_id=new_product_id(b.rng),
                 addressees=(["USA", "GBR", "EUROPOL"] if variant == 0 else ["USA"])
                 if referral else None,
                 recommended_action=("Open an inquiry into the named facilitator and share "
                                     "the outcome with the HSTC.") if referral else None)
    return p.id


def add_demo_products(path: Path, seed: int = 0) -> list[str]:
    """Write the demo products into the demo store at ``path``; returns their ids (none when
    the world holds too few items to cite)."""
    users = _users()
    analyst, supervisor = users["analyst"], users["supervisor"]
    ids: list[str] = []
    plan: list[tuple[str, str, Callable[[Store, _Builder], list[PortionInput]] | None]] = []
    with Store.open(path, *analyst) as a:
        try:
            items = _find_items(a)
        except LookupError:  # a world too small to cite from (hstc demo --items 0)
            return []
        b = _Builder(seed, items)

        def bulletin_extra(store: Store, b: _Builder) -> list[PortionInput]:
            depicted = items.plain[:6]
            banner = rollup(parse_marking("(U)") for _ in depicted).banner()
            png = product_figures.png(seed, "timeline", banner, depicted)
            fig = product_images.figure_from_png(
                store, png, caption="Crossings reported per week, last quarter")
            return [b.pid(p) for p in [
                fig,
                Citation(item_id=items.noforn, marking="U", note="The source of the surge."),
                Tearline(destination="EUROPOL", marking="(U)",
                         title="Darien Gap crossings (releasable to EUROPOL)"),
                Paragraph(marking="(U)", text="Crossings through the Darien Gap rose in the "
                          "last quarter ahead of the rainy season.\n" + BULLETS),
                Paragraph(marking="(U)", text="Partners may see *more departures* from the "
                          "northern beaches in the coming weeks.")]]

        def package_extra(store: Store, b: _Builder) -> list[PortionInput]:
            return [b.pid(p) for p in [
                Tearline(destination="GBR", marking="(U)",
                         title="Network ALPHA (releasable to the United Kingdom)"),
                Paragraph(marking="(S//REL TO USA, GBR)", text="Network ALPHA moves groups "
                          "through two ports with **forged crew documents**."),
                Citation(item_id=items.rel_gbr, marking="U")]]

        def leads_extra(store: Store, b: _Builder) -> list[PortionInput]:
            return [b.pid(Citation(item_id=items.leads_only, marking="U",
                                   note="Leads only: not for court use."))]

        specials = {("intelligence_bulletin", "approved"): bulletin_extra,
                    ("target_package", "approved"): package_extra,
                    ("target_assessment", "draft"): leads_extra}
        for ptype in TITLES:
            for state in STATES:
                plan.append((ptype, state, specials.get((ptype, state))))
        made: list[tuple[str, str, str]] = []
        for ptype, state, extra in plan:
            variant = STATES.index(state)
            pid = _create(a, b, ptype, variant, extra(a, b) if extra else None)
            made.append((pid, ptype, state))
            if state != "draft":
                P.submit(a, pid, now=b.now())
        second = _create(a, b, "intelligence_bulletin", 1)  # to get a new draft version
        P.submit(a, second, now=b.now())
        made.append((second, "intelligence_bulletin", "new_version"))
        ids = [m[0] for m in made]
    with Store.open(path, *supervisor) as s:
        P.approve_all(s, [pid for pid, _, state in made if state in ("approved", "new_version")],
                      password=supervisor[1], now=b.now())
        for pid, _ptype, state in made:
            if state == "returned":
                p = P.get(s, pid)
                paragraphs = [x for x in p.portions if x.type == "paragraph"]
                P.return_product(s, pid, "Source the judgments and tighten the summary.",
                                 now=b.now(),
                                 anchored=[(paragraphs[0].pid or "",
                                            "Which reporting supports this? Cite it."),
                                           (paragraphs[-1].pid or "",
                                            "Too long: two sentences at most.")])
        referral = next(pid for pid, t, st in made if t == "referral" and st == "approved")
        day = b.now().date()
        product_referrals.record_response(s, referral, "USA", "acted_on", on=day + timedelta(9),
                                          note="ICE HSI opened a case on the facilitator.")
        product_referrals.record_response(s, referral, "GBR", "acknowledged", on=day + timedelta(2),
                                          note="Received by the NCA liaison officer.")
    with Store.open(path, *analyst) as a:
        v2 = P.edit(a, second, now=b.now(), portions=[*P.get(a, second).portions, b.pid(
            Paragraph(marking="(U)", text="Update: departures continued in the first week of "
                                          "the month."))])
        assert v2 is not None and v2.version == 2
    return ids
