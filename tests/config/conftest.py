from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "kiosk.example.toml"


@pytest.fixture
def write(tmp_path: Path):
    """Write a kiosk.toml (with the ledger beside it) and return its path."""

    def write(text: str, ledger: str = "ledger.sqlite3") -> Path:
        path = tmp_path / "kiosk.toml"
        path.write_text(f'{text}\n[ledger]\npath = "{ledger}"\n' if "[ledger]" not in text else text)
        return path

    return write
