"""Long work off the GUI thread: one helper, with progress and cancel.

The work function runs on a QThreadPool thread and reports through a ``TaskContext``; results,
progress and errors come back as queued signals, so no widget is touched from the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a work function when the user cancelled it."""


class TaskContext:
    """What a work function gets: ``progress(done, total)`` and ``check()`` (raises Cancelled)."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, done: int, total: int) -> None:
        self.check()
        self._signals.progress.emit(done, total)

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class TaskSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    def __init__(self, fn: Callable[[TaskContext], Any]) -> None:
        super().__init__()
        self.signals = TaskSignals()
        self.context = TaskContext(self.signals)
        self._fn = fn
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._fn(self.context)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # reported to the GUI, never lost
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(result)


_running: set[Task] = set()


def run_task(fn: Callable[[TaskContext], Any], *, on_done: Callable[[Any], None],
             on_error: Callable[[str], None] | None = None,
             on_progress: Callable[[int, int], None] | None = None,
             on_cancel: Callable[[], None] | None = None) -> Task:
    """Start ``fn(context)`` on the pool; callbacks run on the GUI thread."""
    task = Task(fn)
    _running.add(task)

    def _end(*_: object) -> None:
        _running.discard(task)

    task.signals.finished.connect(on_done)
    task.signals.finished.connect(_end)
    task.signals.failed.connect(on_error or (lambda _msg: None))
    task.signals.failed.connect(_end)
    task.signals.cancelled.connect(on_cancel or (lambda: None))
    task.signals.cancelled.connect(_end)
    if on_progress:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)
    return task


def wait_all(msecs: int = 10000) -> bool:
    return QThreadPool.globalInstance().waitForDone(msecs)
