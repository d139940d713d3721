"""A PDF that proves itself (issue 11 item 5): an approved product's PDF carries its signed
version; ``hstc report verify`` checks the signer is trusted, the signature, and that the file
is, byte for byte, what that version renders to, and names the check that fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_reports_render import AUTH, World, build_world

from hstc_desk.reports.from_store import document_of
from hstc_desk.reports.pdf_attach import ATTACHMENT_NAME, extract
from hstc_desk.reports.render import fingerprint, render_document
from hstc_desk.reports.verify import trust_fingerprint, verify_pdf
from hstc_desk.store import Store

from conftest import (
    ADMIN,
    ADMIN_PW,
    ANALYST,
    ANALYST_PW,
    SUPERVISOR,
    SUPERVISOR_PW,
    make_store,
    run_hstc,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("verify") / "store")


@pytest.fixture(scope="module")
def pdfs(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdfs")
    files = {"approved": (world.approved.id, None), "draft": (world.draft.id, None),
             "other": (world.unclassified.id, None), "europol": (world.approved.id, "EUROPOL")}
    paths = {}
    for name, (pid, tearline) in files.items():
        path = out / f"{name}.pdf"
        args = ["report", str(world.path), pid, "--out", str(path)]
        r = run_hstc(*args, *(["--tearline", tearline] if tearline else []),
                     user=ANALYST, password=ANALYST_PW)
        assert r.returncode == 0, r.stderr
        paths[name] = path
    return paths


def verify_cli(world: World | Path, pdf: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    store = world.path if isinstance(world, World) else world
    return run_hstc("report", "verify", str(pdf), "--store", str(store), *extra,
                    user=ANALYST, password=ANALYST_PW)


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def verify_here(world: World, pdf: Path) -> Outcome:
    """What ``hstc report verify PDF --store`` decides, in this process (the command itself is
    run by the tests above and below; these tamper tests only need its decision and words)."""
    from hstc_desk.reports.from_store import store_trust

    with Store.open(world.path, ANALYST, ANALYST_PW, readonly=True) as store:
        v = verify_pdf(pdf.read_bytes(), store_trust(store))
    if v.ok:
        return Outcome(0, "\n".join(v.lines), "")
    return Outcome(1, "", f"hstc: PDF INVALID: check {v.failed} failed: {v.reason}")


def tampered(tmp: Path, data: bytes, name: str = "t.pdf") -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def test_an_approved_pdf_verifies_against_the_store(world: World, pdfs: dict[str, Path]) -> None:
    r = verify_cli(world, pdfs["approved"])
    assert r.returncode == 0, r.stderr
    assert f"{world.approved.id} version 1: PDF VALID" in r.stdout
    assert f"the signer {SUPERVISOR} is a supervisor of this store" in r.stdout
    assert "every byte is what the signed version renders to" in r.stdout


def test_a_tearline_pdf_verifies_as_its_own_signed_version(world: World,
                                                           pdfs: dict[str, Path]) -> None:
    r = verify_cli(world, pdfs["europol"])
    assert r.returncode == 0, r.stderr
    assert "banner        UNCLASSIFIED//LES" in r.stdout
    assert f"the tearline version for EUROPOL of {world.approved.id}" in r.stdout


def test_trust_by_fingerprint_and_refused_without_any(world: World, pdfs: dict[str, Path]) -> None:
    data = pdfs["approved"].read_bytes()
    proof = extract(data)
    assert proof is not None
    key = json.loads(proof.signoff)["signer_public_key"]
    assert verify_pdf(data, trust_fingerprint(fingerprint(key))).ok
    none = verify_pdf(data, None)
    assert (none.ok, none.failed) == (False, "trust")
    wrong = verify_pdf(data, trust_fingerprint("00" * 32))
    assert (wrong.ok, wrong.failed) == (False, "trust")
    r = run_hstc("report", "verify", str(pdfs["approved"]), user=None, password=None)
    assert r.returncode == 1 and "check trust failed" in r.stderr
    r = run_hstc("report", "verify", str(pdfs["approved"]), "--fingerprint", fingerprint(key),
                 user=None, password=None)
    assert r.returncode == 0, r.stderr


def test_a_store_that_does_not_trust_the_signer_refuses(world: World, pdfs: dict[str, Path],
                                                        tmp_path: Path) -> None:
    elsewhere = make_store(tmp_path / "elsewhere")  # its own supervisor "sup", another key
    r = run_hstc("report", "verify", str(pdfs["approved"]), "--store", str(elsewhere),
                 user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 1
    assert "check trust failed" in r.stderr and "is not trusted here" in r.stderr


def test_a_draft_pdf_carries_no_proof(world: World, pdfs: dict[str, Path]) -> None:
    r = verify_cli(world, pdfs["draft"])
    assert r.returncode == 1 and "check proof failed" in r.stderr
    assert b"hstc-pdf-proof" not in pdfs["draft"].read_bytes()


def test_a_flipped_byte_in_a_page_is_refused_naming_the_page(world: World, pdfs: dict[str, Path],
                                                             tmp_path: Path) -> None:
    data = bytearray(pdfs["approved"].read_bytes())
    contents = [int(m[1]) for m in re.finditer(rb"/Contents (\d+) 0 R", data)]
    last = contents[-1]
    start = data.index(b"\n%d 0 obj" % last) + 1
    at = data.index(b"stream\n", start) + len(b"stream\n") + 20
    data[at] ^= 0x01
    r = verify_cli(world, tampered(tmp_path, bytes(data)))
    assert r.returncode == 1
    assert "check pages failed" in r.stderr
    assert f"page {len(contents)}'s content differs" in r.stderr


def test_a_swapped_embedded_form_is_refused(world: World, pdfs: dict[str, Path],
                                            tmp_path: Path) -> None:
    """The proof of another approved product, validly signed, in this product's pages."""
    mine, other = pdfs["approved"].read_bytes(), pdfs["other"].read_bytes()

    def body(b: bytes) -> bytes:
        s = b.index(b'stream\n{"format":"hstc-pdf-proof/1"') + len(b"stream\n")
        return b[s:b.index(b"\nendstream", s)]

    swapped = mine.replace(body(mine), body(other))
    assert swapped != mine
    r = verify_here(world, tampered(tmp_path, swapped))
    assert r.returncode == 1 and "check pages failed" in r.stderr


def _edit_proof(data: bytes, edit: callable) -> bytes:  # type: ignore[valid-type]
    s = data.index(b'stream\n{"format":"hstc-pdf-proof/1"') + len(b"stream\n")
    e = data.index(b"\nendstream", s)
    return data[:s] + edit(data[s:e]) + data[e:]


def test_a_bad_signature_is_refused(world: World, pdfs: dict[str, Path], tmp_path: Path) -> None:
    data = pdfs["approved"].read_bytes()

    def flip_signature(raw: bytes) -> bytes:
        body = json.loads(raw)
        so = json.loads(body["signoff"])
        sig = so["signature"]
        so["signature"] = ("0" if sig[0] != "0" else "1") + sig[1:]
        body["signoff"] = json.dumps(so, sort_keys=True, separators=(",", ":"))
        return json.dumps(body, separators=(",", ":")).encode()

    r = verify_here(world, tampered(tmp_path, _edit_proof(data, flip_signature)))
    assert r.returncode == 1
    assert "check signature failed" in r.stderr and "Ed25519" in r.stderr


def test_an_edited_signed_version_is_refused(world: World, pdfs: dict[str, Path],
                                             tmp_path: Path) -> None:
    data = pdfs["approved"].read_bytes()

    def retitle(raw: bytes) -> bytes:
        body = json.loads(raw)
        body["product"] = body["product"].replace("Corridor outlook", "Corridor outloot")
        return json.dumps(body, separators=(",", ":")).encode()

    r = verify_here(world, tampered(tmp_path, _edit_proof(data, retitle)))
    assert r.returncode == 1
    assert "check signature failed" in r.stderr and "content hash mismatch" in r.stderr


def test_a_broken_or_repeated_proof_is_refused(world: World, pdfs: dict[str, Path],
                                               tmp_path: Path) -> None:
    data = pdfs["approved"].read_bytes()
    broken = _edit_proof(data, lambda raw: raw[:-40])
    r = verify_here(world, tampered(tmp_path, broken, "b.pdf"))
    assert r.returncode == 1 and "check proof failed" in r.stderr
    twice = data + b"\n" + data[data.index(b'stream\n{"format"'):]
    r = verify_here(world, tampered(tmp_path, twice, "c.pdf"))
    assert r.returncode == 1 and "check proof failed" in r.stderr and "2 product proofs" in r.stderr
    appended = data + b"% an appended comment\n"
    r = verify_cli(world, tampered(tmp_path, appended, "d.pdf"))
    assert r.returncode == 1 and "check pages failed" in r.stderr and "bytes where" in r.stderr


def test_a_different_renderer_is_named(world: World, pdfs: dict[str, Path]) -> None:
    data = pdfs["approved"].read_bytes()
    for old, new in ((b'"renderer":"hstc-pdf/1 ', b'"renderer":"hstc-pdf/0 '),  # layout
                     (b" fonts dejavu-", b" fonts dejavx-"),
                     (b" fonts dejavu-", b" fonts base14-")):
        if old not in data:  # a workstation without DejaVu draws with base-14 fonts
            continue
        got = verify_pdf(_edit_proof(data, lambda raw, o=old, n=new: raw.replace(o, n)),
                         lambda _s, _k: "test")
        assert (got.ok, got.failed) == (False, "renderer"), old
        assert "cannot be compared byte for byte" in got.reason


def test_the_attachment_is_a_standard_pdf_attachment(pdfs: dict[str, Path],
                                                     tmp_path: Path) -> None:
    listing = subprocess.run(["pdfdetach", "-list", str(pdfs["approved"])], capture_output=True,
                             text=True, check=True).stdout
    assert ATTACHMENT_NAME in listing
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(tmp_path / "p.json"),
                    str(pdfs["approved"])], check=True)
    saved = json.loads((tmp_path / "p.json").read_text())
    assert saved["format"] == "hstc-pdf-proof/1"
    assert json.loads(saved["product"])["status"] == "approved"


def test_the_re_render_is_the_store_render(world: World, pdfs: dict[str, Path]) -> None:
    with Store.open(world.path, ADMIN, ADMIN_PW, readonly=True) as s:
        again = render_document(document_of(s, world.approved.id))
    assert again == pdfs["approved"].read_bytes()


def test_report_command_errors(world: World, pdfs: dict[str, Path], tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_hstc(*args, user=ANALYST, password=ANALYST_PW)

    r = run("report", str(world.path), world.approved.id)
    assert r.returncode == 2 and "--out FILE.pdf is required" in r.stderr
    r = run("report", str(world.path), world.approved.id, "--out", str(tmp_path / "x.txt"))
    assert r.returncode == 2 and ".pdf" in r.stderr
    r = run("report", str(world.path), world.approved.id, "--out", str(pdfs["draft"]))
    assert r.returncode == 1 and "--force" in r.stderr
    r = run("report", str(world.path), world.approved.id, "--out",
            str(world.path / "inside.pdf"))
    assert r.returncode == 1 and "store folder" in r.stderr
    assert not (world.path / "inside.pdf").exists()
    r = run("report", str(world.path), "PRD-00000000000000ff", "--out", str(tmp_path / "n.pdf"))
    assert r.returncode == 1 and "no product PRD-00000000000000ff" in r.stderr
    assert not (tmp_path / "n.pdf").exists()
    r = run("report", str(world.path), world.approved.id, "--tearline", "CAN", "--out",
            str(tmp_path / "t.pdf"))
    assert r.returncode == 1 and "no tearline for CAN" in r.stderr
    r = run("report", "verify", str(tmp_path / "missing.pdf"))
    assert r.returncode == 1 and "does not exist" in r.stderr
    r = run("report", "verify", str(tmp_path))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    r = run("report", "verify", str(pdfs["approved"]), "--store", str(world.path),
            "--fingerprint", "ab")
    assert r.returncode == 2
    garbage = tmp_path / "g.pdf"
    garbage.write_bytes(b"not a pdf at all")
    r = run("report", "verify", str(garbage), "--store", str(world.path))
    assert r.returncode == 1 and "check proof failed" in r.stderr


def test_forced_overwrite_replaces_the_file(world: World, tmp_path: Path) -> None:
    out = tmp_path / "f.pdf"
    out.write_bytes(b"old")
    r = run_hstc("report", str(world.path), world.draft.id, "--out", str(out), "--force",
                 user=ANALYST, password=ANALYST_PW)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert shutil.which("pdftotext")


def test_a_swapped_figure_image_is_refused(world: World, pdfs: dict[str, Path],
                                           tmp_path: Path) -> None:
    import base64
    import random

    from hstc_desk.bench.products_bench import figure_png

    data = pdfs["approved"].read_bytes()
    other = base64.b64encode(figure_png(2, random.Random(9))).decode()

    def swap(raw: bytes) -> bytes:
        body = json.loads(raw)
        assert len(body["images"]) == 1
        body["images"] = {sha: other for sha in body["images"]}
        return json.dumps(body, separators=(",", ":")).encode()

    r = verify_here(world, tampered(tmp_path, _edit_proof(data, swap)))
    assert r.returncode == 1 and "check form failed" in r.stderr
    assert "does not have the SHA-256 the signed version names" in r.stderr


def test_a_recipient_store_verifies_the_pdf_through_its_trusted_workstation(
        tmp_path: Path) -> None:
    """The PDF printed at workstation A verifies at B, which holds the product only from A's
    bundle: B trusts the signer because A's workstation, trusted at B, vouched for the
    sign-off. B prints the same bytes. Once B revokes A's key, the PDF no longer verifies."""
    from hstc_desk.domain.products import Citation, Paragraph
    from hstc_desk.exchange.merge import import_bundle
    from hstc_desk.exchange.trust import revoke
    from hstc_desk.store import products as P

    from exchange_helpers import bundle_bytes, fp_of, location, open_admin, trust_pair

    a_path, b_path = make_store(tmp_path / "a"), make_store(tmp_path / "b")
    a, b = open_admin(a_path), open_admin(b_path)
    try:
        trust_pair(a, b)
        a.insert_items([location(1, "S//REL TO USA, GBR", title="Ferry landing")])
        with Store.open(a_path, ANALYST, ANALYST_PW) as s:
            p = P.create(s, product_type="intelligence_bulletin", title="Ferry crossings",
                         title_marking="(U)", portions=[
                             Paragraph(marking="(S//REL TO USA, GBR)", text="Night ferries."),
                             Citation(item_id="LOC-0000000000000001", marking="U")],
                         authority=AUTH)
            P.submit(s, p.id)
        with Store.open(a_path, SUPERVISOR, SUPERVISOR_PW) as s:
            P.approve(s, p.id, password=SUPERVISOR_PW)
        import_bundle(b, bundle_bytes(a, tmp_path, "GBR"))
        with Store.open(a_path, ANALYST, ANALYST_PW, readonly=True) as s:
            printed = render_document(document_of(s, p.id))
        with Store.open(b_path, ANALYST, ANALYST_PW, readonly=True) as s:
            assert render_document(document_of(s, p.id)) == printed
        pdf = tampered(tmp_path, printed, "ferry.pdf")
        r = verify_cli(b_path, pdf)
        assert r.returncode == 0, r.stderr
        assert "vouched for by" in r.stdout and "a workstation this store trusts" in r.stdout
        revoke(b, fp_of(a))
        r = verify_cli(b_path, pdf)
        assert r.returncode == 1 and "check trust failed" in r.stderr
    finally:
        a.close()
        b.close()
