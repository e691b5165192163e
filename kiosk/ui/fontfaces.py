"""Noto Sans CJK SC, regular and bold, as single-face files the screen can open.

Debian's fonts-noto-cjk (Debian 12 and 13) ships each weight as one collection
(NotoSansCJK-Regular.ttc, NotoSansCJK-Bold.ttc) whose first face is the
Japanese one, and Kivy's text provider (SDL2_ttf) opens only a file's first
face: Chinese would show Japanese glyph forms (直, 骨, 角 differ). Set-up
(scripts/bootstrap.sh, deploy/install.sh) runs `python -m kiosk.ui.fontfaces`,
which saves the Simplified Chinese face of each collection as its own file in
the venv; the screen (kiosk/ui/fonts.py) uses them when they are there and
WenQuanYi Micro Hei, which has no bold, when they are not.
"""

from __future__ import annotations

import sys
from pathlib import Path

FAMILY = "Noto Sans CJK SC"
WEIGHTS = ("Regular", "Bold")
FACES_DIR = Path(sys.prefix) / "share" / "lightning-kiosk" / "fonts"
COLLECTIONS = Path("/usr/share/fonts/opentype/noto")


def face_path(weight: str, folder: Path = FACES_DIR) -> Path:
    return folder / f"NotoSansCJKsc-{weight}.otf"


def installed_faces(folder: Path = FACES_DIR) -> dict[str, Path]:
    """The SC faces set-up saved, by weight ("Regular", "Bold"); empty if none."""
    return {weight: path for weight in WEIGHTS if (path := face_path(weight, folder)).is_file()}


def extract(folder: Path = FACES_DIR, collections: Path = COLLECTIONS) -> list[Path]:
    """Save the SC face of each installed collection into `folder`; returns the files written.

    A face already saved from the same collection is kept (set-up runs this every time).
    """
    from fontTools.ttLib import TTCollection, TTLibError  # set-up only: the kiosk never needs fontTools

    written = []
    for weight in WEIGHTS:
        source, target = collections / f"NotoSansCJK-{weight}.ttc", face_path(weight, folder)
        if not source.is_file() or (target.is_file() and target.stat().st_mtime >= source.stat().st_mtime):
            continue
        try:
            faces = TTCollection(str(source), lazy=True).fonts
        except TTLibError as exc:
            raise ValueError(f"{source} cannot be read: {exc}") from exc
        face = next((f for f in faces if f["name"].getDebugName(1) == FAMILY), None)
        if face is None:
            raise ValueError(f"{source} has no {FAMILY} face")
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        face.save(str(partial))
        partial.replace(target)
        written.append(target)
    return written


def main() -> int:
    try:
        written = extract()
    except (OSError, ValueError) as exc:
        print(f"Chinese bold font not set up ({exc}): Chinese text stays regular", file=sys.stderr)
        return 0
    for path in written:
        print(f"saved {path}")
    if not installed_faces():
        print("no fonts-noto-cjk: Chinese text uses WenQuanYi Micro Hei, without bold", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
