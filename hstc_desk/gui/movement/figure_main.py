"""The offscreen renderer behind ``hstc figure``: open the store, build the view, export it.

Run by ``hstc_desk.cli.figure_commands`` as ``python -m hstc_desk.gui.movement.figure_main``
with the password on standard input; prints the figure's banner and what it depicts. Errors are
one sentence on stderr with exit status 1, as the ``hstc`` contract says.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="hstc figure")
    p.add_argument("store")
    p.add_argument("--user", required=True)
    p.add_argument("--view", required=True, choices=["timeline", "map"])
    p.add_argument("--out", required=True)
    p.add_argument("--lanes", default="case")
    p.add_argument("--width", type=int, default=1600)
    p.add_argument("--height", type=int, default=900)
    p.add_argument("--case", action="append", default=[])
    p.add_argument("--network", action="append", default=[])
    p.add_argument("--mode", action="append", default=[])
    p.add_argument("--from", dest="t_from", type=int)
    p.add_argument("--to", dest="t_to", type=int)
    p.add_argument("--as", dest="destination")
    return p.parse_args(argv)


def render(args: argparse.Namespace, password: str) -> str:
    from dataclasses import replace

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from hstc_desk.gui.movement.map_view import MapView
    from hstc_desk.gui.movement.timeline_view import TimelineView
    from hstc_desk.movement import query as mq
    from hstc_desk.store import Store

    def quiet(_mode: object, _context: object, message: str) -> None:
        # the offscreen platform says it cannot size windows to their hints: not our business
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    with Store.open(Path(args.store), args.user, password) as store:
        if args.destination:
            from hstc_desk.markings import destination

            destination(args.destination)  # unknown profile: a clear error before drawing
        if args.view == "timeline":
            view: TimelineView | MapView = TimelineView(store)
            view.resize(args.width, args.height)
            view.show()
            app.processEvents()
            view.set_lanes(args.lanes)
            view.set_filter(replace(view.flt, cases=tuple(args.case),
                                    networks=tuple(args.network), modes=tuple(args.mode),
                                    destination=args.destination))
            if args.t_from is not None or args.t_to is not None:
                span = mq.extent(store, view.flt) or (0, 1)
                a = args.t_from if args.t_from is not None else span[0]
                b = args.t_to if args.t_to is not None else span[1]
                view.plot.setXRange(a, b, padding=0)
        else:
            view = MapView(store)
            view.resize(args.width, args.height)
            view.show()
            app.processEvents()
            view.flt = replace(view.flt, cases=tuple(args.case), networks=tuple(args.network),
                               modes=tuple(args.mode), destination=args.destination)
            view.set_range(args.t_from, args.t_to)
            view.fit()
        app.processEvents()
        if isinstance(view, TimelineView):
            view.redraw()
        app.processEvents()
        rec = view.export(Path(args.out))
        view.close()
    depicted = f"{rec.count:,} items"
    if rec.count and not rec.items:
        depicted += " (recorded by digest)"
    return f"{rec.banner}\nfigure {args.out}: {args.view}, {depicted}, marked {rec.portion}"


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    password = sys.stdin.readline().rstrip("\n")
    try:
        print(render(args, password))
    except Exception as exc:  # one sentence, like every hstc error
        from hstc_desk.cli.errors import describe

        print(f"hstc: error: {describe(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
