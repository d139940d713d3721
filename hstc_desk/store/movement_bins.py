"""Folding the movement change log into the pyramid of counts (schema: the movement migration).

Triggers append each change of the ``movement`` table to ``movement_log`` (cheap: one plain
insert per row); this adds the log to ``movement_bins`` in grouped statements, first to the day
level and then each wider level from the day level's changes, so a million logged rows fold in a
few seconds. Beside the rows per kind and marking, each bucket has a plain row (kind and marking
``*``) of their sum. ``Store.optimize`` folds after a bulk load; readers fold whatever a later
edit or import logged (``hstc_desk.movement.bins``). Derived data only: no audit record.
"""

from __future__ import annotations

import sqlcipher3

from hstc_desk.store.schema import BIN_WIDTHS

_LANES = {"case": "ifnull(case_id, '')", "network": "ifnull(network, '')", "all": "''"}


def pending(conn: sqlcipher3.Connection) -> bool:
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM movement_log)").fetchone()[0])


def fold(conn: sqlcipher3.Connection) -> None:
    """Add the log to the pyramid and empty it; the caller holds the write transaction."""
    day = BIN_WIDTHS[0]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS fold_day (lane_by TEXT, lane TEXT, "
                 "bucket INTEGER, kind TEXT, marking TEXT, flags INTEGER, level INTEGER, "
                 "sci INTEGER, n INTEGER)")
    conn.execute("DELETE FROM temp.fold_day")
    for lane_by, lane in _LANES.items():
        conn.execute(f"""
            INSERT INTO temp.fold_day
            SELECT '{lane_by}', {lane}, (t0 / {day}) - (t0 % {day} < 0) AS b, kind, marking,
                   flags, level, sci, sum(sign)
            FROM movement_log GROUP BY {lane}, b, kind, marking, flags""")
    for width in BIN_WIDTHS:
        step = width // day
        conn.execute(f"""
            INSERT INTO movement_bins
                (width, lane_by, lane, bucket, kind, marking, flags, level, sci, n)
            SELECT {width}, lane_by, lane, (bucket / {step}) - (bucket % {step} < 0) AS b, kind,
                   marking, flags, level, sci, sum(n)
            FROM temp.fold_day GROUP BY lane_by, lane, b, kind, marking, flags
            ON CONFLICT DO UPDATE SET n = n + excluded.n""")
        # the plain rows: every kind and marking together ('*'), for views that restrict
        # neither, read by users who see everything (a tenth as many rows to draw from)
        conn.execute(f"""
            INSERT INTO movement_bins
                (width, lane_by, lane, bucket, kind, marking, flags, level, sci, n)
            SELECT {width}, lane_by, lane, (bucket / {step}) - (bucket % {step} < 0) AS b, '*',
                   '*', 0, 0, 0, sum(n)
            FROM temp.fold_day GROUP BY lane_by, lane, b
            ON CONFLICT DO UPDATE SET n = n + excluded.n""")
    conn.execute("DELETE FROM temp.fold_day")
    conn.execute("DELETE FROM movement_bins WHERE n = 0")
    conn.execute("DELETE FROM movement_log")
