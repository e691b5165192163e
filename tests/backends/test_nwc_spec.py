"""The NWC wallet double says what NIP-47 (contracts/nwc.toml) says; the kiosk copes with a hostile relay."""

from __future__ import annotations

import json

from kiosk.backends.nwc import NwcBackend
from kiosk.credentials import Secret
from kiosk.errors import ErrorKind
from kiosk.services.node_port import InvoiceState
from tests.doubles.harness import AMOUNT_MSAT
from tests.doubles.nwc_node import NwcNode
from tests.doubles.specs import table
from tests.support.errors import failure
from tests.support.tcp_pipe import text_frame

TYPES = {"string": str, "integer": int, "timestamp": int, "object": dict, "list": list}


def assert_fields(row: dict[str, str], value: dict, what: str) -> None:
    required = {name for name, kind in row.items() if not kind.endswith("?")}
    assert required <= value.keys(), f"{what}: missing {required - value.keys()}"
    assert value.keys() <= row.keys(), f"{what}: not in NIP-47: {value.keys() - row.keys()}"
    for name, field in value.items():
        assert isinstance(field, TYPES[row[name].rstrip("?")]), f"{what}.{name}"


def test_every_reply_and_notification_of_the_double_is_nip_47s(nwc_node: NwcNode):
    backend = NwcBackend(Secret(nwc_node.uri().encode()), 5)
    try:
        backend.node_info()
        created = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
        assert backend.invoice_status(created.payment_hash).state is InvoiceState.OPEN
        nwc_node.pay(created.payment_hash)
        backend.invoice_status(created.payment_hash)  # answered by the notification, or the wallet
        assert backend.invoice_status(created.payment_hash).state is InvoiceState.PAID
        assert backend.invoice_status("00" * 32).state is InvoiceState.UNKNOWN
    finally:
        backend.close()
    nwc = table("nwc")
    kinds = set()
    for sent in nwc_node.wallet.sent:
        if "notification_type" in sent:
            assert sent.keys() == {"notification_type", "notification"}
            row = nwc["notification"][sent["notification_type"]]
            assert_fields(row, sent["notification"], sent["notification_type"])
            kinds.add(sent["notification_type"])
            continue
        assert sent.keys() == {"result_type", "error", "result"}
        method = sent["result_type"]
        kinds.add(method)
        if sent["error"] is None:
            assert_fields(nwc["method"][method]["result"], sent["result"], method)
        else:
            assert sent["result"] is None and sent["error"].keys() == {"code", "message"}
    assert kinds == {"get_info", "make_invoice", "lookup_invoice", "payment_received"}


def test_a_request_the_relay_refuses_fails_with_the_relays_reason(nwc_node: NwcNode):
    def refuse(request) -> None:
        ok = ["OK", request.id().to_hex(), False, "rate-limited: slow down there"]
        nwc_node.pipe.inject(text_frame(json.dumps(ok)))

    backend = NwcBackend(Secret(nwc_node.uri().encode()), 5)
    try:
        backend.node_info()
        nwc_node.wallet.before_reply = refuse
        nwc_node.wallet.mute = True
        error = failure(lambda: backend.create_invoice(AMOUNT_MSAT, "coffee", 600))
    finally:
        backend.close()
    assert error.kind is ErrorKind.TIMEOUT
    assert "refused the kiosk's request: rate-limited: slow down there" in error.message
