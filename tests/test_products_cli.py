"""`hstc product ...` driven as a script would drive it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

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
from exchange_helpers import location


def as_analyst(*args: str) -> subprocess.CompletedProcess[str]:
    return run_hstc("product", *args, user=ANALYST, password=ANALYST_PW)


def as_supervisor(*args: str) -> subprocess.CompletedProcess[str]:
    return run_hstc("product", *args, user=SUPERVISOR, password=SUPERVISOR_PW,
                    env={"HSTC_CONFIRM_PASSWORD": SUPERVISOR_PW})


def test_product_cli_script(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        s.insert_items([location(1, "C//REL TO USA, GBR", leads_only=True)])
    s_ = str(store)
    r = as_analyst("new", s_, "--type", "intelligence_bulletin", "--title", "Darien crossings",
                   "--title-marking", "(U)",
                   "--portion", "(S//NF) Guides charge per head.",
                   "--portion", "(U//FOUO) Weather closes the route in October.",
                   "--cite", "LOC-0000000000000001",
                   "--classified-by", "J. Doe", "--derived-from", "Multiple Sources",
                   "--declassify-on", "25X1, 20761231")
    assert r.returncode == 0, r.stderr
    pid = r.stdout.splitlines()[0]
    assert pid.startswith("PRD-") and "banner SECRET//NOFORN" in r.stdout
    assert "leads only" in r.stdout

    listed = as_analyst("list", s_, "--status", "draft")
    assert pid in listed.stdout and "\tdraft\t" in listed.stdout
    shown = as_analyst("show", s_, pid)
    lines = shown.stdout.splitlines()
    assert lines[0] == lines[-1] == "SECRET//NOFORN"
    assert "(S//NF) Guides charge per head." in lines
    assert "(U//FOUO) Weather closes the route in October." in lines
    assert any(line.startswith("(C//REL TO USA, GBR) Cited: LOC-0000000000000001 ")
               for line in lines)  # with the item's title
    assert "Classified By: J. Doe" in lines and "Declassify On: 25X1, 20761231" in lines
    assert any(line.startswith("USE RESTRICTION") for line in lines)
    assert "not signed off" in lines

    assert as_analyst("submit", s_, pid).returncode == 0
    r = as_analyst("approve", s_, pid)
    assert r.returncode == 1 and "only a supervisor may approve" in r.stderr
    assert "Traceback" not in r.stderr
    r = as_supervisor("return", s_, pid, "--comment", "Cite the weather source.")
    assert r.returncode == 0, r.stderr
    r = as_supervisor("approve", s_, pid)
    assert r.returncode == 1 and "it is draft, not in review" in r.stderr
    assert as_analyst("submit", s_, pid).returncode == 0
    r = as_supervisor("approve", s_, pid)
    assert r.returncode == 0, r.stderr
    assert "signed off by sup" in r.stdout

    r = as_analyst("verify", s_, pid)
    assert r.returncode == 0, r.stderr
    assert "sign-off VALID" in r.stdout
    data = json.loads(as_analyst("show", s_, pid, "--json").stdout)
    assert data["banner"] == "SECRET//NOFORN" and data["signoff"]["signer"] == SUPERVISOR
    assert data["product"]["comments"][0]["text"] == "Cite the weather source."
    assert "SIGNED OFF by sup" in as_analyst("show", s_, pid).stdout

    with Store.open(store, ADMIN, ADMIN_PW) as s, s.transaction() as conn:  # tamper
        conn.execute("DROP TRIGGER products_approved_immutable")  # behind the app's back
        conn.execute("UPDATE products SET body = replace(body, 'per head', 'per group')")
    r = as_analyst("verify", s_, pid)
    assert r.returncode == 1 and "content hash mismatch" in r.stderr


def test_product_cli_errors(tmp_path: Path) -> None:
    s_ = str(make_store(tmp_path / "s"))
    r = as_analyst("new", s_, "--type", "target_package", "--title", "t",
                   "--title-marking", "U", "--portion",
                   "no mark here")
    assert r.returncode == 2 and "portion mark" in r.stderr
    r = as_analyst("new", s_, "--type", "target_package", "--title", "t",
                   "--title-marking", "U", "--portion",
                   "(S//XX) bad token")
    assert r.returncode == 1 and "XX" in r.stderr and "Traceback" not in r.stderr
    r = as_analyst("new", s_, "--type", "target_package", "--title", "t",
                   "--title-marking", "U", "--cite",
                   "PER-00000000000000aa")
    assert r.returncode == 1 and "cannot cite PER-00000000000000aa" in r.stderr
    r = as_analyst("new", s_, "--type", "memo", "--title", "t",
                   "--title-marking", "U", "--portion", "(U) x")
    assert r.returncode == 2
    r = as_analyst("verify", s_, "PRD-0000000000000000")
    assert r.returncode == 1 and "no product" in r.stderr
