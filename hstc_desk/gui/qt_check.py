"""A start-up check for a PySide6 build that drops references to None, True and False.

PySide6 6.12.0 on CPython 3.11 returns None from void methods, and True from
``SignalInstance.emit()``, without taking a reference. On 3.12+ those objects are immortal and
nothing happens; on 3.11 every call costs one reference, and a long session aborts with
"none_dealloc: deallocating None". ``hstc-desk`` refuses to start on such a build, with the fix.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject


def refcount_bug() -> bool:
    """True when this PySide6 steals references to None (checked on a harmless void call)."""
    if sys.version_info >= (3, 12):
        return False  # None, True and False are immortal
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(20):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost > 0:  # give back what the probe took
        import ctypes

        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return lost >= 20


def problem() -> str:
    if not refcount_bug():
        return ""
    return (f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} mishandles "
            "references to None and would crash HSTC Desk. Install PySide6-Essentials < 6.12 "
            "(pip install 'PySide6-Essentials<6.12'), or run on Python 3.12 or newer.")
