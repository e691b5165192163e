from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.storage.store import Storage
from tests.doubles.cln import ClnDouble
from tests.doubles.lnd import LndDouble
from tests.doubles.phoenixd import PhoenixdDouble
from tests.support.lnbits import LnbitsServer, LnbitsUnavailable, start_lnbits


@pytest.fixture(scope="module", autouse=True)
def language_kept_to_the_module() -> Iterator[None]:
    """A module that switches the kiosk's language (its Chinese screens) leaves the next in the one before.

    The language is one setting for the process: tests/config after tests/ui/test_zh_screens.py
    read their messages in Chinese otherwise.
    """
    before = i18n.language()
    yield
    i18n.set_language(before)


@pytest.fixture(scope="session")
def lnbits() -> Iterator[LnbitsServer]:
    """A real LNbits (FakeWallet) on loopback, shared by the whole run."""
    try:
        server = start_lnbits()
    except LnbitsUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()


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


@pytest.fixture
def phoenixd():
    """A running phoenixd double on loopback (plain HTTP, as phoenixd listens)."""
    node = PhoenixdDouble().start()
    yield node
    node.kill()


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    """The kiosk's ledger: a real SQLite file, opened once, with its repositories."""
    opened = Storage.open(tmp_path / "ledger.sqlite3")
    yield opened
    opened.close()
