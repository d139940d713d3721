"""Lay out a release folder:  python packaging/make_release.py BUNDLE WHEELHOUSE RELEASE

RELEASE gets the bundle as one tar archive (``hstc-desk-VERSION-linux-ARCH.tar.gz``: sorted members,
owner root, times of the commit, so the same build gives the same archive), the wheelhouse as a
folder with its lock file, ``install-offline.sh``, and the desktop entry and icon. ``hstc release
sign`` then writes SHA256SUMS and its signature into it (see the Makefile's release target).
"""

from __future__ import annotations

import gzip
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commit_time() -> int:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, check=True).stdout.strip()
        return int(out)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return 0


def _normal(mtime: int) -> Callable[[tarfile.TarInfo], tarfile.TarInfo]:
    def fix(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = mtime
        return info
    return fix


def write_tar(bundle: Path, out: Path) -> None:
    """A gzip-compressed tar (the gzip header carries the commit time too, not the clock)."""
    mtime = commit_time()
    fix = _normal(mtime)
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=mtime,
                                              filename="") as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        paths = [bundle, *sorted(bundle.rglob("*"))]
        for path in paths:
            tar.add(path, arcname=path.relative_to(bundle.parent).as_posix(), recursive=False,
                    filter=fix)


def main(bundle: Path, wheelhouse: Path, release: Path) -> int:
    if not (bundle / "hstc-desk").is_file():
        print(f"make_release: {bundle} is not a built bundle (run make dist)", file=sys.stderr)
        return 1
    if not (wheelhouse / "requirements.lock").is_file():
        print(f"make_release: {wheelhouse} has no lock file (run make wheelhouse)",
              file=sys.stderr)
        return 1
    if release.exists():
        shutil.rmtree(release)
    release.mkdir(parents=True)
    write_tar(bundle, release / f"{bundle.name}-linux-{platform.machine()}.tar.gz")
    shutil.copytree(wheelhouse, release / "wheelhouse",
                    ignore=lambda _d, names: [n for n in names
                                              if not n.endswith((".whl", ".lock"))])
    for name in ("install-offline.sh", "hstc-desk.desktop"):
        shutil.copy2(ROOT / "packaging" / name, release / name)
    shutil.copy2(ROOT / "resources" / "icons" / "hstc-desk.svg", release / "hstc-desk.svg")
    os.chmod(release / "install-offline.sh", 0o755)
    print(f"make_release: {release}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])))
