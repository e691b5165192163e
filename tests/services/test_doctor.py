import dataclasses

from kiosk.backends.demo import DemoNode
from kiosk.config import Config, NodeConfig
from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.services.doctor import Status, examine


def by_name(checks):
    return {c.name.split(" (")[0]: c for c in checks}


def test_demo_node_passes_with_a_test_network_warning():
    checks = by_name(examine(Config(), DemoNode))
    assert checks["network"].status is Status.WARN and "NOT real money" in checks["network"].message
    assert all(c.status is Status.OK for name, c in checks.items() if name != "network")
    assert checks["least privilege"].message.startswith("the credential cannot spend")


class SpendingNode(DemoNode):
    def credential_can_spend(self):
        return True

    def inbound_liquidity_msat(self):
        return 50_000_000  # 50k sats


def test_a_spending_credential_and_thin_liquidity_are_flagged_loudly():
    checks = by_name(examine(Config(), SpendingNode))
    assert checks["least privilege"].status is Status.WARN
    assert "CAN SPEND" in checks["least privilege"].message
    assert "50,000 sats can be received" in checks["inbound liquidity"].message
    assert checks["inbound liquidity"].status is Status.WARN


class UnsyncedNode(DemoNode):
    def node_info(self):
        return dataclasses.replace(super().node_info(), synced=False)


def test_unsynced_node_fails():
    assert by_name(examine(Config(), UnsyncedNode))["sync"].status is Status.FAIL


class WrongCertNode(DemoNode):
    def node_info(self):
        raise BackendError(ErrorKind.TLS, "The node's certificate is not the pinned one")


def test_unreachable_or_wrong_cert_stops_with_the_kind_and_the_fix():
    checks = examine(Config(node=NodeConfig(backend="demo")), WrongCertNode)
    last = checks[-1]
    assert last.status is Status.FAIL and last.name == "node (tls)"
    assert "doctor" in last.hint


def test_missing_credential_file_fails_before_any_call():
    def make():
        raise ConfigError("The LND macaroon file /x does not exist", "Copy the LND macaroon to /x")

    checks = examine(Config(), make)
    assert checks[-1].name == "credential" and checks[-1].status is Status.FAIL


def test_a_paid_answer_without_proof_kept_in_the_ledger_is_shown_by_the_doctor(tmp_path):
    from kiosk.domain.sale import Charge, Sale, transition
    from kiosk.services.settlement_proof import Anomaly, Unproven
    from kiosk.storage.store import Storage

    storage = Storage.open(tmp_path / "ledger.sqlite3")
    sale = storage.sales.add(transition(Sale(0, 1_000, 21_000, "Tea"), Charge(1_000)), 1_000)
    storage.anomalies.add(Anomaly(2_000, sale.id, "ab" * 32, Unproven.SHORT, 1_000, 21_000))
    storage.close()

    reader = Storage.open(tmp_path / "ledger.sqlite3")  # a restart: the record survived it
    try:
        checks = by_name(examine(Config(), DemoNode, reader.anomalies.recorded))
    finally:
        reader.close()
    proof = checks["payment proof"]
    assert proof.status is Status.WARN
    assert f"sale {sale.id}" in proof.message and "only 1000 of 21000 msat arrived" in proof.message
    assert "forging" in proof.hint


class Vouchers:
    """A voucher issuer as doctor sees it: its links listed, and what the spending probe said."""

    def __init__(self, can_pay, down: bool = False) -> None:
        self._can_pay, self._down = can_pay, down

    def find(self, key):
        if self._down:
            raise BackendError(ErrorKind.UNREACHABLE, "Cannot connect to lnbits.example")
        return None

    def can_pay(self):
        return self._can_pay


def test_refund_vouchers_a_key_that_can_pay_is_flagged_and_a_service_down_fails():
    admin_key = by_name(examine(Config(), DemoNode, vouchers=lambda: Vouchers(True)))
    assert admin_key["refund vouchers"].status is Status.OK
    key = admin_key["voucher key"]
    assert key.status is Status.WARN and "any invoice" in key.message
    assert "wallet for refunds alone" in key.hint
    limited = by_name(examine(Config(), DemoNode, vouchers=lambda: Vouchers(False)))
    assert limited["voucher key"].status is Status.OK
    down = by_name(examine(Config(), DemoNode, vouchers=lambda: Vouchers(None, down=True)))
    assert down["refund vouchers"].status is Status.FAIL and "voucher key" not in down
    assert "voucher key" not in by_name(examine(Config(), DemoNode))  # refunds.mode = "record"
