"""The one error type of the domain layer and its message built from pydantic's errors."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError


class DomainError(ValueError):
    """Input that breaks a rule of the domain; the message names the offending field first."""


def _loc_text(loc: Sequence[str | int], prefix: str) -> str:
    parts: list[str] = [prefix] if prefix else []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts).replace(".[", "[")


def _message(err: dict[str, object]) -> str:
    if err.get("type") == "value_error":
        ctx = err.get("ctx")
        if isinstance(ctx, dict) and "error" in ctx:
            return str(ctx["error"])
    return str(err.get("msg", "invalid"))


def domain_error(exc: ValidationError, prefix: str = "", root: str = "kind") -> DomainError:
    """Turn a pydantic ValidationError into a DomainError such as "person.nationality: ...".

    `prefix` names the model when the location does not (a single model rather than a union);
    `root` names what an error without any location is about (the discriminator, for items).
    """
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        kind = err.get("type")
        if kind == "json_invalid":
            where = "json"
        elif not loc and kind in ("union_tag_not_found", "union_tag_invalid"):
            where = "kind"
        elif not loc:
            where = prefix or root
        else:
            where = _loc_text(loc, prefix)
        lines.append(f"{where}: {_message(err)}")
    return DomainError("; ".join(lines) if lines else "invalid input")
