"""Export onto removable media: a full disk and media that do not give back what was written
both fail clearly, leave no bundle behind and record nothing; the read-back reads the media."""

from __future__ import annotations

import errno
import gc
import os
import threading
from pathlib import Path

import pytest

from hstc_desk import atomic
from hstc_desk.bulk import collector_paused
from hstc_desk.exchange import writer
from hstc_desk.exchange.errors import ExchangeError
from hstc_desk.exchange.flows import ExportFlow, ExportState
from hstc_desk.exchange.selection import plan

from exchange_helpers import audit_actions, new_store


def _exports(store) -> int:  # type: ignore[no-untyped-def]
    return store.conn.execute("SELECT count(*) FROM exports").fetchone()[0]


def test_full_media_fails_clearly_and_keeps_the_old_bundle(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = new_store(tmp_path / "a", items=40)
    media = tmp_path / "media"
    media.mkdir()
    out = media / "usa.bundle"
    out.write_bytes(b"the bundle written last week")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    flow = ExportFlow(store)
    assert flow.preview("USA")
    assert not flow.run(str(out))
    assert flow.state == ExportState.FAILED
    assert flow.error == f"Export failed: cannot write to {media}: No space left on device"
    assert "media may be removed" not in flow.message
    assert out.read_bytes() == b"the bundle written last week"
    assert sorted(p.name for p in media.iterdir()) == ["usa.bundle"]  # no temp file left
    assert _exports(store) == 0 and audit_actions(store, "exchange.export") == 0
    monkeypatch.undo()
    assert flow.run(str(out)) and flow.state == ExportState.DONE
    assert flow.result is not None and flow.result.info.sequence == 1  # nothing was used up


def test_media_that_give_back_other_bytes_fail_and_the_bundle_is_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = new_store(tmp_path / "a", items=40)
    out = tmp_path / "usa.bundle"
    real = atomic.read_back

    def flaky(path: Path) -> bytes:
        data = bytearray(real(path))
        data[len(data) // 2] ^= 0x04  # one bit the stick lost
        return bytes(data)

    monkeypatch.setattr(writer, "read_back", flaky)
    with pytest.raises(ExchangeError, match=r"read-back verification failed.*do not use this "
                                            r"media"):
        writer.export(store, plan(store, "USA"), out)
    assert not out.exists()
    assert _exports(store) == 0 and audit_actions(store, "exchange.export") == 0


def test_read_back_drops_the_cached_pages_first(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int, int]] = []
    real = os.posix_fadvise

    def spy(fd: int, offset: int, length: int, advice: int) -> None:
        asked.append((offset, length, advice))
        real(fd, offset, length, advice)

    monkeypatch.setattr(atomic.os, "posix_fadvise", spy)
    path = tmp_path / "f.bin"
    atomic.atomic_write(path, b"x" * 100_000)
    assert atomic.read_back(path) == b"x" * 100_000
    assert asked == [(0, 0, os.POSIX_FADV_DONTNEED)]


def test_collector_paused_nests_across_threads_and_resumes() -> None:
    assert gc.isenabled()
    inner_saw: list[bool] = []

    def worker() -> None:
        with collector_paused():
            inner_saw.append(gc.isenabled())

    with collector_paused():
        assert not gc.isenabled()
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert not gc.isenabled()  # the worker's pause ending did not resume it early
    assert inner_saw == [False] and gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed import")
    assert gc.isenabled()


def test_a_missing_folder_is_named_not_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "pulled-out" / "usa.bundle"
    with pytest.raises(FileNotFoundError) as info:
        atomic.atomic_write(target, b"bundle")
    assert info.value.filename == str(target)
    store = new_store(tmp_path / "a", items=10)
    flow = ExportFlow(store)
    assert flow.preview("USA") and not flow.run(str(target))
    assert flow.error == (f"Export failed: cannot write to {target.parent}: "
                          "No such file or directory")
