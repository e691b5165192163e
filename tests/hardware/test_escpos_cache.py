"""python-escpos's printer database is cached in one folder that lasts, not pickled into /tmp per start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

IMPORT = "import kiosk.hardware.rendering"


def start(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    subprocess.run([sys.executable, "-c", IMPORT], env=env, check=True, timeout=60)


def test_two_starts_share_one_cache_and_leave_no_pickle_in_tmp(tmp_path):
    (tmp_path / "tmp").mkdir()
    start(tmp_path)
    cache = tmp_path / "cache" / "lightning-kiosk" / "escpos"
    pickles = list(cache.glob("*.capabilities.pickle"))
    assert len(pickles) == 1
    written = pickles[0].stat().st_mtime_ns
    start(tmp_path)
    assert pickles[0].stat().st_mtime_ns == written  # read, not parsed and written again
    assert list((tmp_path / "tmp").rglob("*.pickle")) == []  # escpos 3.1 still makes an empty folder there
