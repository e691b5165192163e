"""The doubles speak the upstream contracts: every body they produce is checked against shared/specs.

Each test drives a double through the adapter and by hand (errors the
adapter never provokes), then validates every exchange the double logged.
"""

from pathlib import Path

import jsonschema
import pytest
import requests

from kiosk.backends.cln import ClnRest
from kiosk.backends.lnd import LndRest
from kiosk.backends.phoenixd import Phoenixd
from kiosk.credentials import Secret
from tests.doubles.cln import ClnDouble
from tests.doubles.harness import first_pushed
from tests.doubles.lnd import LndDouble
from tests.doubles.phoenixd import PhoenixdDouble
from tests.doubles.specs import (
    CLN_ERROR,
    cln_schema,
    lnd_request_schema,
    lnd_response_schema,
    phoenixd_endpoint,
    phoenixd_schema,
    table,
    validate_cln,
    validate_lnd,
)
from tests.support.wait import wait_until

AMOUNT = 21_000


def lnd_state(node: LndDouble, payment_hash: str) -> str:
    return node.invoice_json(node.book.get(payment_hash))["state"]


def pinned_session(cert_file: Path) -> requests.Session:
    """For calls the adapters never make; the environment's CA bundle would override `verify`."""
    session = requests.Session()
    session.trust_env = False
    session.verify = str(cert_file)
    return session


def exercise_lnd(node: LndDouble) -> None:
    backend = LndRest(node.url, Secret(node.admin_macaroon), node.tls_cert_file)
    backend.node_info()
    created = backend.create_invoice(AMOUNT, "spec: coffee", 600)
    backend.invoice_status(created.payment_hash)
    first_pushed(backend, node, created.payment_hash)  # SubscribeInvoices: the SETTLED event
    backend.invoice_status(created.payment_hash)
    backend.invoice_status("00" * 32)  # 404
    expiring = backend.create_invoice(AMOUNT, "spec: expires", 1)
    wait_until(lambda: lnd_state(node, expiring.payment_hash) == "CANCELED", 5, "the expiry")
    backend.invoice_status(expiring.payment_hash)  # CANCELED
    session = pinned_session(node.tls_cert_file)
    admin = {"Grpc-Metadata-macaroon": node.admin_macaroon.hex()}
    session.get(node.url + "/v1/getinfo", headers={"Grpc-Metadata-macaroon": node.invoice_macaroon.hex()})
    session.get(node.url + "/v1/getinfo")
    session.post(node.url + "/v1/invoices", json={"value_msat": "1000", "tip": 1}, headers=admin)
    session.post(node.url + "/v1/invoices", json={"value": 1, "value_msat": 1000}, headers=admin)
    backend.inbound_liquidity_msat()  # ChannelBalance 200
    backend.credential_can_spend()  # DeletePayment 500: invalid hash length
    invoice_only = LndRest(node.url, Secret(node.invoice_macaroon), node.tls_cert_file)
    invoice_only.inbound_liquidity_msat()  # 500: permission denied
    invoice_only.credential_can_spend()  # 500: permission denied
    session.delete(node.url + "/v1/payment?payment_hash=" + "A" * 43 + "=", headers=admin)  # a 32-byte hash


def test_lnd_double_answers_by_lnd_swagger(lnd: LndDouble):
    exercise_lnd(lnd)
    seen = set()
    for method, path, request, status, body in lnd.exchanges:
        if method == "STREAM":
            schema = lnd_response_schema("GET", path, 200)
        else:
            schema = lnd_response_schema(method, path, status)
            if method == "POST" and status == 200:
                validate_lnd(request, lnd_request_schema(method, path))
        validate_lnd(body, schema)
        seen.add((method, path.split("/")[2], status))
    assert {
        ("GET", "getinfo", 200),
        ("POST", "invoices", 200),
        ("GET", "invoice", 200),
        ("GET", "invoice", 404),
        ("STREAM", "invoices", 200),
        ("GET", "getinfo", 500),
        ("POST", "invoices", 400),
        ("POST", "invoices", 500),
        ("GET", "balance", 200),
        ("GET", "balance", 500),
        ("DELETE", "payment", 500),
    } <= seen
    states = [b["result"]["state"] for m, _p, _r, _s, b in lnd.exchanges if m == "STREAM"]
    assert "SETTLED" in states
    looked_up = [b.get("state") for m, p, _r, s, b in lnd.exchanges if m == "GET" and "/invoice/" in p]
    assert "CANCELED" in looked_up


def test_lnd_strict_schema_catches_missing_fields_and_numbers_for_int64(lnd: LndDouble):
    backend = LndRest(lnd.url, Secret(lnd.admin_macaroon), lnd.tls_cert_file)
    created = backend.create_invoice(AMOUNT, "spec", 600)
    invoice = lnd.invoice_json(lnd.book.get(created.payment_hash))
    schema = lnd_response_schema("GET", "/v1/invoice/" + created.payment_hash, 200)
    validate_lnd(invoice, schema)
    without = {k: v for k, v in invoice.items() if k != "settle_date"}
    for broken in (without, invoice | {"value_msat": AMOUNT}, invoice | {"r_hash": "not base64!"}):
        with pytest.raises(jsonschema.ValidationError):
            validate_lnd(broken, schema)


def test_lnd_strict_schema_wants_channel_balance_amounts_as_sat_and_msat_strings(lnd: LndDouble):
    balance = lnd.channel_balance_json()
    schema = lnd_response_schema("GET", "/v1/balance/channels", 200)
    validate_lnd(balance, schema)
    remote = balance["remote_balance"]
    without_sat = {"msat": remote["msat"]}
    for broken in (without_sat, remote | {"msat": lnd.inbound_msat}, remote | {"msat": "1.5"}):
        with pytest.raises(jsonschema.ValidationError):
            validate_lnd(balance | {"remote_balance": broken}, schema)


def exercise_cln(node: ClnDouble) -> None:
    backend = ClnRest(node.url, Secret(node.rune.encode()), node.ca_cert_file)
    backend.node_info()
    created = backend.create_invoice(AMOUNT, "spec: coffee", 600)
    backend.invoice_status(created.payment_hash)
    first_pushed(backend, node, created.payment_hash)  # waitanyinvoice -> 201 paid
    backend.invoice_status(created.payment_hash)
    backend.invoice_status("00" * 32)  # empty list
    node.synced = False
    backend.node_info()
    session = pinned_session(node.ca_cert_file)
    rune = {"Rune": node.rune}
    label = node.book.get(created.payment_hash).label
    invoice = {"amount_msat": 1000, "label": label, "description": "again"}
    session.post(node.url + "/v1/invoice", json=invoice, headers=rune)  # 900
    session.post(
        node.url + "/v1/waitanyinvoice", json={"lastpay_index": 1, "timeout": 0}, headers=rune
    )  # 904
    session.post(node.url + "/v1/getinfo", json={})  # 403
    session.post(node.url + "/v1/getinfo", json={}, headers={"Rune": "bad"})  # 401
    session.post(node.url + "/v1/getinfo", json={}, headers={"Rune": node.invoice_only_rune})  # 401
    backend.inbound_liquidity_msat()  # listpeerchannels 201
    backend.credential_can_spend()  # pay 500: missing bolt11
    restricted = ClnRest(node.url, Secret(node.invoice_only_rune.encode()), node.ca_cert_file)
    restricted.inbound_liquidity_msat()  # 401 Not permitted
    restricted.credential_can_spend()  # 401 Not permitted
    peer = node.listpeerchannels_json()["channels"][0]["peer_id"]
    session.post(node.url + "/v1/listpeerchannels", json={"id": peer}, headers=rune)


def test_cln_double_answers_by_cln_schemas(cln: ClnDouble):
    exercise_cln(cln)
    seen = set()
    for _method, path, request, status, body in cln.exchanges:
        rpc = path.removeprefix("/v1/")
        if status == 201:
            validate_cln(request, cln_schema(rpc, "request"))
            validate_cln(body, cln_schema(rpc, "response"))
        else:
            validate_cln(body, CLN_ERROR)
        seen.add((rpc, status, body.get("code")))
    assert {
        ("getinfo", 201, None),
        ("invoice", 201, None),
        ("listinvoices", 201, None),
        ("waitanyinvoice", 201, None),
        ("waitanyinvoice", 500, 904),
        ("invoice", 500, 900),
        ("getinfo", 403, 1501),
        ("getinfo", 401, 1502),
        ("listpeerchannels", 201, None),
        ("listpeerchannels", 401, 1502),
        ("pay", 500, -32602),
        ("pay", 401, 1502),
    } <= seen


def test_cln_schemas_catch_a_wrong_type_and_a_missing_field(cln: ClnDouble):
    backend = ClnRest(cln.url, Secret(cln.rune.encode()), cln.ca_cert_file)
    created = backend.create_invoice(AMOUNT, "spec", 600)
    cln.pay(created.payment_hash)
    item = cln.invoice_json(cln.book.get(created.payment_hash))
    schema = cln_schema("listinvoices", "response")
    validate_cln({"invoices": [item]}, schema)
    without = {k: v for k, v in item.items() if k != "payment_preimage"}
    for broken in (without, item | {"amount_received_msat": "21000msat"}, item | {"status": "settled"}):
        with pytest.raises(jsonschema.ValidationError):
            validate_cln({"invoices": [broken]}, schema)


def test_cln_listpeerchannels_schema_catches_a_missing_field_and_a_string_amount(cln: ClnDouble):
    schema = cln_schema("listpeerchannels", "response")
    channels = cln.listpeerchannels_json()["channels"]
    validate_cln({"channels": channels}, schema)
    usable = channels[0]
    without = {k: v for k, v in usable.items() if k != "direction"}  # required with a short_channel_id
    for broken in (without, usable | {"receivable_msat": "1000msat"}, usable | {"state": "NORMAL"}):
        with pytest.raises(jsonschema.ValidationError):
            validate_cln({"channels": [broken]}, schema)


def exercise_phoenixd(node: PhoenixdDouble) -> None:
    limited = Phoenixd(node.url, Secret(node.limited_password.encode()), timeout_s=5)
    full = Phoenixd(node.url, Secret(node.full_password.encode()), timeout_s=5)
    limited.node_info()
    created = limited.create_invoice(AMOUNT, "spec: coffee", 600, sale_id=7)
    limited.create_invoice(AMOUNT, "x" * 129, 600)  # descriptionHash
    limited.invoice_status(created.payment_hash)  # unpaid
    first_pushed(limited, node, created.payment_hash)  # the payment_received frame
    limited.invoice_status(created.payment_hash)  # paid
    limited.invoice_status("00" * 32)  # 404 Not found
    expiring = limited.create_invoice(AMOUNT, "spec: expires", 1)
    wait_until(lambda: node.book.get(expiring.payment_hash).is_expired(), 5, "the expiry")
    limited.invoice_status(expiring.payment_hash)  # isExpired
    limited.credential_can_spend()  # payinvoice 401
    full.credential_can_spend()  # payinvoice 400: not an invoice
    session = requests.Session()
    session.trust_env = False
    auth = ("", node.limited_password)
    session.get(node.url + "/getinfo")  # 401
    session.post(node.url + "/createinvoice", data={"amountSat": "21"}, auth=auth)  # no description
    session.post(node.url + "/createinvoice", data={"description": "é" * 129, "amountSat": "1"}, auth=auth)
    session.post(node.url + "/createinvoice", data={"description": "a", "amountSat": "x"}, auth=auth)
    session.get(node.url + "/payments/incoming/nothex", auth=auth)
    session.get(node.url + "/nosuchthing", auth=auth)
    session.post(node.url + "/payinvoice", data={}, auth=("", node.full_password))  # invoice missing


def test_phoenixd_double_answers_by_the_phoenixd_table(phoenixd: PhoenixdDouble):
    exercise_phoenixd(phoenixd)
    contract = table("phoenixd")
    seen = set()
    for method, path, request, status, body in phoenixd.exchanges:
        row = phoenixd_endpoint("GET" if method == "WS" else method, path) if path != "/nosuchthing" else None
        if status in (101, 200):
            jsonschema.validate(body, phoenixd_schema(row["response"], row.get("typed", False)))
            assert set(request or {}) <= set(row.get("form", {})), (path, request)
        else:
            assert isinstance(body, str) and status in (400, 401, 404), (path, status, body)
            if status == 401 or (status == 404 and row is None):
                assert body == contract["http"]["errors"][str(status)]
        seen.add((method, path.split("/")[1], status))
    assert {
        ("GET", "getinfo", 200),
        ("POST", "createinvoice", 200),
        ("GET", "payments", 200),
        ("GET", "payments", 404),
        ("WS", "websocket", 101),
        ("POST", "payinvoice", 401),
        ("POST", "payinvoice", 400),
        ("GET", "getinfo", 401),
        ("POST", "createinvoice", 400),
        ("GET", "payments", 400),
        ("GET", "nosuchthing", 404),
    } <= seen
    looked_up = [b for m, p, _r, s, b in phoenixd.exchanges if p.startswith("/payments/") and s == 200]
    assert {(b["isPaid"], b["isExpired"]) for b in looked_up} == {
        (False, False),
        (True, False),
        (False, True),
    }


def test_phoenixd_schema_catches_a_null_a_missing_field_and_a_fraction_of_a_sat(phoenixd: PhoenixdDouble):
    backend = Phoenixd(phoenixd.url, Secret(phoenixd.limited_password.encode()), timeout_s=5)
    created = backend.create_invoice(AMOUNT, "spec", 600)
    phoenixd.pay(created.payment_hash)
    item = phoenixd.incoming_json(phoenixd.book.get(created.payment_hash))
    schema = phoenixd_schema("IncomingPayment", typed=True)
    jsonschema.validate(item, schema)
    without = {k: v for k, v in item.items() if k != "preimage"}
    for broken in (without, item | {"externalId": None}, item | {"receivedSat": 21.5}, item | {"type": "x"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)
