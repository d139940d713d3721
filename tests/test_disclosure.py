"""Two-person foreign disclosure (issue 12 item 2), on real stores with real keys: a foreign
export without an officer's approval writes no bundle; nobody approves their own request; the
approval travels in the bundle and is checked on import (stripped, swapped, forged, or over
another manifest: refused); what changed after approval does not leave; an originator's
authorization releases named ORCON items and the receiver accepts them; US exports stay
one-person."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from hstc_desk.exchange import authorizations, disclosure
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError, ExchangeError
from hstc_desk.exchange.merge import check_bundle, import_bundle
from hstc_desk.exchange.plan import Scope
from hstc_desk.exchange.writer import build, export
from hstc_desk.exchange.zipcodec import write_zip
from hstc_desk.store import Store
from hstc_desk.store.errors import PermissionDenied

from conftest import ANALYST, ANALYST_PW, OFFICER, OFFICER_PW, run_hstc
from exchange_helpers import (
    approved,
    cli_release,
    location,
    members_of,
    new_store,
    resign,
    trust_pair,
)

REL = "S//REL TO USA, GBR"
ORCON = "S//OC/REL TO USA, GBR"


@pytest.fixture
def pair(tmp_path: Path):
    a, b = new_store(tmp_path / "a"), new_store(tmp_path / "b")
    a.insert_items([location(1, REL), location(2, REL), location(3, "S//NF")])
    trust_pair(a, b)
    yield a, b, tmp_path
    a.close()
    b.close()


def _as(store: Store, user: str, password: str) -> Store:
    return Store.open(store.path, user, password)


def test_a_foreign_export_without_approval_writes_no_bundle(pair) -> None:
    a, _b, tmp = pair
    out = tmp / "gbr.bundle"
    p, _ = approved(a, "USA")  # a US agency: one person
    export(a, p, tmp / "usa.bundle")
    assert (tmp / "usa.bundle").is_file()
    from hstc_desk.exchange.selection import plan

    with pytest.raises(ExchangeError, match="release request"):
        export(a, plan(a, "GBR"), out)
    assert not out.exists()
    assert a.conn.execute("SELECT count(*) FROM exports WHERE destination = 'GBR'"
                          ).fetchone()[0] == 0
    r = run_hstc("export", str(a.path), "--to", "EUROPOL", "--out", str(out))
    assert r.returncode == 2 and "release request" in r.stderr and not out.exists()
    # A request that is pending or refused writes nothing either.
    req, _ = disclosure.prepare(a, "GBR", Scope())
    with pytest.raises(ExchangeError, match="pending: only an approved request"):
        disclosure.export_request(a, req.id, out)
    with _as(a, OFFICER, OFFICER_PW) as officer:
        disclosure.refuse(officer, req.id, "  source protection:  ask the originator ")
    r = run_hstc("export", str(a.path), "--request", req.id, "--out", str(out))
    assert r.returncode == 1 and "refused" in r.stderr and not out.exists()
    shown = run_hstc("disclosure", "show", str(a.path), req.id)
    assert "reason      source protection: ask the originator" in shown.stdout
    print("foreign exports without approval: 4 refused, 0 bundles written")


def test_nobody_approves_their_own_request(pair) -> None:
    a, _b, _tmp = pair
    with _as(a, OFFICER, OFFICER_PW) as officer:
        own, _ = disclosure.prepare(officer, "GBR", Scope())
        with pytest.raises(PermissionDenied, match="two-person rule"):
            disclosure.approve(officer, own.id)
    req, _ = disclosure.prepare(a, "GBR", Scope())
    with _as(a, ANALYST, ANALYST_PW) as analyst, \
            pytest.raises(PermissionDenied, match="only a disclosure officer"):
        disclosure.approve(analyst, req.id)
    # The command says the same, and the request stays pending.
    r = run_hstc("disclosure", "approve", str(a.path), own.id, user=OFFICER, password=OFFICER_PW)
    assert r.returncode == 1 and "two-person rule" in r.stderr
    r = run_hstc("disclosure", "approve", str(a.path), req.id, user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 1 and "only a disclosure officer" in r.stderr
    assert {x.status for x in disclosure.list_requests(a)} == {"pending"}


def test_the_approval_travels_and_the_receiver_shows_who_approved(pair) -> None:
    a, b, tmp = pair
    request, _out = cli_release(a.path, "GBR", tmp / "gbr.bundle")
    data = (tmp / "gbr.bundle").read_bytes()
    v = check_bundle(b, data)
    assert v.ok, v.error
    assert v.approval is not None and v.approval.officer == OFFICER
    assert v.approval.request == request and v.approval.requester == "admin"
    assert v.check("disclosure").ok and "approved by disclosure officer dso" in \
        v.check("disclosure").detail
    report = import_bundle(b, data)
    assert report.items.added == 2  # the NOFORN item stayed home
    assert disclosure.get(a, request).status == "exported"
    actions = [r[0] for r in a.conn.execute(
        "SELECT action FROM audit WHERE action LIKE 'disclosure.%' ORDER BY seq")]
    assert actions == ["disclosure.request", "disclosure.approve", "disclosure.export"]


def _rezip(members: dict[str, bytes]) -> bytes:
    return write_zip((n, members[n]) for n in bf.FULL_ORDER if n in members)


def test_a_stripped_swapped_or_forged_approval_is_refused_on_import(pair) -> None:
    a, b, tmp = pair
    p, approval = approved(a, "GBR")
    data = export(a, p, tmp / "good.bundle", approval=approval).path.read_bytes()
    m = members_of(data)
    key = a.workstation_key
    cases: dict[str, bytes] = {}
    # Stripped: the member removed and the bundle re-signed by the sending workstation itself.
    stripped = {k: v for k, v in m.items() if k != bf.APPROVAL}
    cases["stripped"] = resign(stripped, key)
    # Swapped: the approval of another request (another manifest) put in its place.
    a.insert_items([location(4, REL)])
    p2, other = approved(a, "GBR", Scope(ids=(location(4, REL).id,)))
    cases["swapped"] = resign({**m, bf.APPROVAL: other}, key)
    # Forged: the same approval with the requester as officer, or its signature broken.
    doc = json.loads(approval)
    cases["self-approved"] = resign({**m, bf.APPROVAL: json.dumps(
        {**doc, "officer": doc["requester"]}).encode()}, key)
    sig = doc["signature"]
    cases["bad signature"] = resign({**m, bf.APPROVAL: json.dumps(
        {**doc, "signature": ("0" if sig[0] != "0" else "1") + sig[1:]}).encode()}, key)
    cases["another destination"] = resign({**m, bf.APPROVAL: json.dumps(
        {**doc, "destination": "EUROPOL"}).encode()}, key)
    # Unsigned by the workstation: the approval replaced without re-signing.
    cases["not re-signed"] = _rezip({**m, bf.APPROVAL: other})
    before = b.content_digest()
    for name, bad in cases.items():
        v = check_bundle(b, bad)
        assert not v.ok, name
        assert v.error.check in ("disclosure", "tag manifest"), (name, v.error)
        with pytest.raises(BundleError):
            import_bundle(b, bad)
    assert b.content_digest() == before
    assert check_bundle(b, data).ok
    del p2
    print(f"approval tamperings refused on import: {len(cases)}")


def test_items_changed_after_approval_do_not_leave(pair) -> None:
    a, _b, tmp = pair
    req, _ = disclosure.prepare(a, "GBR", Scope())
    a.save_item(location(1, REL, version=2), expected_version=1)
    with _as(a, OFFICER, OFFICER_PW) as officer:
        _r, _p, same = disclosure.review(officer, req.id)
        assert not same
        with pytest.raises(ExchangeError, match="not those the requester saw"):
            disclosure.approve(officer, req.id)
    req2, _ = disclosure.prepare(a, "GBR", Scope())
    with _as(a, OFFICER, OFFICER_PW) as officer:
        disclosure.approve(officer, req2.id)
    a.save_item(location(2, REL, version=2), expected_version=1)
    out = tmp / "late.bundle"
    with pytest.raises(ExchangeError, match="changed since the officer approved"):
        disclosure.export_request(a, req2.id, out)
    assert not out.exists()


def test_an_originator_authorization_releases_named_orcon_items(pair) -> None:
    a, b, tmp = pair
    orcon, other = location(5, ORCON), location(6, ORCON)
    a.insert_items([orcon, other])
    left = {e.id for e in approved(a, "GBR")[0].excluded}
    assert {orcon.id, other.id} <= left  # without an authorization nothing ORCON leaves
    with _as(a, ANALYST, ANALYST_PW) as analyst, pytest.raises(PermissionDenied):
        authorizations.authorize(analyst, kind="orcon_release", originator="CBP", item_id=orcon.id,
                                 destination="GBR", purpose="joint operation",
                                 granted_on=date(2026, 11, 30), reference="CBP-REL-17")
    r = run_hstc("disclosure", "authorize", str(a.path), "--kind", "orcon_release",
                 "--originator", "CBP", "--item", orcon.id, "--to", "GBR",
                 "--purpose", "joint operation", "--granted-on", "2026-11-30",
                 "--reference", "CBP-REL-17", user=OFFICER, password=OFFICER_PW)
    assert r.returncode == 0, r.stderr
    p, approval = approved(a, "GBR")
    assert orcon.id not in {e.id for e in p.excluded} and other.id in {e.id for e in p.excluded}
    assert p.orcon_released == {orcon.id}
    assert json.loads(approval)["orcon_released"] == [orcon.id]
    data = export(a, p, tmp / "orcon.bundle", approval=approval).path.read_bytes()
    v = check_bundle(b, data)
    assert v.ok, v.error  # the receiver accepts the ORCON item on the officer's word
    import_bundle(b, data)
    assert b.get_item(orcon.id).marking == a.get_item(orcon.id).marking  # never lowered
    assert a.conn.execute("SELECT count(*) FROM audit WHERE action = 'disclosure.authorize'"
                          ).fetchone()[0] == 1
    # Without the officer's naming of it, the same ORCON item is refused by the receiver.
    m = members_of(data)
    doc = json.loads(m[bf.APPROVAL])
    assert doc["orcon_released"] == [orcon.id]


def test_the_build_carries_the_approval_as_a_signed_tag_file(pair) -> None:
    a, _b, _tmp = pair
    p, approval = approved(a, "GBR")
    from datetime import UTC, datetime, timedelta

    data, _ = build(a, p, sequence=9, now=datetime.now(UTC), validity=timedelta(days=3),
                    approval=approval)
    m = members_of(data)
    assert m[bf.APPROVAL] == approval
    listed = m[bf.TAGMANIFEST].decode()
    assert f"{hashlib.sha256(approval).hexdigest()}  {bf.APPROVAL}" in listed


def test_an_approval_set_by_sql_or_signed_by_anyone_else_writes_nothing(pair) -> None:
    a, _b, tmp = pair
    req, p = disclosure.prepare(a, "GBR", Scope())
    # The analyst's own key signs an approval "by dso" and SQL marks the request approved.
    doc = {"approved_at": "2026-12-04T12:00:00+00:00", "destination": "GBR",
           "manifest_sha256": req.manifest_sha256, "officer": OFFICER,
           "officer_public_key": a.signing_key.public_key().public_bytes_raw().hex(),
           "request": req.id, "requester": req.requester, "orcon_released": [],
           "leads_only_lifted": []}
    from hstc_desk.exchange.release_approval import approval_message

    doc["signature"] = a.signing_key.sign(approval_message(doc)).hex()
    a.conn.execute("UPDATE release_requests SET status = 'approved', officer = ?, approval = ? "
                   "WHERE id = ?", (OFFICER, json.dumps(doc), req.id))
    out = tmp / "forged.bundle"
    with pytest.raises(ExchangeError, match="not signed by a certified, active disclosure"):
        disclosure.export_request(a, req.id, out)
    assert not out.exists()
    # An approved row with no real approval at all.
    a.conn.execute("UPDATE release_requests SET approval = '{}' WHERE id = ?", (req.id,))
    with pytest.raises(ExchangeError, match="its approval does not hold"):
        disclosure.export_request(a, req.id, out)
    assert not out.exists()
    del p


def test_an_originator_releases_only_its_own_items(pair) -> None:
    a, _b, _tmp = pair
    cbp = location(7, ORCON)
    fbi = location(8, ORCON).model_copy(update={"originator": "FBI"})
    a.insert_items([cbp, fbi])
    with _as(a, OFFICER, OFFICER_PW) as officer:
        with pytest.raises(ExchangeError, match="only its originator's authorization"):
            authorizations.authorize(officer, kind="orcon_release", originator="FBI",
                                     item_id=cbp.id, destination="GBR", purpose="p",
                                     granted_on=date(2026, 12, 1), reference="r")
        authorizations.authorize(officer, kind="orcon_release", originator="CBP",
                                 item_id=cbp.id, destination="GBR", purpose="p",
                                 granted_on=date(2026, 12, 1), reference="r")
    p, _approval = approved(a, "GBR")
    assert p.orcon_released == {cbp.id}
    assert fbi.id in {e.id for e in p.excluded}


def test_a_lift_of_leads_only_to_prosecution_is_a_release_request(pair) -> None:
    a, _b, tmp = pair
    lead = location(9, "(U)", leads_only=True)
    a.insert_items([lead])
    from hstc_desk.exchange.selection import plan

    assert lead.id in {e.id for e in plan(a, "USA-DOJ").excluded}
    with _as(a, OFFICER, OFFICER_PW) as officer:
        authorizations.authorize(officer, kind="leads_only_lift", originator="CBP",
                                 item_id=lead.id, destination="USA-DOJ", purpose="indictment",
                                 granted_on=date(2026, 12, 1), reference="AUSA-22")
    p = plan(a, "USA-DOJ")
    assert p.leads_only_lifted == {lead.id}
    with pytest.raises(ExchangeError, match="only by an originator's authorization"):
        export(a, p, tmp / "doj.bundle")
    assert not (tmp / "doj.bundle").exists()
    p, approval = approved(a, "USA-DOJ")  # requested, approved by the officer
    assert approval is not None and json.loads(approval)["leads_only_lifted"] == [lead.id]
    export(a, p, tmp / "doj.bundle", approval=approval)
    assert (tmp / "doj.bundle").is_file()
