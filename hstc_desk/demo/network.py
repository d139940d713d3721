"""What the demo generator remembers of one network (a few ids, never its items)."""

from __future__ import annotations

from hstc_desk.demo.geography import Corridor


class NetworkState:
    """One network: its ids, route, case, and bounded pools of members and recent items."""

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

    id: str
    name: str
    corridor: Corridor
    route: tuple[int, ...]
    org_type: str
    nationality: str
    countries: list[str]
    case_id: str
    leader: str
    span: tuple[int, int]  # (start, length) in POSIX seconds

    def __init__(self) -> None:
        self.members: list[tuple[str, str, str]] = []  # (id, name, role), bounded
        self.recent: list[str] = []  # recent item ids, bounded
        self.safe_house: str | None = None
