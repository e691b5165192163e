"""`python -m kiosk doctor` end to end against the phoenixd double: its verdicts for each password."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.backends.registry import make_backend
from kiosk.config import Config, NodeConfig, PaymentConfig
from kiosk.services.doctor import LEAST_PRIVILEGE_FIX, Check, Status, examine
from tests.doubles.phoenixd import PhoenixdDouble


def config(node: PhoenixdDouble, password: str, folder: Path) -> Config:
    path = folder / "phoenixd-limited.password"
    path.write_text(password + "\n")
    settings = NodeConfig(backend="phoenixd", url=node.url, password_file=path)
    return Config(source="test", node=settings, payment=PaymentConfig(max_sats=1_000_000))


def doctor(config: Config) -> dict[str, Check]:
    return {c.name: c for c in examine(config, lambda: make_backend(config.node))}


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh_CN")
    try:
        yield
    finally:
        i18n.set_language("en")


def test_limited_password_passes_every_check(phoenixd: PhoenixdDouble, tmp_path: Path):
    checks = doctor(config(phoenixd, phoenixd.limited_password, tmp_path))
    assert checks["node"].status is Status.OK
    assert f"answers at {phoenixd.url} over plain HTTP" in checks["node"].message
    assert checks["sync"].message == "synced at block 1,234"
    assert checks["invoice"].status is Status.OK and "payee not checked" not in checks["invoice"].message
    assert checks["inbound liquidity"].message == "1,500,000 sats can be received"
    assert checks["least privilege"].status is Status.OK
    assert [(p, s) for _m, p, _r, s, _b in phoenixd.exchanges if p == "/payinvoice"] == [("/payinvoice", 401)]


def test_full_password_is_flagged_loudly_and_the_fix_named(phoenixd: PhoenixdDouble, tmp_path: Path):
    checks = doctor(config(phoenixd, phoenixd.full_password, tmp_path))
    spending = checks["least privilege"]
    assert spending.status is Status.WARN
    assert spending.message == "!!! THE KIOSK'S CREDENTIAL CAN SPEND THE NODE'S FUNDS !!!"
    assert "http-password-limited-access" in spending.hint and "never http-password" in spending.hint
    assert phoenixd.full_password not in spending.message + spending.hint
    assert not any(i.is_paid for i in phoenixd.book.invoices.values())


def test_the_loud_warning_speaks_chinese(phoenixd: PhoenixdDouble, tmp_path: Path, chinese: None):
    spending = doctor(config(phoenixd, phoenixd.full_password, tmp_path))["least privilege"]
    assert "http-password-limited-access" in spending.hint
    assert all(not ("a" <= ch <= "z") for ch in spending.message), spending.message
    assert spending.hint != LEAST_PRIVILEGE_FIX["phoenixd"]  # translated, not the English source


def test_a_wrong_password_stops_at_the_node_check(phoenixd: PhoenixdDouble, tmp_path: Path):
    checks = doctor(config(phoenixd, "not-the-password", tmp_path))
    assert checks["node (auth)"].status is Status.FAIL
    assert "http-password-limited-access" in checks["node (auth)"].hint
    assert "least privilege" not in checks


def test_a_node_that_is_down_is_unreachable(phoenixd: PhoenixdDouble, tmp_path: Path):
    phoenixd.kill()
    checks = doctor(config(phoenixd, phoenixd.limited_password, tmp_path))
    assert checks["node (unreachable)"].status is Status.FAIL
    assert "Cannot connect to phoenixd at" in checks["node (unreachable)"].message


def test_thin_inbound_liquidity_is_a_warning(phoenixd: PhoenixdDouble, tmp_path: Path):
    phoenixd.inbound_sat = 50_000
    liquidity = doctor(config(phoenixd, phoenixd.limited_password, tmp_path))["inbound liquidity"]
    assert liquidity.status is Status.WARN
    assert liquidity.message == "50,000 sats can be received; the largest sale allowed is 1,000,000 sats"
