"""Choose the node adapter named in the config.

Each adapter is imported only when chosen: the others' libraries (nostr-sdk, websocket-client,
...) stay out of the kiosk's memory.
"""

from __future__ import annotations

import socket

from kiosk.backends.demo import DemoNode
from kiosk.config import NodeConfig
from kiosk.credentials import read_secret
from kiosk.errors import ConfigError
from kiosk.services.node_port import LightningBackend


def make_backend(node: NodeConfig, demo_pay_after_s: float | None = None) -> LightningBackend:
    if node.backend == "demo":
        return DemoNode(pay_after_s=demo_pay_after_s)
    if node.backend == "lnd" and node.macaroon_file is not None:
        macaroon = read_secret(node.macaroon_file, "LND macaroon", binary=True)
        from kiosk.backends.lnd import LndRest

        return LndRest(
            node.url, macaroon, node.tls_cert_file, node.timeout_seconds, node.network, node.pubkey
        )
    if node.backend == "cln" and node.rune_file is not None:
        rune = read_secret(node.rune_file, "Core Lightning rune")
        from kiosk.backends.cln import ClnRest

        return ClnRest(node.url, rune, node.ca_cert_file, node.timeout_seconds)
    if node.backend == "lnbits" and node.invoice_key_file is not None:
        key = read_secret(node.invoice_key_file, "LNbits invoice key")
        from kiosk.backends.lnbits import LnbitsBackend

        return LnbitsBackend(node.url, key, node.tls_cert_file, node.timeout_seconds, node.network)
    if node.backend == "phoenixd" and node.password_file is not None:
        password = read_secret(node.password_file, "phoenixd password")
        from kiosk.backends.phoenixd import Phoenixd

        return Phoenixd(node.url, password, node.tls_cert_file, node.timeout_seconds)
    if node.backend == "nwc" and node.nwc_uri_file is not None:
        uri = read_secret(node.nwc_uri_file, "Nostr Wallet Connect URI")
        from kiosk.backends.nwc import NwcBackend

        return NwcBackend(uri, node.timeout_seconds, node.network)
    if node.backend == "btcpay" and node.api_key_file is not None:
        key = read_secret(node.api_key_file, "BTCPay Server API key")
        from kiosk.backends.btcpay import BtcpayBackend

        return BtcpayBackend(
            node.url,
            key,
            node.store_id,
            node.tls_cert_file,
            node.timeout_seconds,
            node.network,
            socket.gethostname(),
        )
    raise ConfigError(
        f"Backend {node.backend!r} is not available in this version",
        'Set node.backend = "demo"',
    )
