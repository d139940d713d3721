"""Canonical JSON of domain models: sorted keys, no whitespace, UTC ISO timestamps, UTF-8.

Content digests and signatures hash this form, so it depends only on the values held.
"""

from __future__ import annotations

from functools import cache

import pydantic_core
from pydantic import BaseModel


@cache
def _sorted_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(sorted(cls.model_fields))


@cache
def _omit_none(cls: type[BaseModel]) -> frozenset[str]:
    """Fields a model added after its first release: left out while unset, so what was written
    before they existed keeps its canonical bytes (``CANONICAL_OMIT_NONE`` on the model)."""
    return frozenset(getattr(cls, "CANONICAL_OMIT_NONE", ()))


def canonical_dict(model: BaseModel) -> dict[str, object]:
    """The model's fields as a dict in sorted key order (values are still Python objects)."""
    values = model.__dict__
    omit = _omit_none(type(model))
    if not omit:
        return {name: values[name] for name in _sorted_fields(type(model))}
    return {name: values[name] for name in _sorted_fields(type(model))
            if not (name in omit and values[name] is None)}


def canonical_bytes(model: BaseModel) -> bytes:
    """The canonical JSON of a model, as UTF-8 bytes (what hashes and signatures cover)."""
    return pydantic_core.to_json(canonical_dict(model))


def canonical_json(model: BaseModel) -> str:
    """The canonical JSON of a model, as text."""
    return canonical_bytes(model).decode("utf-8")
