"""A verifiable release (issue 13): `hstc release verify` checks a release folder against the
release key before anything is installed, and names the file that is wrong: one flipped byte in
any file (an archive, a wheel, the lock file, SHA256SUMS, its signature), a file added, removed or
replaced by a link, a list signed by another key. Real Ed25519 keys made by `hstc release keygen`.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from hstc_desk import release

from conftest import run_hstc

FILES = {
    "hstc-desk-0.1.0-linux-x86_64.tar": 40_000,
    "wheelhouse/requirements.lock": 900,
    "wheelhouse/numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl": 25_000,
    "wheelhouse/hstc_desk-0.1.0-py3-none-any.whl": 12_000,
    "install-offline.sh": 700,
}


def _keys(tmp: Path, name: str = "release") -> tuple[Path, Path]:
    r = run_hstc("release", "keygen", "--out", str(tmp / "keys" / name), password=None, user=None)
    assert r.returncode == 0, r.stderr
    return tmp / "keys" / f"{name}.pem", tmp / "keys" / f"{name}.pub"


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("release")
    folder = tmp / "hstc-desk-0.1.0"
    rng = random.Random(13)
    for name, size in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
    pem, pub = _keys(tmp)
    r = run_hstc("release", "sign", str(folder), "--key", str(pem), password=None, user=None)
    assert r.returncode == 0, r.stderr
    assert f"signed {len(FILES)} files" in r.stdout
    return folder, pem, pub


def _verify(folder: Path, pub: Path) -> tuple[int, str]:
    r = run_hstc("release", "verify", str(folder), "--key", str(pub), password=None, user=None)
    return r.returncode, r.stdout + r.stderr


def _copy(src: Path, dst: Path) -> Path:
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return dst


def test_a_good_release_verifies_every_file(signed: tuple[Path, Path, Path]) -> None:
    folder, _pem, pub = signed
    code, out = _verify(folder, pub)
    assert code == 0, out
    for name in FILES:
        assert f"ok  {name}" in out
    assert f"verified {len(FILES)} files" in out and "safe to install" in out


@pytest.mark.parametrize("name", [*FILES, release.SUMS, release.SIGNATURE])
def test_one_flipped_byte_in_any_file_is_refused_naming_it(
        signed: tuple[Path, Path, Path], tmp_path: Path, name: str) -> None:
    folder, _pem, pub = signed
    copy = _copy(folder, tmp_path / "copy")
    path = copy / name
    data = bytearray(path.read_bytes())
    rng = random.Random(name)
    flips = 0
    for _ in range(3):  # three places: start, middle, anywhere
        at = rng.randrange(len(data))
        # A hex digit of a signature stays a hex digit, so the flip reaches the checks behind
        # the format; elsewhere any bit goes.
        data[at] = (ord("0") + (data[at] - ord("0") + 1) % 10
                    if name == release.SIGNATURE and chr(data[at]) in "0123456789"
                    else data[at] ^ 0x01)
        path.write_bytes(bytes(data))
        # In process (the command's own function); the command itself is run once below.
        with pytest.raises(release.ReleaseError) as refused:
            release.verify(copy, pub.read_bytes())
        # The file named is the one flipped; a flip in the signature or the list refuses the list.
        expected = {name} if name in FILES else {release.SUMS, release.SIGNATURE}
        assert refused.value.file in expected, refused.value
        flips += 1  # this flip stays in: the next one adds to it
    code, out = _verify(copy, pub)
    assert code == 1 and out.startswith("REFUSED") and out.split("  ", 1)[1].split(":")[0] in (
        expected), out
    print(f"{name}: {flips} flips refused")


def test_added_missing_and_linked_files_are_refused(signed: tuple[Path, Path, Path],
                                                    tmp_path: Path) -> None:
    folder, _pem, pub = signed
    added = _copy(folder, tmp_path / "added")
    (added / "wheelhouse" / "evil-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04")
    code, out = _verify(added, pub)
    assert code == 1 and "wheelhouse/evil-1.0-py3-none-any.whl" in out and "not listed" in out

    missing = _copy(folder, tmp_path / "missing")
    (missing / "install-offline.sh").unlink()
    code, out = _verify(missing, pub)
    assert code == 1 and "install-offline.sh: is listed in SHA256SUMS but missing" in out

    linked = _copy(folder, tmp_path / "linked")
    target = linked / "wheelhouse" / "requirements.lock"
    target.unlink()
    target.symlink_to(folder / "wheelhouse" / "requirements.lock")
    code, out = _verify(linked, pub)
    assert code == 1 and "wheelhouse/requirements.lock" in out


def test_a_list_signed_by_another_key_is_refused(signed: tuple[Path, Path, Path],
                                                 tmp_path: Path) -> None:
    folder, _pem, pub = signed
    other_pem, other_pub = _keys(tmp_path, "other")
    resigned = _copy(folder, tmp_path / "resigned")
    (resigned / "wheelhouse" / "requirements.lock").write_text("numpy==9.9 --hash=sha256:00\n")
    r = run_hstc("release", "sign", str(resigned), "--key", str(other_pem), password=None,
                 user=None)
    assert r.returncode == 0, r.stderr
    code, out = _verify(resigned, pub)
    assert code == 1 and "SHA256SUMS.sig: was made by the key" in out
    assert _verify(resigned, other_pub)[0] == 0  # the other key's own release is fine

    # The right fingerprint line on another key's signature: the signature itself fails.
    sig = (resigned / release.SIGNATURE).read_text().splitlines()
    good_fp = json.loads(pub.read_text())["fingerprint"].replace(" ", "")
    (resigned / release.SIGNATURE).write_text(f"fingerprint {good_fp}\n{sig[1]}\n")
    code, out = _verify(resigned, pub)
    assert code == 1 and "SHA256SUMS: does not match its signature" in out


def test_bad_inputs_are_clear_errors(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    folder, pem, pub = signed
    code, out = _verify(tmp_path / "nowhere", pub)
    assert code == 1 and "is not a folder" in out
    (tmp_path / "bad.pub").write_text("not a key")
    code, out = _verify(folder, tmp_path / "bad.pub")
    assert code == 1 and "release key" in out and "Traceback" not in out
    lines = _copy(folder, tmp_path / "lines")
    (lines / release.SUMS).write_text("0" * 64 + "  1  ../etc/passwd\n")
    code, out = _verify(lines, pub)
    assert code == 1 and "SHA256SUMS" in out  # refused by the signature before any path is used
    r = run_hstc("release", "keygen", "--out", str(pem.with_suffix("")), password=None, user=None)
    assert r.returncode != 0 and "never overwritten" in r.stderr
