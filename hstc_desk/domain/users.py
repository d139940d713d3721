"""Users of a workstation: names and roles."""

from __future__ import annotations

import re
from typing import Final, Literal, get_args

from hstc_desk.domain.errors import DomainError

Role = Literal["analyst", "supervisor", "admin", "disclosure_officer"]
ROLES: Final[tuple[Role, ...]] = get_args(Role)

_USERNAME: Final = re.compile(r"[a-z0-9.-]{2,32}")


def validate_username(name: str) -> str:
    """Return `name` if it is 2..32 lowercase letters, digits, dots or dashes; else DomainError."""
    if not isinstance(name, str) or not _USERNAME.fullmatch(name):
        raise DomainError(
            f"username: {name!r} must be 2 to 32 lowercase letters, digits, dots or dashes"
        )
    return name


def validate_role(role: str) -> Role:
    """Return `role` if it is one of ROLES; else DomainError."""
    if role not in ROLES:
        raise DomainError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value]
