"""What Chinese line breaking costs per label text (kiosk/services/linebreak.py), p50/p95.

    .venv/bin/python -m benchmarks.linebreak [--runs 200]

Every msgstr of the zh_CN catalog is wrapped as the screen wraps it (a label's first layout: the
break opportunities not cached yet) at a width that fits it on one line (most labels: no UAX #14
work at all) and at 16 columns (body text that wraps), measured in display columns.
"""

from __future__ import annotations

import argparse
import statistics
import time

from babel.messages.pofile import read_po
from wcwidth import wcswidth

from kiosk.i18n import catalog_path
from kiosk.services import linebreak


def timings_ms(texts: list[str], width: int, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        for text in texts:
            linebreak.break_points.cache_clear()
            start = time.perf_counter()
            linebreak.wrap(text, width, wcswidth)
            out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with catalog_path("zh_CN").open("rb") as po:
        texts = [m.string for m in read_po(po) if m.id and m.string and linebreak.has_wide(m.string)]
    longest = max(wcswidth(text) for text in texts)
    for what, width in (("fits on one line", longest), ("wrapped at 16 columns", 16)):
        ms = sorted(timings_ms(texts, width, args.runs))
        p95 = ms[int(len(ms) * 0.95)]
        print(f"{len(texts)} Chinese texts, {what}: p50 {statistics.median(ms):.3f} ms, p95 {p95:.3f} ms")


if __name__ == "__main__":
    main()
