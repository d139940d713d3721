"""No network, ever: a full command-line workflow runs with socket creation made to fail."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

WORKFLOW = textwrap.dedent(r"""
    import os, socket, sys
    opened = []
    def no_sockets(event, args):
        if event in ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo"):
            opened.append(event)
            raise OSError("network access is forbidden in HSTC Desk")
    sys.addaudithook(no_sockets)
    try:
        socket.socket()
        raise SystemExit("the socket guard does not work")
    except OSError:
        opened.clear()

    from hstc_desk.cli import main
    store = sys.argv[1]
    os.environ["HSTC_USER"] = "admin"
    os.environ["HSTC_PASSWORD"] = "admin-demo-pass"
    from hstc_desk.demo import DEMO_USERS
    os.environ["HSTC_PASSWORD"] = dict((u, p) for u, _, p in DEMO_USERS)["admin"]
    steps = [
        ["demo", store, "--items", "1500", "--seed", "5", "--quiet"],
        ["search", store, "smuggling", "--limit", "5", "--json"],
        ["stats", store, "--json"],
        ["audit", "verify", store],
        ["check", store],
        ["marking", "rollup", "(S//NF)", "(TS//SI//OC)"],
        ["marking", "check", "(S//REL TO USA, GBR)"],
        ["bench", "--items", "1500", "--json"],
    ]
    os.environ["HSTC_NEW_PASSWORD"] = "a new analyst pass"
    steps.insert(1, ["user", "add", store, "newbie", "--role", "analyst"])
    for argv in steps:
        code = main(argv)
        assert code == 0, (argv, code)
    assert not opened, opened
    print("workflow done, sockets attempted:", len(opened))
""")


def test_full_cli_workflow_without_sockets(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-c", WORKFLOW, str(tmp_path / "store")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    assert "workflow done, sockets attempted: 0" in r.stdout
