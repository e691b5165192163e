"""BTCPay Server Greenfield adapter against the loopback BTCPay double: contract, faults, keys, TLS, proof."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.backends.btcpay import BtcpayBackend
from kiosk.backends.registry import make_backend
from kiosk.config import NodeConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleItem, SaleState
from kiosk.errors import ConfigError, ErrorKind
from kiosk.services.node_port import InvoiceState, StopSignal
from kiosk.storage.store import Storage
from tests.backends.contract import BackendContract
from tests.doubles.btcpay import BtcpayDouble
from tests.doubles.harness import (
    AMOUNT_MSAT,
    LEDGER_NAME,
    PAID,
    DoubleHarness,
    NodeFaults,
    charge,
    checkout_on,
    wait_for_state,
)
from tests.doubles.invoices import Forgery
from tests.support.errors import failure
from tests.support.wait import wait_until


@pytest.fixture
def double(tmp_path: Path):
    node = BtcpayDouble(tmp_path).start()
    yield node
    node.kill()


def adapter(double: BtcpayDouble, key: str | None = None, **kwargs: object) -> BtcpayBackend:
    kwargs.setdefault("tls_cert_file", double.cert_file)
    return BtcpayBackend(double.url, Secret((key or double.key).encode()), double.store_id, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def harness(double: BtcpayDouble, tmp_path: Path):
    key = tmp_path / "btcpay.key"
    key.write_text(double.key + "\n")
    config = NodeConfig(
        backend="btcpay",
        url=double.url,
        api_key_file=key,
        store_id=double.store_id,
        tls_cert_file=double.cert_file,
        network="regtest",
    )
    return DoubleHarness(make_backend(config), double)


class TestBtcpayContract(BackendContract, NodeFaults):
    def test_paid_invoice_reports_amount_and_preimage(self, harness: DoubleHarness):
        """BTCPay shows no preimage: a settled invoice reports its amount only."""
        created = harness.backend.create_invoice(self.amount_msat, "contract: pay", 600)
        harness.pay(created.bolt11)
        status = harness.backend.invoice_status(created.payment_hash)
        assert status.state is InvoiceState.PAID
        assert status.amount_received_msat == self.amount_msat
        assert status.preimage is None

    def test_push_reports_the_payment(self, harness: DoubleHarness):
        """No push channel (webhooks only): push() ends at once and polling watches."""
        assert list(harness.backend.push(frozenset, StopSignal())) == []

    def test_push_honours_stop_within_two_seconds(self, harness: DoubleHarness):
        assert list(harness.backend.push(frozenset, StopSignal())) == []

    def test_expired_invoice_is_not_paid(self, harness: DoubleHarness):
        """BTCPay's shortest expiry is 30 s: its clock is moved instead of waiting."""
        created = harness.backend.create_invoice(self.amount_msat, "contract: expires", 60)
        harness.double.expire_now(created.payment_hash)
        status = harness.backend.invoice_status(created.payment_hash)
        assert status.state is InvoiceState.EXPIRED and status.preimage is None

    def test_dropped_stream_is_reopened_and_reports_the_payment(self, harness: DoubleHarness, tmp_path: Path):
        """Nothing to drop: polling alone reports the payment."""
        with checkout_on(harness.backend, tmp_path) as checkout:
            sale = charge(checkout)
            harness.double.pay(sale.payment_hash)
            wait_for_state(checkout, sale.id, *PAID, timeout=5)

    @pytest.mark.parametrize("forgery", [Forgery.ONE_SAT_OF_21])
    def test_paid_without_proof_leaves_the_sale_payable(
        self, harness: DoubleHarness, tmp_path: Path, forgery: Forgery
    ):
        """A 'Settled' for less than asked is still refused (the amount is all BTCPay's proof has)."""
        super().test_paid_without_proof_leaves_the_sale_payable(harness, tmp_path, forgery)


def test_a_sale_pays_with_btcpay_status_recorded_as_its_proof(harness: DoubleHarness, tmp_path: Path):
    with checkout_on(harness.backend, tmp_path) as checkout:
        sale = charge(checkout)
        harness.double.pay(sale.payment_hash)
        paid = wait_for_state(checkout, sale.id, *PAID)
    assert (paid.proof, paid.preimage, paid.amount_received_msat) == ("btcpay status", None, AMOUNT_MSAT)
    reader = Storage.open(tmp_path / LEDGER_NAME)
    assert reader.sales.get(sale.id).proof == "btcpay status"
    assert reader.anomalies.recorded() == []
    reader.close()


def test_the_invoice_is_filed_with_the_sale(double: BtcpayDouble, harness: DoubleHarness, tmp_path: Path):
    items = (SaleItem("Flat white", 2, Decimal("4.50")),)
    quote = Quote(AMOUNT_MSAT, tip_msat=3_000, items=items)
    with checkout_on(harness.backend, tmp_path) as checkout:
        sale = checkout.charge(quote, "", 600)
    invoice = double.by_hash(sale.payment_hash)
    assert invoice.request["amount"] == "21" and invoice.request["currency"] == "SATS"
    assert invoice.request["checkout"]["expirationMinutes"] == 10
    metadata = invoice.metadata
    assert metadata["orderId"] == str(sale.id)
    assert metadata["itemDesc"] == "2 x Flat white"
    assert metadata["posData"]["cart"] == [{"title": "Flat white", "count": 2, "price": "4.50"}]
    assert metadata["posData"]["tip"] == "3" and metadata["posData"]["terminal"]


def test_paid_after_btcpays_expiry_is_paid_late(harness: DoubleHarness, tmp_path: Path):
    """Expired + PaidLate (InvoicePaidAfterExpiration) is a payment: the sale is paid late."""
    with checkout_on(harness.backend, tmp_path) as checkout:
        sale = charge(checkout, expiry_s=120)
        checkout.cancel(sale.id)
        harness.double.expire_now(sale.payment_hash)
        harness.double.pay(sale.payment_hash)
        assert harness.backend.invoice_status(sale.payment_hash).state is InvoiceState.PAID
        late = wait_for_state(checkout, sale.id, SaleState.PAID_LATE, SaleState.RECEIPT_PRINTED, timeout=15)
    assert late.settled_late and late.proof == "btcpay status"


def test_expiry_in_seconds_is_a_timespan(double: BtcpayDouble):
    created = adapter(double).create_invoice(AMOUNT_MSAT, "odd expiry", 150)
    assert double.by_hash(created.payment_hash).request["checkout"]["expirationMinutes"] == "0:02:30"
    assert (
        double.by_hash(created.payment_hash).expiration - double.by_hash(created.payment_hash).created == 150
    )


def test_invalid_invoice_is_cancelled(double: BtcpayDouble):
    backend = adapter(double)
    created = backend.create_invoice(AMOUNT_MSAT, "marked invalid", 600)
    double.mark_invalid(created.payment_hash)
    assert backend.invoice_status(created.payment_hash).state is InvoiceState.CANCELED


def test_after_a_restart_the_invoice_is_found_by_its_hash(double: BtcpayDouble):
    created = adapter(double).create_invoice(AMOUNT_MSAT, "before the restart", 600)
    double.pay(created.payment_hash)
    fresh = adapter(double)  # knows nothing of the invoice's BTCPay id
    assert fresh.invoice_status(created.payment_hash).state is InvoiceState.PAID
    assert fresh.requests["list"] == 1
    fresh.invoice_status(created.payment_hash)
    assert fresh.requests["list"] == 1  # found once, known after


def test_wrong_key_is_refused_without_showing_it(double: BtcpayDouble):
    wrong = "0" * 40
    error = failure(lambda: adapter(double, wrong).create_invoice(AMOUNT_MSAT, "coffee", 600))
    assert error.kind is ErrorKind.AUTH
    assert "does not accept the kiosk's API key" in error.message and wrong not in str(error)


def test_key_without_create_invoice_is_a_permission_error(double: BtcpayDouble):
    view_only = double.add_key(f"btcpay.store.canviewinvoices:{double.store_id}")
    error = failure(lambda: adapter(double, view_only).create_invoice(AMOUNT_MSAT, "coffee", 600))
    assert error.kind is ErrorKind.PERMISSION
    assert "btcpay.store.cancreateinvoice" in error.message


def test_least_privilege_key_has_no_extras_and_cannot_spend(double: BtcpayDouble):
    backend = adapter(double)
    grants = backend.grants()
    assert (grants.missing, grants.spending) == (frozenset(), frozenset())
    assert backend.credential_can_spend() is False


@pytest.mark.parametrize(
    "extra",
    [
        "btcpay.store.canmodifystoresettings",
        "btcpay.store.cancreatepullpayments",
        "btcpay.store.canuselightningnode",
    ],
)
def test_a_key_that_can_refund_or_pay_is_detected(double: BtcpayDouble, extra: str):
    store = double.store_id
    key = double.add_key(
        f"btcpay.store.cancreateinvoice:{store}", f"btcpay.store.canviewinvoices:{store}", extra
    )
    backend = adapter(double, key)
    assert backend.grants().spending == {extra} and backend.credential_can_spend() is True


def test_unpinned_self_signed_certificate_is_refused(double: BtcpayDouble):
    """No node.tls_cert_file: the system's CAs, which do not know the double's own CA."""
    error = failure(lambda: adapter(double, tls_cert_file=None).node_info())
    assert error.kind is ErrorKind.TLS


def test_plain_http_off_the_machine_is_refused():
    with pytest.raises(ConfigError, match="unencrypted"):
        BtcpayBackend("http://10.0.0.5", Secret(b"k" * 40), "store")


def test_node_info_says_sync_and_network(double: BtcpayDouble):
    info = adapter(double, network="regtest").node_info()
    assert (info.network, info.synced, info.pubkey) == ("regtest", True, None)
    double.synced = False
    assert adapter(double).node_info().synced is False
    assert adapter(double).node_info().network == "mainnet"


def test_a_wrong_store_id_is_a_permission_error(double: BtcpayDouble):
    backend = BtcpayBackend(double.url, Secret(double.key.encode()), "other-store", double.cert_file)
    assert failure(backend.node_info).kind is ErrorKind.PERMISSION


@pytest.mark.parametrize(
    "garbage",
    [
        {"status": "Paid"},
        {"status": None},
        {"status": "Settled", "paidAmount": "lots"},
        {"status": "Settled", "currency": "USD"},
    ],
)
def test_garbled_invoice_answers_are_malformed_and_pay_nothing(
    double: BtcpayDouble, harness: DoubleHarness, tmp_path: Path, garbage: dict
):
    with checkout_on(harness.backend, tmp_path) as checkout:
        sale = charge(checkout)
        double.overrides = garbage
        assert failure(lambda: harness.backend.invoice_status(sale.payment_hash)).kind is ErrorKind.MALFORMED
        lookups = checkout.watcher.lookups
        wait_until(lambda: checkout.watcher.lookups >= lookups + 2, 5, "lookups of the garbled answer")
        assert checkout.ledger.get(sale.id).state is SaleState.AWAITING_PAYMENT
        double.overrides = {}
        double.pay(sale.payment_hash)
        assert wait_for_state(checkout, sale.id, *PAID).proof == "btcpay status"
