"""Locate the data files shipped in ``resources/`` (marking registry, destinations, icons).

A deployment may point ``HSTC_RESOURCES`` at its own copy to replace the data without touching code.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any


def resources_dir() -> Path:
    """The data folder: the env override, the frozen bundle, the source tree, or the copy an
    installed wheel put under ``<prefix>/share/hstc-desk/resources`` (pyproject data-files)."""
    override = os.environ.get("HSTC_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    source = Path(__file__).resolve().parent.parent / "resources"
    installed = Path(sys.prefix) / "share" / "hstc-desk" / "resources"
    return installed if not source.is_dir() and installed.is_dir() else source


def resource_path(name: str) -> Path:
    """Path of a named resource; raises FileNotFoundError naming it when it is missing."""
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"resource not found: {name} (looked in {resources_dir()})")
    return path


@cache
def load_json(name: str) -> Any:
    """Parse a JSON resource once per process."""
    with resource_path(name).open(encoding="utf-8") as fh:
        return json.load(fh)
