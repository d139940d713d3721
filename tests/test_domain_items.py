"""Domain items: every field rule refuses bad input with a DomainError naming the field."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from hstc_desk.domain import (
    ITEM_CLASSES,
    KINDS,
    DomainError,
    item_to_json,
    new_id,
    parse_item,
    revise,
)

T0 = "2021-03-04T05:06:07Z"
T1 = "2021-03-05T05:06:07Z"


def common(kind: str) -> dict[str, Any]:
    return {
        "id": new_id(kind),
        "kind": kind,
        "title": f"A {kind}",
        "marking": "(S//NF)",
        "portions": [
            {"marking": "(S//NF)", "text": "Secret paragraph."},
            {"marking": "(U//FOUO)", "text": "Unclassified paragraph."},
        ],
        "originator": "ICE-HSI",
        "use_restriction": "none",
        "version": 1,
        "created": T0,
        "updated": T1,
        "case_id": None,
    }


OWN: dict[str, dict[str, Any]] = {
    "person": {
        "name": "Ardo Varillas Mendez",
        "aliases": ["El Flaco"],
        "birth_year": 1980,
        "nationality": "HND",
        "role": "smuggler",
    },
    "organization": {
        "name": "Quinado network",
        "org_type": "smuggling_network",
        "area": "Central America",
        "countries": ["HND", "MEX"],
    },
    "location": {
        "name": "Reynosa",
        "country": "MEX",
        "lat": 26.0508,
        "lon": -98.2979,
        "loc_type": "city",
    },
    "document": {
        "doc_type": "passport",
        "number": "F1234567",
        "issuing_country": "HND",
        "holder_id": None,
        "genuine": False,
        "fraud_type": "counterfeit",
    },
    "event": {
        "event_type": "payment",
        "occurred": "2021-02-01T00:00:00Z",
        "location_id": None,
        "participant_ids": [],
        "amount_usd": 3500.0,
    },
    "route_leg": {
        "from_location_id": "LOC-0000000000000001",
        "to_location_id": "LOC-0000000000000002",
        "mode": "river",
        "start": "2021-02-01T00:00:00Z",
        "end": "2021-02-01T03:00:00Z",
        "network_id": None,
    },
    "report": {
        "originating_agency": "GBR-NCA",
        "date_of_information": "2021-01-15",
        "reliability": "B",
        "credibility": 2,
        "report_number": "NCA-2021-000123",
    },
    "case": {
        "name": "Operation Quiet Heron",
        "status": "open",
        "opened": "2020-11-01",
        "lead_agency": "ICE-HSI",
    },
}


def valid(kind: str, /, **changes: Any) -> dict[str, Any]:
    data = {**common(kind), **OWN[kind]}
    data.update(changes)
    return data


def refused(data: dict[str, Any] | str, where: str) -> str:
    with pytest.raises(DomainError) as info:
        parse_item(data)
    message = str(info.value)
    assert message.startswith(where), message
    assert message[len(where)] in ":.[", message
    return message


@pytest.mark.parametrize("kind", KINDS)
def test_valid_item_of_every_kind_round_trips(kind: str) -> None:
    item = parse_item(valid(kind))
    assert item.kind == kind
    assert isinstance(item, ITEM_CLASSES[kind])
    text = item_to_json(item)
    assert parse_item(text) == item
    assert item_to_json(parse_item(text)) == text
    assert parse_item(json.loads(text)) == item


def test_canonical_json_sorted_compact_utc() -> None:
    data = valid("person", created="2021-03-04T07:06:07+02:00", updated=T1)
    text = item_to_json(parse_item(data))
    obj = json.loads(text)
    assert list(obj) == sorted(obj)
    assert text == json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert obj["created"] == "2021-03-04T05:06:07Z"
    assert obj["marking"] == "(S//NF)"


def test_canonical_json_same_for_equal_content() -> None:
    data = valid("event")
    a = parse_item(data)
    shuffled = dict(reversed(list(data.items())))
    shuffled["occurred"] = datetime(2021, 2, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    b = parse_item(shuffled)
    assert item_to_json(a) == item_to_json(b)


def test_marking_is_normalised_to_canonical_portion_form() -> None:
    item = parse_item(valid("person", marking="SECRET//NOFORN"))
    assert item.marking == "(S//NF)"
    item = parse_item(valid("person", portions=[{"marking": "S//NOFORN", "text": "x"}]))
    assert item.portions[0].marking == "(S//NF)"


def test_datetimes_become_utc_and_dates_stay_dates() -> None:
    item = parse_item(valid("report", created=datetime(2021, 3, 4, 5, tzinfo=UTC)))
    assert item.created.tzinfo is UTC
    assert item.date_of_information == date(2021, 1, 15)


# -- every common field rule ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "PER-123"),
        ("id", "per-0123456789abcdef"),
        ("id", "XYZ-0123456789abcdef"),
        ("id", "PER-0123456789ABCDEF"),
        ("title", ""),
        ("title", "   "),
        ("title", "x" * 301),
        ("title", 5),
        ("marking", "SECRET//BOGUS"),
        ("marking", "(U//OC)"),
        ("marking", ""),
        ("originator", "cbp"),
        ("originator", ""),
        ("use_restriction", "court"),
        ("version", 0),
        ("version", "1"),
        ("version", True),
        ("created", "2021-03-04T05:06:07"),
        ("created", datetime(2021, 3, 4, 5, 6, 7)),
        ("created", date(2021, 3, 4)),
        ("created", 1614834367),
        ("created", "not a date"),
        ("updated", "2021-03-03T05:06:07Z"),
        ("case_id", "ORG-0123456789abcdef"),
        ("case_id", "CAS-1"),
        ("portions", "text"),
        ("portions", [{"marking": "(S)", "text": "x", "extra": 1}]),
    ],
)
def test_common_field_rules(kind: str, field: str, value: Any) -> None:
    refused(valid(kind, **{field: value}), f"{kind}.{field}")


@pytest.mark.parametrize("kind", KINDS)
def test_id_prefix_must_match_kind(kind: str) -> None:
    other = "case" if kind != "case" else "person"
    message = refused(valid(kind, id=new_id(other)), f"{kind}.id")
    assert "starts with" in message


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_field_is_named(kind: str) -> None:
    message = refused(valid(kind, colour="red"), f"{kind}.colour")
    assert "Extra inputs" in message


@pytest.mark.parametrize("kind", KINDS)
def test_missing_field_is_named(kind: str) -> None:
    data = valid(kind)
    del data["originator"]
    refused(data, f"{kind}.originator")


def test_portion_field_errors_name_the_portion() -> None:
    refused(
        valid("person", portions=[{"marking": "BOGUS", "text": "x"}]), "person.portions[0].marking"
    )
    refused(valid("person", portions=[{"marking": "(U)", "text": ""}]), "person.portions[0].text")
    refused(valid("person", portions=[{"marking": "(U)"}]), "person.portions[0].text")


def test_marking_below_a_portion_is_refused_naming_marking_and_portion() -> None:
    data = valid(
        "person",
        marking="(C)",
        portions=[{"marking": "(U)", "text": "a"}, {"marking": "(S//NF)", "text": "b"}],
    )
    message = refused(data, "person.marking")
    assert "portion 1" in message
    assert "(S//NF)" in message


@pytest.mark.parametrize(
    ("marking", "portions"),
    [
        ("(U)", ["(U//FOUO)"]),
        ("(S)", ["(S//OC)"]),
        ("(S//REL TO USA, GBR)", ["(S//NF)"]),
        ("(S//REL TO USA, GBR)", ["(S//REL TO USA, MEX)"]),
        ("(TS//SI//NF)", ["(TS//HCS/SI//NF)"]),
        ("(U)", ["(U//LES)"]),
    ],
)
def test_marking_never_below_its_portions(marking: str, portions: list[str]) -> None:
    data = valid(
        "person", marking=marking, portions=[{"marking": p, "text": "t"} for p in portions]
    )
    refused(data, "person.marking")


@pytest.mark.parametrize(
    ("marking", "portions"),
    [
        ("(S//NF)", ["(U)", "(U//FOUO)", "(C//NF)"]),
        ("(TS//HCS/SI//OC/NF)", ["(S//SI//NF)"]),
        ("(S//REL TO USA, FVEY)", ["(S//REL TO USA, FVEY)"]),
        ("(S//REL TO USA, GBR)", ["(S//REL TO USA, FVEY)"]),
        ("(S//NF)", []),
        ("(U//FOUO)", ["(U)", "(U//FOUO)"]),
    ],
)
def test_marking_at_or_above_its_portions_is_accepted(marking: str, portions: list[str]) -> None:
    data = valid(
        "person", marking=marking, portions=[{"marking": p, "text": "t"} for p in portions]
    )
    assert parse_item(data).marking


# -- kind-specific field rules ----------------------------------------------------------------

KIND_CASES = [
    ("person", "name", ""),
    ("person", "name", None),
    ("person", "aliases", "El Flaco"),
    ("person", "aliases", [""]),
    ("person", "birth_year", 1850),
    ("person", "birth_year", "1980"),
    ("person", "nationality", "HN"),
    ("person", "nationality", "hnd"),
    ("person", "role", "boss"),
    ("organization", "name", ""),
    ("organization", "org_type", "gang"),
    ("organization", "countries", ["MX"]),
    ("organization", "area", 7),
    ("location", "name", ""),
    ("location", "country", "Mexico"),
    ("location", "lat", 90.5),
    ("location", "lat", -91),
    ("location", "lat", "26.0"),
    ("location", "lon", 180.01),
    ("location", "lon", -181),
    ("location", "loc_type", "village"),
    ("document", "doc_type", "license"),
    ("document", "number", ""),
    ("document", "issuing_country", "H"),
    ("document", "holder_id", "ORG-0123456789abcdef"),
    ("document", "genuine", "no"),
    ("document", "fraud_type", "none"),
    ("document", "fraud_type", "photocopied"),
    ("event", "event_type", "meeting"),
    ("event", "occurred", "2021-02-01"),
    ("event", "location_id", "PER-0123456789abcdef"),
    ("event", "participant_ids", ["LNK-0123456789abcdef"]),
    ("event", "participant_ids", "PER-0123456789abcdef"),
    ("event", "amount_usd", -1.0),
    ("event", "amount_usd", "100"),
    ("route_leg", "from_location_id", "PER-0123456789abcdef"),
    ("route_leg", "to_location_id", None),
    ("route_leg", "mode", "teleport"),
    ("route_leg", "start", "yesterday"),
    ("route_leg", "end", "2021-01-31T23:59:59Z"),
    ("route_leg", "network_id", "PER-0123456789abcdef"),
    ("report", "originating_agency", "mi6 "),
    ("report", "date_of_information", "2021-13-01"),
    ("report", "date_of_information", "2021-01-15T00:00:00Z"),
    ("report", "reliability", "G"),
    ("report", "reliability", "a"),
    ("report", "credibility", 0),
    ("report", "credibility", 7),
    ("report", "report_number", ""),
    ("case", "name", ""),
    ("case", "status", "pending"),
    ("case", "opened", "yesterday"),
    ("case", "lead_agency", ""),
]


@pytest.mark.parametrize(("kind", "field", "value"), KIND_CASES)
def test_kind_field_rules(kind: str, field: str, value: Any) -> None:
    refused(valid(kind, **{field: value}), f"{kind}.{field}")


def test_genuine_document_cannot_have_a_fraud_type() -> None:
    message = refused(valid("document", genuine=True, fraud_type="forged"), "document.fraud_type")
    assert "genuine" in message
    assert parse_item(valid("document", genuine=True, fraud_type="none")).genuine


def test_amount_only_on_payments() -> None:
    refused(valid("event", event_type="arrest", amount_usd=10.0), "event.amount_usd")
    assert parse_item(valid("event", event_type="arrest", amount_usd=None)).amount_usd is None


def test_route_leg_end_may_equal_start() -> None:
    leg = parse_item(valid("route_leg", end="2021-02-01T00:00:00Z"))
    assert leg.end == leg.start


# -- union, JSON and error shape --------------------------------------------------------------


def test_unknown_or_missing_kind() -> None:
    refused(valid("person", kind="vehicle"), "kind")
    data = valid("person")
    del data["kind"]
    refused(data, "kind")


def test_bad_json_and_non_objects() -> None:
    refused("{not json", "json")
    refused("[1, 2]", "kind")
    with pytest.raises(DomainError):
        parse_item([1, 2])  # type: ignore[arg-type]


def test_several_errors_are_all_reported() -> None:
    message = refused(valid("person", nationality="x", role="boss"), "person.nationality")
    assert "person.role:" in message


def test_domain_error_is_a_value_error() -> None:
    assert issubclass(DomainError, ValueError)


# -- behaviour --------------------------------------------------------------------------------


def test_search_text_and_primary_date() -> None:
    person = parse_item(valid("person"))
    text = person.search_text()
    for word in ("A person", "Secret paragraph.", "Ardo Varillas Mendez", "El Flaco", "HND"):
        assert word in text
    assert person.primary_date() == person.created
    document = parse_item(valid("document"))
    assert "F1234567" in document.search_text()
    report = parse_item(valid("report"))
    assert "NCA-2021-000123" in report.search_text() and "GBR-NCA" in report.search_text()
    assert report.primary_date() == datetime(2021, 1, 15, tzinfo=UTC)
    event = parse_item(valid("event"))
    assert event.primary_date() == datetime(2021, 2, 1, tzinfo=UTC)
    leg = parse_item(valid("route_leg"))
    assert leg.primary_date() == leg.start
    case = parse_item(valid("case"))
    assert case.primary_date() == datetime(2020, 11, 1, tzinfo=UTC)
    assert "Operation Quiet Heron" in case.search_text()
    for kind in KINDS:
        assert parse_item(valid(kind)).summary()


def test_items_are_immutable_and_revise_validates() -> None:
    person = parse_item(valid("person"))
    with pytest.raises(ValueError):
        person.name = "Other"  # type: ignore[misc]
    later = datetime(2022, 1, 1, tzinfo=UTC)
    second = revise(person, updated=later, name="Other Name")
    assert second.version == 2 and second.name == "Other Name" and second.updated == later
    assert second.created == person.created
    with pytest.raises(DomainError, match=r"person\.nationality"):
        revise(person, updated=later, nationality="x")
    with pytest.raises(DomainError, match=r"person\.version"):
        revise(person, updated=later, version=9)


def test_an_event_known_roughly_is_a_window_and_old_events_keep_their_bytes() -> None:
    from datetime import UTC, datetime

    from hstc_desk.demo import generate
    from hstc_desk.domain import DomainError, item_to_json, parse_item
    from hstc_desk.domain.events import Event

    event = next(i for i in generate(400, 3) if isinstance(i, Event)
                 and i.occurred_latest is None)
    text = item_to_json(event)
    assert "occurred_latest" not in text  # unset: left out, so old bodies keep their bytes
    assert item_to_json(parse_item(text)) == text
    march = event.model_copy(update={"occurred": datetime(2023, 3, 1, tzinfo=UTC),
                                      "occurred_latest": datetime(2023, 3, 31, 23, 59, 59,
                                                                  tzinfo=UTC)})
    again = parse_item(item_to_json(march))
    assert again.occurred_latest == datetime(2023, 3, 31, 23, 59, 59, tzinfo=UTC)
    bad = item_to_json(march).replace('"occurred_latest":"2023-03-31T23:59:59Z"',
                                      '"occurred_latest":"2023-02-01T00:00:00Z"')
    import pytest

    with pytest.raises(DomainError, match="before the earliest"):
        parse_item(bad)
