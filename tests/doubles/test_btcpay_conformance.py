"""The BTCPay double and the adapter speak contracts/btcpay.toml: every exchange is checked against it."""

from pathlib import Path

import requests

from kiosk.backends.btcpay import BtcpayBackend
from kiosk.credentials import Secret
from tests.doubles import specs_btcpay
from tests.doubles.btcpay import BtcpayDouble, as_openapi_types


def test_every_exchange_follows_the_table(tmp_path: Path):
    double = BtcpayDouble(tmp_path).start()
    try:
        backend = BtcpayBackend(double.url, Secret(double.key.encode()), double.store_id, double.cert_file)
        backend.node_info()
        paid = backend.create_invoice(21_000, "spec: coffee", 600)
        double.pay(paid.payment_hash)
        backend.invoice_status(paid.payment_hash)
        late = backend.create_invoice(21_000, "spec: late", 150)
        double.expire_now(late.payment_hash)
        double.pay(late.payment_hash)
        backend.invoice_status(late.payment_hash)
        BtcpayBackend(
            double.url, Secret(double.key.encode()), double.store_id, double.cert_file
        ).invoice_status("00" * 32)  # a scan of the store's invoices
        backend.grants()
        session = requests.Session()
        session.trust_env, session.verify = False, str(double.cert_file)
        store = f"{double.url}/api/v1/stores/{double.store_id}/invoices"
        session.post(store, json={"amount": "21"})  # no key: 401
        session.post(
            store, json={"amount": "21", "speed": 1}, headers={"Authorization": f"token {double.key}"}
        )
        session.get(store + "/nope", headers={"Authorization": f"token {double.key}"})  # 404
    finally:
        double.kill()
    seen = set()
    for method, path, request, status, body in double.exchanges:
        row = specs_btcpay.endpoint(method, path)
        if status == 200:
            specs_btcpay.validate(body, specs_btcpay.schema(row["response"]))
            if "body" in row:
                specs_btcpay.validate(as_openapi_types(request), specs_btcpay.schema(row["body"]))
        else:
            assert str(status) in row["statuses"] or status in (401, 403), (method, path, status)
            specs_btcpay.validate(body, specs_btcpay.ERROR)
        seen.add((row["operation"], status))
    assert {s for _op, s in seen} >= {200, 400, 401, 404}
    assert {op for op, _s in seen} == {r["operation"] for r in specs_btcpay.table("btcpay")["endpoint"]}
