"""Shared fixtures: real stores on disk (cheap KDF for speed), real demo data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from hstc_desk.store import TEST_KDF, Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when pytest-qt makes the app

# Property tests have no deadline (shared, noisy machines); in CI they replay the same examples
# every run, so a red CI is a real defect and never a new random draw.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


ADMIN, ADMIN_PW = "admin", "correct horse battery staple"
ANALYST, ANALYST_PW = "ana", "analyst pass phrase 7"
SUPERVISOR, SUPERVISOR_PW = "sup", "supervisor pass phrase 9"
OFFICER, OFFICER_PW = "dso", "disclosure officer pass 3"  # foreign releases (issue 12)


def make_store(path: Path, *, items: int = 0, seed: int = 7,
               accreditation: str = "TS//HCS/SI/TK") -> Path:
    """A store with admin, analyst and supervisor users and ``items`` demo items."""
    from hstc_desk.demo import generate

    with Store.create(path, ADMIN, ADMIN_PW, accreditation=accreditation, kdf=TEST_KDF) as s:
        s.add_user(ANALYST, ANALYST_PW, "analyst", kdf=TEST_KDF)
        s.add_user(SUPERVISOR, SUPERVISOR_PW, "supervisor", kdf=TEST_KDF)
        s.add_user(OFFICER, OFFICER_PW, "disclosure_officer", kdf=TEST_KDF)
        if items:
            s.insert_items(generate(items, seed), action="demo.load")
            s.optimize()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-item store built once per session; copy it before changing it."""
    return make_store(tmp_path_factory.mktemp("tmpl") / "store", items=3000)


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "store"
    shutil.copytree(demo_template, dst)
    return dst


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    return make_store(tmp_path / "empty")


@pytest.fixture
def open_store() -> Iterator[Callable[..., Store]]:
    opened: list[Store] = []

    def _open(path: Path, user: str = ANALYST, pw: str = ANALYST_PW) -> Store:
        s = Store.open(path, user, pw)
        opened.append(s)
        return s

    yield _open
    for s in opened:
        s.close()


def run_hstc(*args: str, password: str | None = ADMIN_PW, user: str | None = ADMIN,
             env: dict[str, str] | None = None, timeout: float = 300,
             stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``hstc`` command in a subprocess, as a script would."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HSTC_")}
    if password is not None:
        full_env["HSTC_PASSWORD"] = password
    if user is not None:
        full_env["HSTC_USER"] = user
    full_env.update(env or {})
    return subprocess.run(
        [str(Path(sys.executable).parent / "hstc"), *args],
        capture_output=True, text=True, env=full_env, timeout=timeout,
        input=stdin if stdin is not None else "",
    )


def store_bytes(path: Path) -> dict[str, bytes]:
    """Every file of a store folder, by name, with its content."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
