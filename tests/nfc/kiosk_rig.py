"""A kiosk's checkout on a real LNbits with tap to pay on the virtual reader, for tests and the benchmark."""

from __future__ import annotations

import queue
from pathlib import Path

from kiosk.backends.lnbits import LnbitsBackend
from kiosk.config import NfcConfig, PaymentConfig, ShopConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale
from kiosk.hardware.nfc_pcsc import PcscReader
from kiosk.hardware.printers import NoPrinter
from kiosk.services.tap_to_pay import TapNews, TapState
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout, make_tap_to_pay
from tests.doubles.boltcard import BoltCardService
from tests.support.lnbits import LnbitsServer
from tests.support.vpcd import READER


class TapKiosk:
    def __init__(self, folder: Path, lnbits: LnbitsServer, issuer: BoltCardService, **nfc: object) -> None:
        assert lnbits.kiosk is not None
        self.storage = Storage.open(folder / "ledger.sqlite3")
        backend = LnbitsBackend(lnbits.url, Secret(lnbits.kiosk.inkey.encode()))
        self.checkout = make_checkout(
            backend,
            self.storage,
            NoPrinter(),
            PaymentConfig(),
            ShopConfig(name="Tap Café"),
        )
        config = NfcConfig(enabled=True, reader=READER, ca_cert_file=issuer.ca_file, **nfc)  # type: ignore[arg-type]
        self.tap = make_tap_to_pay(config, self.checkout, PcscReader(config.reader))
        self.news: queue.Queue[TapNews] = queue.Queue()
        self.tap.subscribe(self.news.put)
        self.tap.start()
        self.next_news(TapState.READY)

    def charge(self, sats: int) -> Sale:
        sale = self.checkout.charge(Quote(amount_msat=sats * 1000, fiat=None, rate=None), "Flat white")
        assert sale.invoice is not None, sale.error
        return sale

    def state(self, sale: Sale) -> object:
        return self.checkout.ledger.get(sale.id).state

    def next_news(self, *states: TapState, timeout: float = 10.0) -> TapNews:
        """The next news, which must be in one of `states`."""
        try:
            news = self.news.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no tap news within {timeout} s (waiting for {states})") from None
        assert news.state in states, news
        return news

    def close(self) -> None:
        self.tap.close()
        self.checkout.close()
        self.storage.close()
