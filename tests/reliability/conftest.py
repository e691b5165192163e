from collections.abc import Iterator

import pytest

from tests.support.lnbits import LnbitsServer, LnbitsUnavailable, start_lnbits


@pytest.fixture(scope="package")
def lnbits() -> Iterator[LnbitsServer]:
    try:
        server = start_lnbits()
    except LnbitsUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()
