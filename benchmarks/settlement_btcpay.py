"""The BTCPay Server row of the settlement benchmark (settlement_doubles.DOUBLES["btcpay"]).

The Greenfield double on loopback HTTPS with the kiosk's least-privilege store key. BTCPay
pushes only by webhook (an address the kiosk does not have), so the kiosk polls: pay -> PAID
is set by payment.poll_interval_seconds (default 1 s). Requests: every Greenfield call the
double answered (create, payment-methods, status lookups, node info).
"""

from __future__ import annotations

from pathlib import Path

from kiosk.backends.btcpay import BtcpayBackend
from kiosk.credentials import Secret
from tests.doubles.btcpay import BtcpayDouble


def btcpay(folder: Path) -> tuple[BtcpayBackend, BtcpayDouble]:
    node = BtcpayDouble(folder).start()
    backend = BtcpayBackend(
        node.url, Secret(node.key.encode()), node.store_id, node.cert_file, network="regtest"
    )
    return backend, node
