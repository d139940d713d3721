"""Demo users and the accreditation of the demo store (for trying the desk, never for real data)."""

from __future__ import annotations

from typing import Final

from hstc_desk.domain.users import Role

DEMO_USERS: Final[list[tuple[str, Role, str]]] = [
    ("analyst", "analyst", "analyst-demo-pass"),
    ("supervisor", "supervisor", "supervisor-demo-pass"),
    ("admin", "admin", "admin-demo-pass"),
    ("officer", "disclosure_officer", "officer-demo-pass"),  # approves foreign releases
]
"""(username, role, password) of each demo user."""

DEMO_ACCREDITATION: Final = "TS//HCS/SI/TK"
"""System-high accreditation of a demo store; it dominates every demo marking."""
