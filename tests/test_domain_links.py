"""Links, ids and users: rules and canonical JSON."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest

from hstc_desk.domain import (
    KIND_PREFIX,
    LINK_ENDPOINTS,
    DomainError,
    kind_of_id,
    link_to_json,
    new_id,
    parse_link,
    validate_role,
    validate_username,
)

PER = "PER-0123456789abcdef"
ORG = "ORG-0123456789abcdef"


def link(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": new_id("link"),
        "link_type": "member_of",
        "src": PER,
        "dst": ORG,
        "marking": "S//REL TO USA, GBR",
        "originator": "GBR-NCA",
        "use_restriction": "none",
        "version": 1,
        "created": "2022-01-01T00:00:00Z",
        "updated": "2022-01-01T00:00:00Z",
    }
    data.update(changes)
    return data


def refused(data: dict[str, Any] | str, where: str) -> str:
    with pytest.raises(DomainError) as info:
        parse_link(data)
    message = str(info.value)
    assert message.startswith(f"{where}:"), message
    return message


def test_link_round_trip_and_canonical_form() -> None:
    parsed = parse_link(link())
    assert parsed.marking == "(S//REL TO USA, GBR)"
    text = link_to_json(parsed)
    assert parse_link(text) == parsed
    obj = json.loads(text)
    assert list(obj) == sorted(obj)
    assert text == json.dumps(obj, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "PER-0123456789abcdef"),
        ("id", "LNK-xyz"),
        ("link_type", "likes"),
        ("src", "PER-1"),
        ("dst", "LNK-0123456789abcdef"),
        ("dst", PER),
        ("marking", "(S//NF//REL TO USA, GBR)"),
        ("originator", "nca"),
        ("use_restriction", "prosecution"),
        ("version", 0),
        ("created", "2022-01-01T00:00:00"),
        ("updated", "2021-12-31T00:00:00Z"),
        ("colour", "blue"),
    ],
)
def test_link_field_rules(field: str, value: Any) -> None:
    refused(link(**{field: value}), f"link.{field}")


def test_link_endpoint_kinds() -> None:
    message = refused(link(link_type="holds_document", dst=ORG), "link.dst")
    assert "holds_document" in message
    refused(link(link_type="employs"), "link.src")
    assert parse_link(link(link_type="employs", src=ORG, dst=PER)).link_type == "employs"
    assert set(LINK_ENDPOINTS) == {
        "member_of", "leads", "associated_with", "travelled_on", "holds_document", "reported_in",
        "part_of_case", "located_at", "participated_in", "financed", "communicated_with",
        "employs",
    }  # fmt: skip


def test_link_bad_json() -> None:
    refused("{", "json")


@pytest.mark.parametrize("kind", [*KIND_PREFIX])
def test_new_id_shape(kind: str) -> None:
    value = new_id(kind)
    assert re.fullmatch(rf"{KIND_PREFIX[kind]}-[0-9a-f]{{16}}", value)
    assert kind_of_id(value) == kind
    assert new_id(kind) != value


def test_new_id_deterministic_with_rng_and_refuses_unknown_kind() -> None:
    assert new_id("person", random.Random(5)) == new_id("person", random.Random(5))
    with pytest.raises(ValueError, match="kind"):
        new_id("vehicle")
    assert kind_of_id("XYZ-0123456789abcdef") is None


@pytest.mark.parametrize("name", ["ab", "analyst", "j.smith-2", "a" * 32, "0.9"])
def test_valid_usernames(name: str) -> None:
    assert validate_username(name) == name


@pytest.mark.parametrize("name", ["a", "a" * 33, "Analyst", "j smith", "j_smith", "", "é1"])
def test_invalid_usernames(name: str) -> None:
    with pytest.raises(DomainError, match=r"^username:"):
        validate_username(name)


def test_roles() -> None:
    for role in ("analyst", "supervisor", "admin"):
        assert validate_role(role) == role
    with pytest.raises(DomainError, match=r"^role:"):
        validate_role("root")
