"""Icons are SVG files in resources/icons, looked up by name; an unknown name is an error."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from hstc_desk.resources import resources_dir


def icon_path(name: str) -> str:
    path = resources_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"no icon named {name!r} (looked for {path})")
    return str(path)


@cache
def get_icon(name: str) -> QIcon:
    return QIcon(icon_path(name))
