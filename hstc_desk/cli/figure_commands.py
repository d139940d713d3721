"""``hstc figure``: a movement view rendered offscreen to a marked PNG or SVG.

Drawing needs Qt, which the core never imports, so the command checks its arguments and the
output path here and runs the GUI's offscreen renderer (``hstc_desk.gui.movement.figure_main``)
as a child process, passing the password on its standard input (never in its environment or
arguments). The child prints the figure's banner; errors come back as one sentence.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time

from hstc_desk.cli.credentials import UsageError, password, user_name
from hstc_desk.outputs import guard_output

RENDERER = "hstc_desk.gui.movement.figure_main"


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 200 <= value <= 8000:
        raise argparse.ArgumentTypeError(f"must be from 200 to 8000 pixels, not {value}")
    return value


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("figure", help="render a timeline or route map to a marked PNG or SVG")
    p.add_argument("store", metavar="STORE", help="store folder")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password")
    p.add_argument("--view", required=True, choices=["timeline", "map"])
    p.add_argument("--case", action="append", default=[], metavar="ID")
    p.add_argument("--network", action="append", default=[], metavar="ID")
    p.add_argument("--mode", action="append", default=[],
                   choices=["air", "sea", "land", "river", "foot"])
    p.add_argument("--from", dest="date_from", type=day, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=day, metavar="YYYY-MM-DD")
    p.add_argument("--lanes", default="case", choices=["case", "network", "person", "kind"])
    p.add_argument("--as", dest="destination", metavar="DEST",
                   help="show only what this destination profile may receive")
    p.add_argument("--width", type=size, default=1600)
    p.add_argument("--height", type=size, default=900)
    p.add_argument("--out", required=True, metavar="FILE.png|FILE.svg")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=cmd_figure)


def child_args(args: argparse.Namespace, out: str) -> list[str]:
    t_from = (int(datetime.combine(args.date_from, time.min, UTC).timestamp())
              if args.date_from else None)
    t_to = (int(datetime.combine(args.date_to, time.max, UTC).timestamp())
            if args.date_to else None)
    if t_from is not None and t_to is not None and t_to < t_from:
        raise UsageError("--to is before --from")
    cmd = [args.store, "--user", user_name(args.user), "--view", args.view, "--out", out,
           "--lanes", args.lanes, "--width", str(args.width), "--height", str(args.height)]
    for flag, values in (("--case", args.case), ("--network", args.network),
                         ("--mode", args.mode)):
        for v in values:
            cmd += [flag, v]
    if t_from is not None:
        cmd += ["--from", str(t_from)]
    if t_to is not None:
        cmd += ["--to", str(t_to)]
    if args.destination:
        cmd += ["--as", args.destination]
    return cmd


def cmd_figure(args: argparse.Namespace) -> int:
    if not args.out.lower().endswith((".png", ".svg")):
        raise UsageError("--out must name a .png or .svg file")
    out = guard_output(args.out, force=args.force, stores=[args.store])
    argv = child_args(args, str(out))
    secret = password(args.password_file)
    if getattr(sys, "frozen", False):  # the offline bundle: the GUI program renders
        cmd = [os.path.join(os.path.dirname(sys.executable), "hstc-desk"), "--figure", *argv]
    else:
        cmd = [sys.executable, "-m", RENDERER, *argv]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HSTC_PASSWORD", None)
    done = subprocess.run(cmd, input=secret + "\n", text=True, capture_output=True, env=env,
                          timeout=600, check=False)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode
