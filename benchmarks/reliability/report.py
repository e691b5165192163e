"""docs/reliability.md: one section per harness part, each rewritten by the run that measured it."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.support.lnbits import ROOT

REPORT = ROOT / "docs" / "reliability.md"
PARTS = ("powercut", "faults", "soak")
TITLE = "# Reliability: power cuts, faults and a soak"
INTRO = """Made by `.venv/bin/python -m benchmarks.reliability` (all parts; `--parts soak --sales 50` for a
short run of one part, which rewrites only its own section). Every part runs the kiosk's real services
against a real LNbits 1.6.2 (FakeWallet) on 127.0.0.1, a real SQLite ledger file and a network printer
stood in by a real TCP socket that records every byte. Each check is automated: the command exits 1 if
anything is lost or a limit is passed. A quick version of the power-cut and fault checks runs in pytest
(`tests/reliability/`)."""


def _commit() -> str:
    """The commit the run started from (taken at import: the tree may move on during a long run)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    )
    return head.stdout.strip() + (" plus uncommitted changes" if dirty.stdout.strip() else "")


COMMIT = _commit()


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    return (
        f"{cpu}, {os.cpu_count()} cores (shared with other jobs), {mem_kib / 1024 / 1024:.0f} GiB RAM; "
        f"Linux {platform.release()}; Python {platform.python_version()}; Kivy headless "
        "(SDL_VIDEODRIVER=offscreen, Mesa llvmpipe software GL); not a Raspberry Pi"
    )


def command_line() -> str:
    return " ".join(["python -m benchmarks.reliability", *sys.argv[1:]])


def write_section(name: str, title: str, lines: list[str], path: Path = REPORT) -> None:
    """Replace the part's section (or add it), stamped with when and how it was made."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            f"<!-- part:{name} -->",
            f"## {title}",
            "",
            f"Run {stamp} at commit {COMMIT} with `{command_line()}` on: {machine()}.",
            "",
            *lines,
            f"<!-- /part:{name} -->",
        ]
    )
    text = path.read_text() if path.exists() else f"{TITLE}\n\n{INTRO}\n"
    pattern = re.compile(rf"<!-- part:{name} -->.*?<!-- /part:{name} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: body, text)
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(_in_order(text))


def _in_order(text: str) -> str:
    """Keep the sections in PARTS order whichever ran last."""
    head = re.split(r"<!-- part:", text, maxsplit=1)[0].rstrip("\n")
    sections = {
        name: m.group(0)
        for name in PARTS
        if (m := re.search(rf"<!-- part:{name} -->.*?<!-- /part:{name} -->", text, re.S))
    }
    return head + "\n\n" + "\n\n".join(sections[n] for n in PARTS if n in sections) + "\n"
