"""The demo world: deterministic, streaming, valid, realistic in shape; speed is printed."""

from __future__ import annotations

import collections
import hashlib
import itertools
import time
from collections.abc import Iterator

import pytest

from hstc_desk.demo import CORRIDORS, DEMO_ACCREDITATION, DEMO_USERS, generate
from hstc_desk.demo.marking_mix import PORTION_MARKINGS, all_portion_markings
from hstc_desk.demo.trusted import build
from hstc_desk.domain import (
    KINDS,
    ItemBase,
    Link,
    Person,
    item_to_json,
    link_to_json,
    parse_item,
    parse_link,
    validate_role,
    validate_username,
)
from hstc_desk.domain.agencies import IC_ORIGINATORS
from hstc_desk.markings import dominates, parse, parse_clearance

N = 20_000


def canonical(obj: ItemBase | Link) -> str:
    return link_to_json(obj) if isinstance(obj, Link) else item_to_json(obj)


def digest(objs: Iterator[ItemBase | Link]) -> str:
    h = hashlib.sha256()
    for obj in objs:
        h.update(canonical(obj).encode())
        h.update(b"\n")
    return h.hexdigest()


@pytest.fixture(scope="module")
def world() -> list[ItemBase | Link]:
    return list(generate(N, seed=42))


def items_of(world: list[ItemBase | Link]) -> list[ItemBase]:
    return [o for o in world if not isinstance(o, Link)]


def test_count_and_links(world: list[ItemBase | Link]) -> None:
    items = items_of(world)
    links = len(world) - len(items)
    assert len(items) == N
    assert 0.6 * N <= links <= 1.6 * N


@pytest.mark.parametrize("n", [0, 1, 5, 100, 333])
def test_exact_item_count(n: int) -> None:
    assert sum(1 for o in generate(n, 1) if not isinstance(o, Link)) == n


def test_deterministic_for_a_seed() -> None:
    assert digest(generate(3000, 7)) == digest(generate(3000, 7))
    assert digest(generate(3000, 7)) != digest(generate(3000, 8))


def test_prefix_of_a_longer_run() -> None:
    short = [canonical(o) for o in generate(500, 3)]
    long = [canonical(o) for o in itertools.islice(generate(5000, 3), len(short))]
    assert short == long


def test_every_item_and_link_valid_and_canonical(world: list[ItemBase | Link]) -> None:
    for obj in world:
        text = canonical(obj)
        again = parse_link(text) if isinstance(obj, Link) else parse_item(text)
        assert canonical(again) == text


def test_references_point_backwards(world: list[ItemBase | Link]) -> None:
    seen: set[str] = set()
    for obj in world:
        if isinstance(obj, Link):
            assert obj.src in seen and obj.dst in seen, obj
            continue
        refs = [
            getattr(obj, name, None)
            for name in ("case_id", "location_id", "holder_id", "network_id",
                         "from_location_id", "to_location_id")
        ]  # fmt: skip
        refs += list(getattr(obj, "participant_ids", []))
        for ref in refs:
            assert ref is None or ref in seen, (obj.id, ref)
        assert obj.id not in seen
        seen.add(obj.id)


def test_all_kinds_and_corridors(world: list[ItemBase | Link]) -> None:
    items = items_of(world)
    kinds = collections.Counter(i.kind for i in items)
    assert set(kinds) == set(KINDS)
    assert kinds["person"] > kinds["organization"]
    areas = {i.area for i in items if i.kind == "organization"}
    for corridor in CORRIDORS:
        assert any(a.startswith(corridor.name) for a in areas), corridor.name
    names = {i.name for i in items if i.kind == "location"}
    for corridor in CORRIDORS:
        assert {p.name for p in corridor.places} <= names
    modes = {i.mode for i in items if i.kind == "route_leg"}
    assert modes == {"land", "sea", "air", "foot", "river"}
    events = {i.event_type for i in items if i.kind == "event"}
    assert events == {"encounter", "interdiction", "crossing", "payment", "communication", "arrest"}
    docs = [i for i in items if i.kind == "document"]
    fraudulent = sum(not d.genuine for d in docs)
    assert 0.1 * len(docs) < fraudulent < 0.6 * len(docs)
    links = {o.link_type for o in world if isinstance(o, Link)}
    assert len(links) >= 10


def test_coordinates_in_range(world: list[ItemBase | Link]) -> None:
    for item in items_of(world):
        if item.kind == "location":
            assert -90 <= item.lat <= 90 and -180 <= item.lon <= 180
            assert round(item.lat, 4) == item.lat and round(item.lon, 4) == item.lon


def test_known_city_coordinates() -> None:
    places = {p.name: p for c in CORRIDORS for p in c.places}
    assert abs(places["El Paso"].lat - 31.76) < 0.05 and abs(places["El Paso"].lon + 106.49) < 0.05
    assert abs(places["Tripoli"].lat - 32.89) < 0.05 and abs(places["Tripoli"].lon - 13.19) < 0.05
    assert abs(places["Vienna"].lat - 48.21) < 0.05 and abs(places["Vienna"].lon - 16.37) < 0.05
    assert abs(places["Havana"].lat - 23.11) < 0.05 and abs(places["Havana"].lon + 82.37) < 0.05


def test_dates_within_the_demo_span(world: list[ItemBase | Link]) -> None:
    for item in items_of(world):
        day = item.primary_date()
        assert 2018 <= day.year <= 2026, item.id
        if item.kind == "event":
            assert 2019 <= item.occurred.year <= 2025


def test_marking_mix(world: list[ItemBase | Link]) -> None:
    items = items_of(world)
    markings = collections.Counter(i.marking for i in items)
    families = {
        "U": lambda m: m == "(U)",
        "FOUO": lambda m: "FOUO" in m,
        "LES": lambda m: "LES" in m,
        "C": lambda m: m.startswith("(C"),
        "S//NF": lambda m: m == "(S//NF)",
        "REL TO": lambda m: "REL TO" in m,
        "SI": lambda m: "SI" in m.split("//")[1] if "//" in m else False,
        "ORCON": lambda m: "OC/" in m,
        "HCS": lambda m: "HCS" in m,
        "TS": lambda m: m.startswith("(TS"),
    }
    for family, test in families.items():
        share = sum(c for m, c in markings.items() if test(m)) / len(items)
        assert share > 0.005, family
    clearance = parse_clearance(DEMO_ACCREDITATION)
    for marking in markings:
        assert parse(marking).portion() == marking
        assert dominates(clearance, parse(marking))


def test_use_restriction_follows_originator(world: list[ItemBase | Link]) -> None:
    items = items_of(world)
    ic = [i for i in items if i.originator in IC_ORIGINATORS]
    other = [i for i in items if i.originator not in IC_ORIGINATORS]
    assert ic and other
    assert sum(i.use_restriction == "leads_only" for i in ic) > 0.7 * len(ic)
    assert all(i.use_restriction == "none" for i in other)


def test_every_demo_marking_parses() -> None:
    for marking in all_portion_markings():
        parse(marking)
    assert set(PORTION_MARKINGS) >= {"CIA", "NSA", "CBP", "ICE-HSI", "EUROPOL", "MEX-FGR"}


def test_vocabulary_has_a_long_tail(world: list[ItemBase | Link]) -> None:
    words: collections.Counter[str] = collections.Counter()
    for item in items_of(world)[:5000]:
        words.update(item.search_text().lower().split())
    counts = sorted(words.values(), reverse=True)
    assert counts[0] > 2000
    assert len(counts) > 5000
    assert sum(1 for c in counts if c == 1) > 1000


def test_invented_people_have_varied_names(world: list[ItemBase | Link]) -> None:
    names = [i.name for i in items_of(world) if i.kind == "person"]
    assert len(set(names)) > 0.8 * len(names)


def test_demo_users_and_accreditation() -> None:
    assert {role for _, role, _ in DEMO_USERS} == {"analyst", "supervisor", "admin",
                                                "disclosure_officer"}
    for name, role, password in DEMO_USERS:
        validate_username(name)
        validate_role(role)
        assert len(password) >= 12
    parse_clearance(DEMO_ACCREDITATION)


def test_trusted_build_equals_validation() -> None:
    sample = next(o for o in generate(200, 5) if isinstance(o, Person))
    data = dict(sample.__dict__)
    assert build(Person, data) == Person.model_construct(**data) == parse_item(item_to_json(sample))


def test_streaming_does_not_keep_items() -> None:
    import tracemalloc

    tracemalloc.start()
    for _ in generate(20_000, 9):
        pass
    _, peak_small = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for _ in generate(60_000, 9):
        pass
    _, peak_large = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak_large < 2 * peak_small + 2_000_000


def test_generation_speed() -> None:
    n = 30_000
    wall, cpu = time.perf_counter(), time.process_time()
    links = 0
    for obj in generate(n, 11):
        canonical(obj)
        links += isinstance(obj, Link)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"\ndemo generation + canonical JSON: {n / wall:,.0f} items/s wall, "
        f"{n / cpu:,.0f} items/s cpu ({n} items, {links} links, {wall:.2f}s)"
    )
