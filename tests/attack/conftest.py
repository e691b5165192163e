"""Attack fixtures: the kiosk's checkout, its node reached only through a hostile proxy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.backends.lnbits import LnbitsBackend
from kiosk.credentials import Secret
from kiosk.domain.sale import Sale, SaleState
from kiosk.services.checkout import Checkout
from tests.doubles.harness import checkout_on
from tests.doubles.lnd import LndDouble
from tests.doubles.phoenixd import PhoenixdDouble
from tests.support.hostile_proxy import HostileProxy
from tests.support.lnbits import LnbitsServer

TIMEOUT_S = 10.0  # the kiosk's default node timeout: the real LNbits takes 2-3 s for an invoice at times


@pytest.fixture
def lnbits_proxy(lnbits: LnbitsServer) -> Iterator[HostileProxy]:
    """A hostile proxy in front of the session's real LNbits."""
    proxy = HostileProxy(lnbits.url)
    yield proxy
    proxy.close()


@pytest.fixture
def lnd_proxy(lnd: LndDouble) -> Iterator[HostileProxy]:
    """A hostile proxy in front of the LND double, over its pinned TLS."""
    proxy = HostileProxy(lnd.url, lnd.tls_cert_file)
    yield proxy
    proxy.close()


@pytest.fixture
def phoenixd_proxy(phoenixd: PhoenixdDouble) -> Iterator[HostileProxy]:
    """A hostile proxy in front of the phoenixd double (plain HTTP, as phoenixd on the kiosk)."""
    proxy = HostileProxy(phoenixd.url)
    yield proxy
    proxy.close()


class Watched:
    """A checkout and every sale its listeners were told of: what the screen could have shown."""

    def __init__(self, checkout: Checkout) -> None:
        self.checkout = checkout
        self.told: list[Sale] = []
        checkout.subscribe(self.told.append)

    def shown(self, sale_id: int) -> list[Sale]:
        """Every state of the sale with an invoice in it, as the screen heard of it."""
        return [s for s in self.told if s.id == sale_id and s.invoice is not None]


@pytest.fixture
def kiosk(lnbits: LnbitsServer, lnbits_proxy: HostileProxy, tmp_path: Path) -> Iterator[Watched]:
    """The real checkout on a real ledger; its LNbits adapter talks to the proxy with the kiosk's key."""
    assert lnbits.kiosk is not None
    backend = LnbitsBackend(lnbits_proxy.url, Secret(lnbits.kiosk.inkey.encode()), timeout_s=TIMEOUT_S)
    with checkout_on(backend, tmp_path, poll_s=0.1) as checkout:
        yield Watched(checkout)


def assert_refused(kiosk: Watched, sale: Sale, *words: str) -> None:
    """The sale ended FAILED with a do-not-take-payment reason; no invoice ever reached screen or ledger."""
    stored = kiosk.checkout.ledger.get(sale.id)
    assert sale.state is SaleState.FAILED and stored.state is SaleState.FAILED, sale
    assert stored.invoice is None and sale.invoice is None
    assert kiosk.shown(sale.id) == []
    assert sale.error is not None
    for word in words:
        assert word in sale.error, sale.error
    assert not any(s.state.is_paid for s in kiosk.told if s.id == sale.id)
