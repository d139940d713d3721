"""Every input a command reads (bundle, key file, password file) is a regular file, opened
without blocking and read up to its limit, never further; a bad input exits 1 with a sentence."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from time_limit import time_limit

from hstc_desk.cli import main
from hstc_desk.inputs import InputError, read_regular_file

from conftest import ADMIN, ADMIN_PW, make_store, store_bytes
from exchange_helpers import new_store, trust_pair

FP = "0" * 64

# What each special file is called in the refusal.
KINDS = {"fifo": "a named pipe (FIFO)", "dev_zero": "a character device", "folder": "a folder",
         "socket": "a socket"}


@pytest.fixture
def specials(tmp_path: Path) -> Iterator[dict[str, str]]:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    short = tempfile.mkdtemp(prefix="hstc-sock-", dir="/tmp")  # AF_UNIX paths are short
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.path.join(short, "s"))
    try:
        yield {"fifo": str(tmp_path / "fifo"), "dev_zero": "/dev/zero",
               "folder": str(tmp_path / "folder"), "socket": os.path.join(short, "s")}
    finally:
        sock.close()
        shutil.rmtree(short, ignore_errors=True)


@pytest.fixture
def as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSTC_USER", ADMIN)
    monkeypatch.setenv("HSTC_PASSWORD", ADMIN_PW)


def _argv(command: str, store: str, path: str) -> list[str]:
    return {
        "import": ["import", store, path],
        "verify": ["verify", path, "--store", store],
        "keys trust": ["keys", "trust", store, path, "--fingerprint", FP],
        "password file": ["stats", store, "--password-file", path],
    }[command]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    start = time.perf_counter()
    with time_limit(10):  # a FIFO used to block for ever: fail the test instead
        rc = main(argv)
    return rc, capsys.readouterr().err, time.perf_counter() - start


@pytest.mark.parametrize("command", ["import", "verify", "keys trust", "password file"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_special_files_are_refused_quickly_with_exit_1(
        empty_store: Path, specials: dict[str, str], as_admin: None, kind: str, command: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = store_bytes(empty_store)
    rc, err, took = _run(_argv(command, str(empty_store), specials[kind]), capsys)
    assert rc == 1, err
    assert f"is {KINDS[kind]}, not a regular file; refused unread" in err
    assert specials[kind] in err and "Traceback" not in err and took < 2.0
    assert store_bytes(empty_store) == before


def test_oversized_inputs_exit_1_unread(empty_store: Path, tmp_path: Path, as_admin: None,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.bundle"
    with big.open("wb") as fh:  # 1.1 GiB, sparse: nothing is really on disk
        fh.truncate(int(1.1 * (1 << 30)))
    key, pw = tmp_path / "big.pub", tmp_path / "big.pw"
    key.write_bytes(b"k" * 4097)
    pw.write_bytes(b"p" * 4097)
    for command, path in (("import", big), ("verify", big), ("keys trust", key),
                          ("password file", pw)):
        rc, err, took = _run(_argv(command, str(empty_store), str(path)), capsys)
        assert rc == 1, (command, err)
        assert "larger than the limit" in err and "refused unread" in err, err
        assert took < 2.0, (command, took)


def test_bad_password_file_text_is_bad_input_and_a_symlink_to_a_file_is_read(
        empty_store: Path, tmp_path: Path, as_admin: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "pw"
    bad.write_bytes(b"p\xff\xfe")
    rc, err, _ = _run(["stats", str(empty_store), "--password-file", str(bad)], capsys)
    assert rc == 1 and "is not UTF-8 text" in err
    good = tmp_path / "pw-good"
    good.write_text(ADMIN_PW + "\n")
    (tmp_path / "pw-link").symlink_to(good)
    rc, err, _ = _run(["stats", str(empty_store), "--password-file", str(tmp_path / "pw-link")],
                      capsys)
    assert rc == 0, err


def test_reads_stop_at_the_limit(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x" * 100)
    assert read_regular_file(f, 100, "test file") == b"x" * 100
    with pytest.raises(InputError, match="100 bytes, larger than the limit of 99"):
        read_regular_file(f, 99, "test file")
    with pytest.raises(InputError, match="does not exist"):
        read_regular_file(tmp_path / "nothing", 10, "test file")


def _limited_run(argv: list[str], limit_bytes: int) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HSTC_")}
    env.update(HSTC_USER=ADMIN, HSTC_PASSWORD=ADMIN_PW)

    def limit() -> None:  # `ulimit -v` in the child only
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return subprocess.run([str(Path(sys.executable).parent / "hstc"), *argv],
                          capture_output=True, text=True, env=env, timeout=120,
                          preexec_fn=limit)


def test_a_250_kb_bundle_verifies_and_imports_in_200_mb_of_address_space(
        tmp_path: Path) -> None:
    with new_store(tmp_path / "a", items=300) as a, new_store(tmp_path / "b") as b:
        trust_pair(a, b)
        from hstc_desk.exchange.selection import plan
        from hstc_desk.exchange.writer import export

        export(a, plan(a, "USA"), tmp_path / "b.bundle")
    size = (tmp_path / "b.bundle").stat().st_size
    assert 200_000 < size < 400_000
    bundle, store = str(tmp_path / "b.bundle"), str(tmp_path / "b")
    # Reading used to ask for the whole 1 GiB limit up front: MemoryError under `ulimit -v`.
    r = _limited_run(["verify", bundle, "--store", store], 200 << 20)
    assert r.returncode == 0, r.stderr
    r = _limited_run(["import", store, bundle], 200 << 20)
    assert r.returncode == 0, r.stderr
    assert "300 added" in r.stdout


def test_init_takes_a_250_character_name_and_a_name_that_is_not_utf8(
        tmp_path: Path, as_admin: None, capsys: pytest.CaptureFixture[str]) -> None:
    long = tmp_path / ("s" * 250)
    rc, err, _ = _run(["init", str(long)], capsys)
    assert rc == 0, err
    assert (long / "store.db").is_file()
    odd = os.path.join(os.fsdecode(tmp_path), os.fsdecode(b"st\xffore"))
    rc, err, _ = _run(["init", odd], capsys)
    assert rc == 0, err
    assert (Path(odd) / "store.db").is_file()
    rc, err, _ = _run(["stats", odd], capsys)
    assert rc == 0, err
    make_store(tmp_path / ("t" * 250))  # the library call, with the test KDF
