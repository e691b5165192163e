"""The terminal sale, run as a real process against the demo node."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli_exits

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "kiosk.toml").write_text(
        '[shop]\nname = "CLI Shop"\n[ledger]\npath = "ledger.sqlite3"\n[demo]\nreceipts_dir = "receipts"\n'
    )
    return tmp_path


def run(workdir, *args, timeout=30):
    env = os.environ | {"PYTHONPATH": str(ROOT), "KIOSK_CONFIG": str(workdir / "kiosk.toml")}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_paid_sale_json_events_ledger_and_receipt(workdir):
    result = run(workdir, "charge", "4.50", "--memo", "Flat white", "--demo-pay-after", "0.3", "--json")
    assert result.returncode == cli_exits.EXIT_PAID, result.stderr
    first, last = lines(result.stdout)
    assert first["event"] == "invoice" and first["amount_msat"] == 4_736_000
    assert set(first) == {"event", "payment_hash", "bolt11", "amount_msat", "expires_at", "sale_id"}
    assert first["bolt11"].startswith("lnbcrt47360n1")
    assert last == last | {"event": "paid", "sale_id": first["sale_id"], "receipt_printed": True}
    assert last["amount_received_msat"] == 4_736_000 and len(last["preimage"]) == 64
    receipt = (workdir / "receipts" / f"sale-{first['sale_id']:06d}.txt").read_text()
    assert "CLI Shop" in receipt and "Flat white" in receipt

    sales = lines(run(workdir, "sales", "--json").stdout)
    assert [(s["sale_id"], s["state"], s["fiat_amount"]) for s in sales] == [
        (first["sale_id"], "receipt_printed", "4.50")
    ]


def test_sats_sale_in_human_mode_shows_a_qr_and_the_invoice(workdir):
    result = run(workdir, "charge", "2100", "--currency", "SAT", "--demo-pay-after", "0.3")
    assert result.returncode == cli_exits.EXIT_PAID, result.stderr
    assert "█" in result.stdout and "lnbcrt21u1" in result.stdout
    assert "Sale #1: 2,100 sats" in result.stdout and "PAID" in result.stdout


def test_unpaid_sale_expires_with_its_exit_code(workdir):
    # An invoice's timestamp is whole seconds (the demo rounds it down, as BOLT11 nodes do), so a
    # sale asked to last N s has between N-1 and N s left when the kiosk checks the invoice. With
    # N = 1 that can be nothing, and the kiosk rightly refused the invoice as already expired
    # (exit 5): the test was flaky. N = 3 leaves the check 2 s; the expiry is still the event waited for.
    result = run(workdir, "charge", "1.00", "--expiry", "3", "--json")
    assert result.returncode == cli_exits.EXIT_EXPIRED, result.stderr
    invoice, expired = lines(result.stdout)
    assert invoice["event"] == "invoice" and expired == {"event": "expired", "sale_id": invoice["sale_id"]}
    assert lines(run(workdir, "sales", "--json").stdout)[0]["state"] == "expired"


def test_ctrl_c_cancels_the_sale(workdir):
    env = os.environ | {"PYTHONPATH": str(ROOT), "KIOSK_CONFIG": str(workdir / "kiosk.toml")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "charge", "1.00", "--json"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = json.loads(proc.stdout.readline())  # the invoice shows once Ctrl-C is the kiosk's to handle
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == cli_exits.EXIT_CANCELLED, err
    assert json.loads(out.splitlines()[-1]) == {"event": "cancelled", "sale_id": first["sale_id"]}
    assert lines(run(workdir, "sales", "--json").stdout)[0]["state"] == "cancelled"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["charge", "abc"], "is not an amount"),
        (["charge", "1.234"], "more decimals than USD"),
        (["charge", "5", "--currency", "XYZ"], "unknown currency"),
        (["charge", "-5", "--demo"], "is not an amount above zero"),
        (["charge", "0"], "is not an amount above zero"),
        (["charge", "1.5", "--currency", "SAT"], "is not an amount in whole sats"),
        (["charge", "1", "--expiry", "0"], "'0' is not a whole number above zero"),
        (["charge", "1", "--demo-pay-after", "-1"], "'-1' is not a number of seconds"),
        (["sales", "--limit", "0"], "'0' is not a whole number above zero"),
        (
            ["charge", "1", "--memo", "é" * 320],
            "--memo is 640 bytes; an invoice description holds at most 639",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message(workdir, args, message):
    result = run(workdir, *args)
    assert result.returncode == cli_exits.EXIT_USAGE and message in result.stderr


def test_over_the_limit_fails_without_an_invoice(workdir):
    result = run(workdir, "charge", "2000000", "--currency", "SAT", "--json")
    assert result.returncode == cli_exits.EXIT_FAILED
    assert "limit" in lines(result.stdout)[-1]["error"]


def test_bad_config_exits_2_naming_the_key(workdir):
    (workdir / "kiosk.toml").write_text("[shop]\ncurrncy = 'USD'\n")
    result = run(workdir, "sales")
    assert result.returncode == cli_exits.EXIT_USAGE
    assert "shop.currncy" in result.stderr and "currency" in result.stderr


def test_doctor_on_the_demo_node_exits_0_and_warns_about_the_test_network(workdir):
    result = run(workdir, "doctor", "--json")
    assert result.returncode == 0, result.stderr
    checks = {c["check"]: c for c in lines(result.stdout)}
    assert checks["network"]["status"] == "warn"
    assert checks["invoice"]["status"] == "ok"


def test_doctor_fails_with_a_missing_credential(workdir):
    (workdir / "kiosk.toml").write_text(
        '[node]\nbackend = "lnd"\nurl = "https://127.0.0.1:1"\nmacaroon_file = "missing.macaroon"\n'
    )
    result = run(workdir, "doctor")
    assert result.returncode == cli_exits.EXIT_DOCTOR_FAILED
    assert "[FAIL] credential" in result.stdout and "missing.macaroon" in result.stdout


def test_a_memo_of_exactly_an_invoice_description_is_sent_whole(workdir):
    memo = "咖" * 213  # 639 bytes in UTF-8
    result = run(workdir, "charge", "1", "--memo", memo, "--demo-pay-after", "0.3", "--json")
    assert result.returncode == cli_exits.EXIT_PAID, result.stderr
    assert lines(run(workdir, "sales", "--json").stdout)[0]["memo"] == memo
