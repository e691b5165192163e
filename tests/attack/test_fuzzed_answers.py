"""Hypothesis serves fuzzed answers on loopback to every adapter's create, lookup and node info.

Whatever the body (JSON shaped like the node's answers with wrong types and
missing keys, any JSON, raw bytes, NaN, 1e999, deep nesting) and whatever the
status, each call either returns a well-typed result or raises BackendError:
never another exception, which would end a sale as "Unexpected error" or kill
the watcher. `CASES` counts the examples run (printed with `-s`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from coincurve import PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.backends.cln import ClnRest
from kiosk.backends.lnbits import LnbitsBackend
from kiosk.backends.lnd import LndRest
from kiosk.backends.phoenixd import Phoenixd
from kiosk.credentials import Secret
from kiosk.errors import BackendError
from kiosk.services.node_port import CreatedInvoice, InvoiceState, InvoiceStatus, LightningBackend, NodeInfo
from tests.support.hostile_proxy import HostileProxy, Reply
from tests.support.minting import sign_invoice

EXAMPLES = 300
HASH = hashlib.sha256(b"fuzz").hexdigest()
BOLT11 = sign_invoice(PrivateKey(), HASH)
CASES: Counter[str] = Counter()

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=12)
)
any_json = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
REALISTIC = [
    HASH,
    BOLT11,
    base64.b64encode(bytes.fromhex(HASH)).decode(),
    "SETTLED", "OPEN", "CANCELED", "paid", "unpaid", "expired", "success", "failed", "pending",
    "21000", 21_000, 1_700_000_000, "2026-12-02T08:00:00+00:00", True, False,
    [{"chain": "bitcoin", "network": "regtest"}],
    "Normal", "regtest", "payment_received", "incoming_payment",
    [{"state": "Normal", "inboundLiquiditySat": 9}],
]  # fmt: skip
KEYS = {
    "lnd": ["payment_request", "r_hash", "state", "amt_paid_msat", "r_preimage", "settle_date",
            "creation_date", "expiry", "code", "message", "identity_pubkey", "alias", "chains",
            "synced_to_chain", "block_height"],
    "cln": ["bolt11", "payment_hash", "invoices", "status", "amount_received_msat", "payment_preimage",
            "paid_at", "label", "code", "message", "id", "network", "alias", "blockheight"],
    "lnbits": ["payment_hash", "payment_request", "bolt11", "paid", "status", "preimage", "details",
               "amount", "updated_at", "detail", "name"],
    "phoenixd": ["serialized", "paymentHash", "amountSat", "type", "isPaid", "isExpired", "preimage",
                 "receivedSat", "requestedSat", "fees", "completedAt", "nodeId", "chain", "blockHeight",
                 "channels", "state", "inboundLiquiditySat", "version"],
}  # fmt: skip
HOSTILE = [b"[" * 5_000 + b"]" * 5_000, b"NaN", b"1e999", b"", b'{"payment_hash": "ab', b"\xff\xfe"]
STATUSES = [200, 201, 400, 401, 403, 404, 500, 502, 503, 520]


def shaped(kind: str) -> st.SearchStrategy[object]:
    """A dict with the node's own keys, each holding a realistic value or fuzz, nested one level."""
    value = st.sampled_from(REALISTIC) | any_json
    flat = st.dictionaries(st.sampled_from(KEYS[kind]), value, max_size=8)
    return st.dictionaries(st.sampled_from(KEYS[kind]), value | flat | st.lists(flat, max_size=2), max_size=8)


def bodies(kind: str) -> st.SearchStrategy[bytes]:
    as_json = (shaped(kind) | any_json).map(lambda v: json.dumps(v).encode())
    return as_json | st.binary(max_size=64) | st.sampled_from(HOSTILE)


@pytest.fixture(scope="module")
def server() -> Iterator[HostileProxy]:
    """No node behind it: every answer is the one the test sets."""
    proxy = HostileProxy(None)
    yield proxy
    proxy.close()


ADAPTERS: dict[str, Callable[[str], LightningBackend]] = {
    "lnd": lambda url: LndRest(url, Secret(b"macaroon"), None, timeout_s=2),
    "cln": lambda url: ClnRest(url, Secret(b"rune"), None, timeout_s=2),
    "lnbits": lambda url: LnbitsBackend(url, Secret(b"inkey"), timeout_s=2),
    "phoenixd": lambda url: Phoenixd(url, Secret(b"password"), timeout_s=2),
}


def well_typed(result: object) -> bool:
    if isinstance(result, CreatedInvoice):
        return isinstance(result.bolt11, str) and isinstance(result.payment_hash, str)
    if isinstance(result, InvoiceStatus):
        return (
            isinstance(result.state, InvoiceState)
            and type(result.amount_received_msat) is int
            and (result.preimage is None or isinstance(result.preimage, str))
            and (result.settled_at_ms is None or type(result.settled_at_ms) is int)
        )
    if isinstance(result, NodeInfo):
        return isinstance(result.network, str) and isinstance(result.synced, bool)
    return False


@pytest.mark.parametrize("kind", list(ADAPTERS))
def test_any_answer_is_a_result_or_a_backend_error(server: HostileProxy, kind: str):
    backend = ADAPTERS[kind](server.url)
    calls: list[Callable[[], object]] = [
        lambda: backend.create_invoice(21_000, "fuzz", 600),
        lambda: backend.invoice_status(HASH),
        backend.node_info,
    ]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(status=st.sampled_from(STATUSES), body=bodies(kind))
    def answer_each_call(status: int, body: bytes) -> None:
        server.clear()
        server.on("POST", "/", lambda _e: Reply(status, body))
        server.on("GET", "/", lambda _e: Reply(status, body))
        for call in calls:
            try:
                result = call()
            except BackendError:
                continue
            assert well_typed(result), (status, body, result)
        CASES[kind] += 1

    answer_each_call()
    print(f"\n{kind}: {CASES[kind]} fuzzed answers, {CASES[kind] * len(calls)} adapter calls")
    assert CASES[kind] >= EXAMPLES
