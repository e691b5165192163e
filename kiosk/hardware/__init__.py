"""Adapters for the kiosk's devices: printers, the GPIO signal, the NFC reader.

python-escpos 3.1 parses its printer database (capabilities.json, through YAML) on every import
and pickles it into a new temporary folder unless ESCPOS_CAPABILITIES_PICKLE_DIR names one: each
start spent about 0.2 s parsing and left a 100 KB pickle in /tmp (the folder itself it makes
anyway, empty). The cache lives under the user's cache folder instead (the environment may name
another); every escpos import in the kiosk is in this package, so this runs first.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def _escpos_cache() -> Path | None:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser())
    return base / "lightning-kiosk" / "escpos" if base.is_absolute() else None  # no home: none


_cache = _escpos_cache()
if _cache is not None and "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    with contextlib.suppress(OSError):  # a cache that cannot be written: escpos's temporary folder
        _cache.mkdir(parents=True, exist_ok=True)
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_cache)
