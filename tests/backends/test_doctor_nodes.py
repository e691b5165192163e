"""`python -m kiosk doctor` end to end against the LND and Core Lightning doubles."""

from pathlib import Path

from kiosk.backends.registry import make_backend
from kiosk.config import Config, NodeConfig, PaymentConfig
from kiosk.services.doctor import Check, Status, examine
from tests.doubles.cln import INVOICE_ONLY_METHODS, ClnDouble
from tests.doubles.lnd import LndDouble

MAX_SATS = 1_000_000


def lnd_config(node: LndDouble, macaroon: bytes, folder: Path) -> Config:
    path = folder / "kiosk.macaroon"
    path.write_bytes(macaroon)
    # invoice.macaroon may not read GetInfo: the doctor then relies on the configured identity.
    settings = NodeConfig(
        backend="lnd",
        url=node.url,
        macaroon_file=path,
        tls_cert_file=node.tls_cert_file,
        network="regtest",
        pubkey=node.book.pubkey,
    )
    return Config(source="test", node=settings, payment=PaymentConfig(max_sats=MAX_SATS))


def cln_config(node: ClnDouble, rune: str, folder: Path) -> Config:
    path = folder / "kiosk.rune"
    path.write_text(rune + "\n")
    settings = NodeConfig(backend="cln", url=node.url, rune_file=path, ca_cert_file=node.ca_cert_file)
    return Config(source="test", node=settings, payment=PaymentConfig(max_sats=MAX_SATS))


def doctor(config: Config) -> dict[str, Check]:
    checks = examine(config, lambda: make_backend(config.node))
    return {c.name: c for c in checks}


def assert_node_usable(checks: dict[str, Check]) -> None:
    """Everything but the diagnostics under test passes (regtest is a warning by design)."""
    assert checks["invoice"].status is Status.OK, checks["invoice"]
    assert checks["network"].status is Status.WARN and "NOT real money" in checks["network"].message


def test_lnd_invoice_macaroon_is_least_privilege_but_cannot_read_liquidity(lnd: LndDouble, tmp_path: Path):
    checks = doctor(lnd_config(lnd, lnd.invoice_macaroon, tmp_path))
    assert_node_usable(checks)
    assert checks["least privilege"].status is Status.OK
    assert checks["inbound liquidity"].status is Status.WARN
    assert "may not read channel balances" in checks["inbound liquidity"].message


def test_lnd_admin_macaroon_is_flagged_loudly(lnd: LndDouble, tmp_path: Path):
    checks = doctor(lnd_config(lnd, lnd.admin_macaroon, tmp_path))
    assert_node_usable(checks)
    assert checks["least privilege"].status is Status.WARN
    assert "CAN SPEND THE NODE'S FUNDS" in checks["least privilege"].message
    assert "invoice.macaroon" in checks["least privilege"].hint


def test_lnd_thin_inbound_liquidity_is_a_warning_with_the_figures(lnd: LndDouble, tmp_path: Path):
    lnd.inbound_msat = 250_000_500  # 250,000 sats and a half
    checks = doctor(lnd_config(lnd, lnd.kiosk_macaroon, tmp_path))
    assert_node_usable(checks)
    assert checks["least privilege"].status is Status.OK
    liquidity = checks["inbound liquidity"]
    assert liquidity.status is Status.WARN
    assert liquidity.message == "250,000 sats can be received; the largest sale allowed is 1,000,000 sats"


def test_lnd_enough_inbound_liquidity_is_ok(lnd: LndDouble, tmp_path: Path):
    lnd.inbound_msat = 2_000_000_000
    checks = doctor(lnd_config(lnd, lnd.kiosk_macaroon, tmp_path))
    assert checks["inbound liquidity"].status is Status.OK
    assert checks["inbound liquidity"].message == "2,000,000 sats can be received"


def test_cln_invoice_rune_is_least_privilege_but_cannot_read_liquidity(cln: ClnDouble, tmp_path: Path):
    rune = cln.restricted_rune(INVOICE_ONLY_METHODS | {"getinfo"})
    checks = doctor(cln_config(cln, rune, tmp_path))
    assert_node_usable(checks)
    assert checks["least privilege"].status is Status.OK
    assert checks["inbound liquidity"].status is Status.WARN
    assert "may not read channel balances" in checks["inbound liquidity"].message


def test_cln_rune_without_getinfo_stops_at_the_node_check(cln: ClnDouble, tmp_path: Path):
    checks = doctor(cln_config(cln, cln.invoice_only_rune, tmp_path))
    assert checks["node (permission)"].status is Status.FAIL
    assert "least privilege" not in checks


def test_cln_kiosk_rune_is_least_privilege(cln: ClnDouble, tmp_path: Path):
    checks = doctor(cln_config(cln, cln.kiosk_rune, tmp_path))
    assert_node_usable(checks)
    assert checks["least privilege"].status is Status.OK
    assert checks["inbound liquidity"].status is Status.OK


def test_cln_full_rune_is_flagged_loudly(cln: ClnDouble, tmp_path: Path):
    checks = doctor(cln_config(cln, cln.rune, tmp_path))
    assert_node_usable(checks)
    assert checks["least privilege"].status is Status.WARN
    assert "CAN SPEND THE NODE'S FUNDS" in checks["least privilege"].message


def test_cln_thin_inbound_liquidity_is_a_warning_with_the_figures(cln: ClnDouble, tmp_path: Path):
    cln.inbound_msat = 99_999_999  # the offline and pending channels' capacity does not count
    checks = doctor(cln_config(cln, cln.kiosk_rune, tmp_path))
    liquidity = checks["inbound liquidity"]
    assert liquidity.status is Status.WARN
    assert liquidity.message == "99,999 sats can be received; the largest sale allowed is 1,000,000 sats"
