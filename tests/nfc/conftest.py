from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.doubles.boltcard import BoltCardService
from tests.support.lnbits import LnbitsServer
from tests.support.vpcd import Pcscd, PcscUnavailable


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    """A private pcscd with one virtual (vpcd) reader, for the whole run: libpcsclite reads
    PCSCLITE_CSOCK_NAME once per process, so every test talks to this one."""
    try:
        daemon = Pcscd().start()
    except PcscUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PCSCLITE_CSOCK_NAME", str(daemon.socket_path))
        yield daemon
    daemon.close()


@pytest.fixture
def issuer(tmp_path: Path, lnbits: LnbitsServer) -> Iterator[BoltCardService]:
    """The card issuer's LNURL-withdraw service; it pays from LNbits' customer wallet."""
    service = BoltCardService(tmp_path, lnbits.pay).start()
    yield service
    service.kill()
