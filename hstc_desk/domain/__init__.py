"""Domain model: case items, links, users, and their rules (pydantic v2, no Qt)."""

from hstc_desk.domain.agencies import AGENCIES, IC_ORIGINATORS, is_ic_originator
from hstc_desk.domain.documents import DocType, Document, FraudType
from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.events import Event, EventType
from hstc_desk.domain.ids import KIND_PREFIX, KINDS, Kind, kind_of_id, new_id
from hstc_desk.domain.item import (
    ITEM_CLASSES,
    Item,
    item_to_bytes,
    item_to_json,
    parse_item,
    revise,
)
from hstc_desk.domain.item_base import ItemBase, Portion
from hstc_desk.domain.links import LINK_ENDPOINTS, Link, LinkType, link_to_json, parse_link
from hstc_desk.domain.people import Organization, OrgType, Person, PersonRole
from hstc_desk.domain.places import Location, LocationType, RouteLeg, TravelMode
from hstc_desk.domain.reporting import Case, CaseStatus, Reliability, Report
from hstc_desk.domain.users import ROLES, Role, validate_role, validate_username

__all__ = [
    "AGENCIES",
    "IC_ORIGINATORS",
    "ITEM_CLASSES",
    "KINDS",
    "KIND_PREFIX",
    "LINK_ENDPOINTS",
    "ROLES",
    "Case",
    "CaseStatus",
    "DocType",
    "Document",
    "DomainError",
    "Event",
    "EventType",
    "FraudType",
    "Item",
    "ItemBase",
    "Kind",
    "Link",
    "LinkType",
    "Location",
    "LocationType",
    "OrgType",
    "Organization",
    "Person",
    "PersonRole",
    "Portion",
    "Reliability",
    "Report",
    "Role",
    "RouteLeg",
    "TravelMode",
    "is_ic_originator",
    "item_to_bytes",
    "item_to_json",
    "kind_of_id",
    "link_to_json",
    "new_id",
    "parse_item",
    "parse_link",
    "revise",
    "validate_role",
    "validate_username",
]
