"""`python -m kiosk doctor` on an NWC connection: its methods, and a loud warning if it may pay."""

from pathlib import Path

from kiosk.backends.registry import make_backend
from kiosk.config import Config, NodeConfig, PaymentConfig
from kiosk.services.doctor import Check, Status, examine
from tests.doubles.nwc_node import NwcNode


def doctor(node: NwcNode, folder: Path) -> dict[str, Check]:
    uri_file = folder / "nwc.uri"
    uri_file.write_text(node.uri())
    node_config = NodeConfig(backend="nwc", nwc_uri_file=uri_file, timeout_seconds=5)
    config = Config(source="test", node=node_config, payment=PaymentConfig(max_sats=1_000_000))
    return {c.name: c for c in examine(config, lambda: make_backend(config.node))}


def test_a_receive_only_connection_passes(nwc_node: NwcNode, tmp_path: Path):
    checks = doctor(nwc_node, tmp_path)
    assert checks["invoice"].status is Status.OK, checks["invoice"]
    assert (
        checks["node"].message
        == "wallet 'double' answers over the relay in its connection URI, end to end encrypted"
    )
    assert checks["permissions"].status is Status.OK
    assert checks["permissions"].message.endswith("get_info, lookup_invoice, make_invoice")
    assert checks["least privilege"].status is Status.OK


def test_a_connection_that_may_pay_is_flagged_loudly(nwc_node: NwcNode, tmp_path: Path):
    nwc_node.wallet.methods += ["pay_invoice", "pay_keysend", "get_balance"]
    checks = doctor(nwc_node, tmp_path)
    assert checks["invoice"].status is Status.OK, checks["invoice"]
    assert checks["permissions"].status is Status.WARN
    assert "may PAY: pay_invoice, pay_keysend" in checks["permissions"].message
    assert checks["least privilege"].status is Status.WARN
    assert "CAN SPEND THE NODE'S FUNDS" in checks["least privilege"].message
    assert "nwc_uri_file" in checks["least privilege"].hint


def test_a_connection_that_may_not_look_up_invoices_fails(nwc_node: NwcNode, tmp_path: Path):
    nwc_node.wallet.methods.remove("lookup_invoice")
    checks = doctor(nwc_node, tmp_path)
    assert checks["permissions"].status is Status.FAIL
    assert "may not lookup_invoice" in checks["permissions"].message
