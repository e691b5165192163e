"""`python -m kiosk staff add|list|remove` as real processes on one ledger file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk import cli_exits
from kiosk import config as config_mod
from kiosk.domain.money import currency
from kiosk.domain.pricing import Order
from kiosk.services.staff import Staff
from kiosk.storage.store import Storage
from kiosk.wiring import build
from tests.test_cli import lines, run


@pytest.fixture
def shop(tmp_path):
    (tmp_path / "kiosk.toml").write_text(
        '[shop]\nname = "Staff Shop"\ncurrency = "EUR"\n'
        '[ledger]\npath = "ledger.sqlite3"\n[demo]\nreceipts_dir = "receipts"\n'
    )
    return tmp_path


def add(shop, name: str, role: str, pin: str):
    (shop / "pin").write_text(pin + "\n")
    return run(shop, "staff", "add", name, "--role", role, "--pin-file", str(shop / "pin"))


def members(shop) -> list[dict]:
    result = run(shop, "staff", "list", "--json")
    assert result.returncode == 0, result.stderr
    return lines(result.stdout)


def test_members_are_added_with_a_role_and_listed_by_name(shop):
    assert run(shop, "staff", "list").stdout.startswith("No staff yet")
    added = add(shop, "Zoe", "manager", "4826")
    assert added.returncode == 0, added.stderr
    assert "#1 Zoe added as manager" in added.stdout
    assert add(shop, "Ann", "cashier", "7315").returncode == 0
    assert members(shop) == [
        {"id": 2, "name": "Ann", "role": "cashier", "active": True},
        {"id": 1, "name": "Zoe", "role": "manager", "active": True},
    ]
    table = run(shop, "staff", "list").stdout.splitlines()
    assert table == ["   2  cashier   Ann", "   1  manager   Zoe"]


@pytest.mark.parametrize(
    ("name", "role", "pin", "message"),
    [
        ("Bob", "cashier", "1234", "too easy to guess"),
        ("Bob", "cashier", "0000", "too easy to guess"),
        ("Bob", "cashier", "12", "4 to 8 digits"),
        ("Bob", "cashier", "48a6", "4 to 8 digits"),
        ("  ", "cashier", "4826", "needs a name"),
    ],
)
def test_a_weak_pin_or_no_name_is_refused_and_nothing_is_stored(shop, name, role, pin, message):
    refused = add(shop, name, role, pin)
    assert refused.returncode == cli_exits.EXIT_USAGE
    assert message in refused.stderr and "what to do:" in refused.stderr
    assert members(shop) == []


def test_a_taken_name_an_unknown_role_and_no_terminal_are_refused(shop):
    assert add(shop, "Ann", "cashier", "4826").returncode == 0
    taken = add(shop, "Ann", "owner", "7315")
    assert taken.returncode == cli_exits.EXIT_USAGE and "already a staff member called Ann" in taken.stderr
    role = add(shop, "Bob", "boss", "7315")
    assert role.returncode == cli_exits.EXIT_USAGE and "invalid choice" in role.stderr
    no_tty = run(shop, "staff", "add", "Bob", "--role", "cashier")  # stdin is not a terminal here
    assert no_tty.returncode == cli_exits.EXIT_USAGE and "--pin-file" in no_tty.stderr
    missing = run(shop, "staff", "add", "Bob", "--role", "cashier", "--pin-file", str(shop / "nope"))
    assert missing.returncode == cli_exits.EXIT_USAGE and "Cannot read the PIN file" in missing.stderr
    assert [m["name"] for m in members(shop)] == ["Ann"]


def test_a_removed_member_cannot_sign_in_but_stays_named_on_their_sales_and_the_z_report(shop):
    assert add(shop, "Ann", "cashier", "4826").returncode == 0
    services = build(config_mod.load(shop / "kiosk.toml"))
    try:
        services.checkout.cashier_id = 1
        sale = services.checkout.take_cash(Order(Decimal("4.00"), currency("EUR")).cash(), "", Decimal(5))
    finally:
        services.close()

    removed = run(shop, "staff", "remove", "1")
    assert removed.returncode == 0 and "Ann can no longer sign in" in removed.stdout
    assert "already removed" in run(shop, "staff", "remove", "1").stdout
    unknown = run(shop, "staff", "remove", "7")
    assert unknown.returncode == cli_exits.EXIT_USAGE and "no staff member #7" in unknown.stderr
    assert members(shop) == []
    everyone = lines(run(shop, "staff", "list", "--all", "--json").stdout)
    assert everyone == [{"id": 1, "name": "Ann", "role": "cashier", "active": False}]
    assert run(shop, "staff", "list", "--all").stdout == "   1  cashier   Ann  (removed)\n"

    storage = Storage.open(shop / "ledger.sqlite3")
    try:
        member, check = Staff(storage.staff, lambda: 0).sign_in(1, "4826")
        assert member is None and not check.ok
        assert storage.sales.get(sale.id).cashier_id == 1
    finally:
        storage.close()
    report = run(shop, "report")
    assert report.returncode == 0, report.stderr
    assert any(line.startswith("Ann (1x)") for line in report.stdout.splitlines())
    assert add(shop, "Ann", "cashier", "7315").returncode == cli_exits.EXIT_USAGE  # the name stays taken
