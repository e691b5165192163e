"""Issue 13: old sales cost nothing at start-up (see benchmarks/startup_watch.py for the figures)."""

from pathlib import Path

from benchmarks.startup_watch import flat, measure


def test_200_cancelled_sales_in_grace_start_with_the_threads_and_sockets_of_none(tmp_path: Path):
    rows = [measure(tmp_path / str(n), n) for n in (0, 1, 200)]
    assert flat(rows).startswith("flat"), rows
    assert [r.lookups >= n for r, n in zip(rows, (1, 1, 200), strict=True)] == [False, True, True]
    assert [r.past_grace_lookups for r in rows] == [0, 0, 0]  # none for the sales past their grace
