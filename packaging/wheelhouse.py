"""Gather every wheel HSTC Desk and its tests need, for this Python and platform, into one folder
with a lock file of exact versions and hashes:  make wheelhouse  (packaging/wheelhouse.py DIR)

The set is what this virtual environment resolved for ``hstc-desk[test]``: the project's
requirements walked through installed metadata, each at the version installed here, so the
wheelhouse installs exactly what `make test` ran against. Wheels come from the package index at
build time (``pip download --only-binary``; a package that has no wheel for this platform is built
once with ``pip wheel``); HSTC Desk's own wheel is built from the source tree. The lock file
``requirements.lock`` pins every one by version and SHA-256, so ``packaging/install-offline.sh``
can install with ``--no-index --require-hashes`` and nothing else.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

PROJECT = "hstc-desk"
EXTRAS = ("test",)
LOCK = "requirements.lock"


def closure(project: str, extras: tuple[str, ...]) -> dict[str, str]:
    """{canonical name: installed version} of everything ``project[extras]`` needs here."""
    found: dict[str, str] = {}
    todo: list[tuple[str, tuple[str, ...]]] = [(project, extras)]
    done: set[tuple[str, tuple[str, ...]]] = set()
    while todo:
        name, want = todo.pop()
        key = canonicalize_name(name)
        if (key, want) in done:
            continue
        done.add((key, want))
        dist = metadata.distribution(name)
        found[key] = dist.version
        envs = [dict(default_environment(), extra=e) for e in (want or ("",))]
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate(env) for env in envs):
                todo.append((req.name, tuple(sorted(req.extras))))
    return found


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    pins = closure(PROJECT, EXTRAS)
    own = pins.pop(canonicalize_name(PROJECT))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    root = Path(__file__).resolve().parent.parent
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(out),
                    str(root)], check=True)
    wanted = [f"{name}=={version}" for name, version in sorted(pins.items())]
    got = subprocess.run([*pip, "download", "--no-deps", "--only-binary=:all:", "-d", str(out),
                          *wanted], check=False)
    if got.returncode:
        # One at a time, building the few that have no wheel for this platform.
        for spec in wanted:
            if subprocess.run([*pip, "download", "--no-deps", "--only-binary=:all:", "-d",
                               str(out), spec], check=False).returncode:
                subprocess.run([*pip, "wheel", "--no-deps", "-w", str(out), spec], check=True)
    pins[canonicalize_name(PROJECT)] = own
    lines, seen = [], set()
    for wheel in sorted(out.glob("*.whl")):
        name, version, _build, _tags = parse_wheel_filename(wheel.name)
        if pins.get(name) != str(version):
            wheel.unlink()  # left over from an earlier version
            continue
        seen.add(name)
        lines.append(f"{name}=={version} --hash=sha256:{sha256(wheel)}\n")
    missing = sorted(set(pins) - seen)
    if missing:
        print(f"wheelhouse: no wheel for {', '.join(missing)}", file=sys.stderr)
        return 1
    (out / LOCK).write_text(
        "# HSTC Desk offline wheelhouse: exact versions and SHA-256 of every wheel here.\n"
        f"# Python {sys.version.split()[0]}, install with packaging/install-offline.sh\n"
        + "".join(lines), encoding="utf-8")
    print(f"wheelhouse: {len(lines)} wheels in {out}, locked in {out / LOCK}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "wheelhouse")))
