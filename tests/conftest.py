from pathlib import Path

import pytest

from tests.doubles.cln import ClnDouble
from tests.doubles.lnd import LndDouble


@pytest.fixture
def lnd(tmp_path: Path):
    """A running LND REST double on loopback."""
    node = LndDouble(tmp_path).start()
    yield node
    node.kill()


@pytest.fixture
def cln(tmp_path: Path):
    """A running Core Lightning clnrest double on loopback."""
    node = ClnDouble(tmp_path).start()
    yield node
    node.kill()
