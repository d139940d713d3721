"""What this copy of HSTC Desk is and what it runs on: the version, the build id, and the versions
of SQLCipher, SQLite, Qt and Python (``hstc --version`` and Help > About print the same lines).

A built bundle carries ``resources/build-info.json``, written by ``packaging/build_info.py`` when
``make dist`` runs (the commit it was built from, the build time, the Qt it bundles). From a source
tree the build id says so. Nothing here imports Qt: the Qt version comes from the build record or
from the installed PySide6 package's metadata.
"""

from __future__ import annotations

import json
import platform
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlcipher3

from hstc_desk import __version__
from hstc_desk.resources import resources_dir

BUILD_INFO = "build-info.json"
QT_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6")


@cache
def build_record() -> dict[str, Any]:
    """The build record of a bundle, or {} in a source tree (or when it is unreadable)."""
    try:
        data = json.loads((resources_dir() / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _git_head(root: Path) -> str:
    """The commit a source tree is at, read from .git without running git; "" when unknown."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="ascii").strip()
        if head.startswith("ref: "):
            ref = head[5:]
            loose = git / ref
            if loose.is_file():
                return loose.read_text(encoding="ascii").strip()[:12]
            for line in (git / "packed-refs").read_text(encoding="ascii").splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0][:12]
            return ""
        return head[:12]
    except (OSError, UnicodeDecodeError):
        return ""


def build_id() -> str:
    record = build_record()
    if record.get("build_id"):
        return str(record["build_id"])
    head = _git_head(Path(__file__).resolve().parent.parent)
    return f"source tree{' at ' + head if head else ''}"


def qt_version() -> str:
    record = build_record()
    if record.get("qt"):
        return str(record["qt"])
    for name in QT_DISTRIBUTIONS:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def engine_versions() -> tuple[str, str]:
    """(SQLCipher, SQLite) of the sqlcipher3 engine, from a throwaway in-memory database."""
    conn = sqlcipher3.connect(":memory:")
    try:
        cipher = conn.execute("PRAGMA cipher_version").fetchone()
        sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        conn.close()
    return (str(cipher[0]) if cipher else "unknown"), str(sqlite)


def versions() -> list[tuple[str, str]]:
    """(component, version) pairs, in the order they are printed."""
    cipher, sqlite = engine_versions()
    return [("HSTC Desk", __version__), ("Build", build_id()), ("SQLCipher", cipher),
            ("SQLite", sqlite), ("Qt", qt_version()),
            ("Python", f"{platform.python_version()} ({platform.machine()})")]


def version_text() -> str:
    pairs = versions()
    width = max(len(k) for k, _ in pairs)
    return "\n".join(f"{k + ':':<{width + 1}} {v}" for k, v in pairs)
