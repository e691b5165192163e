"""The screenshot tour in Chinese reaches every screen (its checks read the translated texts)."""

from __future__ import annotations

import pytest

from tests.ui.test_main import TOUR, run_main


@pytest.mark.ui
def test_the_tour_runs_in_chinese(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[ui]\nlanguage = "zh_CN"\n', encoding="utf-8")
    out = tmp_path / "tour"
    result = run_main("--config", str(config), "--demo", "--tour", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.stem for p in out.glob("*.png")) == TOUR
