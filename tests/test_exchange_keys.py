"""Workstation keys and the trust store: fingerprints read aloud, trust only when typed in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hstc_desk.exchange.errors import KeyError_
from hstc_desk.exchange.keys import grouped, normalize_fingerprint, parse_key_file
from hstc_desk.exchange.trust import Keyring, list_keys, revoke, trust

from exchange_helpers import audit_actions, fp_of, key_file, new_store


def test_fingerprint_groups_and_typing(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a:
        fp = fp_of(a)
        g = grouped(fp)
        assert len(g.split()) == 16 and all(len(x) == 4 for x in g.split())
        for typed in (g, g.upper(), fp, g.replace(" ", "-"), g.replace(" ", ":")):
            assert normalize_fingerprint(typed) == fp
        with pytest.raises(KeyError_):
            normalize_fingerprint(fp[:-1])
        with pytest.raises(KeyError_):
            normalize_fingerprint(fp[:-1] + "g")


def test_trust_needs_the_matching_fingerprint(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a, new_store(tmp_path / "b") as b:
        kf, fp = key_file(a), fp_of(a)
        wrong = ("0" if fp[0] != "0" else "1") + fp[1:]
        digest = b.content_digest()
        with pytest.raises(KeyError_, match="does not match"):
            trust(b, kf, wrong)
        assert list_keys(b) == [] and b.content_digest() == digest
        with pytest.raises(KeyError_, match="own key"):
            trust(a, kf, fp)
        k = trust(b, kf, grouped(fp))
        assert k.fingerprint == fp and k.active
        assert Keyring.of_store(b).lookup(fp) == k.public_key
        with pytest.raises(KeyError_, match="already trusted"):
            trust(b, kf, fp)
        revoke(b, fp)
        ring = Keyring.of_store(b)
        assert ring.lookup(fp) is None and ring.revoked_on(fp)
        with pytest.raises(KeyError_, match="revoked"):
            trust(b, kf, fp)
        assert audit_actions(b, "keys.trust") == 1 and audit_actions(b, "keys.revoke") == 1
        assert b.verify_audit().ok


def test_key_file_strict(tmp_path: Path) -> None:
    with new_store(tmp_path / "a") as a:
        kf = key_file(a)
        assert parse_key_file(kf).fingerprint == fp_of(a)
        doc = json.loads(kf)
        bad = [b"", b"x" * 5000, b"[]", kf.replace(b'"format"', b'"format", "format"'),
               json.dumps({**doc, "extra": 1}).encode(),
               json.dumps({**doc, "public_key": "00" * 31}).encode(),
               json.dumps({**doc, "workstation": "a\nb"}).encode()]
        for data in bad:
            with pytest.raises(KeyError_):
                parse_key_file(data)


def test_trust_needs_admin(tmp_path: Path) -> None:
    from hstc_desk.store import PermissionDenied, Store

    from conftest import ANALYST, ANALYST_PW

    with new_store(tmp_path / "a") as a:
        kf, fp = key_file(a), fp_of(a)
    with Store.open(new_store(tmp_path / "b").path, ANALYST, ANALYST_PW) as b, \
            pytest.raises(PermissionDenied):
        trust(b, kf, fp)
