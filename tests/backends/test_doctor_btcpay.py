"""`python -m kiosk doctor` end to end against the BTCPay Server double."""

from pathlib import Path

import pytest

from kiosk.backends.registry import make_backend
from kiosk.config import Config, NodeConfig
from kiosk.services.doctor import Check, Status, examine
from tests.doubles.btcpay import NEEDED, BtcpayDouble


@pytest.fixture
def double(tmp_path: Path):
    node = BtcpayDouble(tmp_path).start()
    yield node
    node.kill()


def doctor(double: BtcpayDouble, key: str, folder: Path) -> dict[str, Check]:
    path = folder / "btcpay.key"
    path.write_text(key + "\n")
    node = NodeConfig(
        backend="btcpay",
        url=double.url,
        api_key_file=path,
        store_id=double.store_id,
        tls_cert_file=double.cert_file,
        network="regtest",
    )
    config = Config(source="test", node=node)
    return {c.name: c for c in examine(config, lambda: make_backend(config.node))}


def test_the_least_privilege_key_passes_with_a_notice_on_how_payments_are_proven(
    double: BtcpayDouble, tmp_path: Path
):
    checks = doctor(double, double.key, tmp_path)
    assert checks["node"].status is Status.OK and "certificate verified" in checks["node"].message
    assert checks["invoice"].status is Status.OK, checks["invoice"]
    assert checks["least privilege"].status is Status.OK
    assert checks["permissions"].status is Status.OK
    proof = checks["settlement proof"]
    assert proof.status is Status.NOTE and "btcpay status" in proof.message and "preimage" in proof.message
    assert not any(c.status is Status.FAIL for c in checks.values())


@pytest.mark.parametrize(
    "extra", ["btcpay.store.canmodifystoresettings", "btcpay.store.canmanagepullpayments"]
)
def test_a_key_that_can_do_more_is_flagged_loudly(double: BtcpayDouble, tmp_path: Path, extra: str):
    key = double.add_key(*(f"{p}:{double.store_id}" for p in NEEDED), extra)
    checks = doctor(double, key, tmp_path)
    assert checks["permissions"].status is Status.WARN
    assert "!!!" in checks["permissions"].message and extra in checks["permissions"].message
    assert checks["least privilege"].status is Status.WARN
    assert "CAN SPEND" in checks["least privilege"].message


def test_an_unreachable_store_fails_at_the_node(double: BtcpayDouble, tmp_path: Path):
    double.kill()
    checks = doctor(double, double.key, tmp_path)
    assert checks["node (unreachable)"].status is Status.FAIL
