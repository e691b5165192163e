"""Hypothesis feeds fuzzed NIP-47 replies and notifications to the Nostr Wallet Connect adapter.

Whatever the decrypted JSON (a reply of another method, an error without a code, results with
wrong types or missing keys, any JSON), create, lookup and node info either return a well-typed
result or raise BackendError, and a fuzzed notification is ignored or wakes a lookup: never
another exception, which would end a sale as "Unexpected error" or silence the relay's reader.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nostr_sdk import EventBuilder, Keys, Kind, Nip44Version, Tag, nip44_encrypt

from kiosk.backends.nwc import NwcBackend
from kiosk.backends.nwc_wire import result_of
from kiosk.credentials import Secret
from kiosk.errors import BackendError
from tests.attack.test_fuzzed_answers import CASES, EXAMPLES, HASH, REALISTIC, any_json, well_typed

KEYS = ["invoice", "payment_hash", "state", "amount", "preimage", "settled_at", "created_at",
        "expires_at", "type", "alias", "network", "block_height", "methods", "code", "message"]  # fmt: skip
METHODS = ["make_invoice", "lookup_invoice", "get_info", "pay_invoice", ""]
EXTRA = ["settled", "accepted", "regtest", "NOT_FOUND", "RATE_LIMITED"]
value = st.sampled_from([*REALISTIC, *EXTRA]) | any_json
shaped = st.dictionaries(st.sampled_from(KEYS), value, max_size=8)
replies = (
    st.fixed_dictionaries(
        {},
        optional={
            "result_type": st.sampled_from(METHODS) | any_json,
            "error": st.none() | shaped | any_json,
            "result": st.none() | shaped | any_json,
        },
    )
    | any_json
)
notes = (
    st.fixed_dictionaries(
        {"notification_type": st.sampled_from(["payment_received", "payment_sent"]) | any_json},
        optional={"notification": shaped | st.just({"payment_hash": HASH}) | any_json},
    )
    | any_json
)


@pytest.fixture
def backend():
    wallet = Keys.generate()
    relay = "ws%3A%2F%2F127.0.0.1%3A1"  # never reached: the session's call is replaced
    uri = f"nostr+walletconnect://{wallet.public_key().to_hex()}?relay={relay}&secret={'11' * 32}"
    adapter = NwcBackend(Secret(uri.encode()), timeout_s=1)
    yield adapter, wallet
    adapter.close()


def test_any_reply_is_a_result_or_a_backend_error(backend, monkeypatch: pytest.MonkeyPatch):
    adapter, _wallet = backend
    calls = [
        lambda: adapter.create_invoice(21_000, "fuzz", 600),
        lambda: adapter.invoice_status(HASH),
        adapter.node_info,
    ]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(reply=replies)
    def answer_each_call(reply: object) -> None:
        monkeypatch.setattr(adapter._session, "call", lambda method, _params: result_of(method, reply, "w"))
        for call in calls:
            try:
                result = call()
            except BackendError:
                continue
            assert well_typed(result), (reply, result)
        CASES["nwc"] += 1

    answer_each_call()


def test_any_notification_is_ignored_or_wakes_a_lookup(backend):
    adapter, wallet = backend
    session = adapter._session
    me = Keys.parse("11" * 32).public_key()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(note=notes)
    def notify(note: object) -> None:
        content = nip44_encrypt(wallet.secret_key(), me, json.dumps(note), Nip44Version.V2)
        event = EventBuilder(Kind(23196), content).tags([Tag.public_key(me)]).finalize(wallet)
        with session.feed() as feed:
            session.relay_event(event)  # no info event: a NIP-04 wallet, so 23196 is its kind
            woken = [] if feed.empty() else [feed.get()]
        assert all(isinstance(h, str) for h in woken)  # a hash wakes its lookup; nothing else comes
        paid = adapter._session.take_paid(HASH)
        assert paid is None or well_typed(paid)
        CASES["nwc notifications"] += 1

    notify()
