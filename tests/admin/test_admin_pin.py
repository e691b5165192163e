"""The admin PIN against a real SQLite file: hashing, lockout, and a restart in between."""

from __future__ import annotations

import hashlib

import pytest

from kiosk.errors import KioskError
from kiosk.services.admin_pin import (
    FIRST_LOCK_S,
    FREE_ATTEMPTS,
    MAX_LOCK_S,
    AdminPin,
    ScryptParams,
    WeakPin,
    check_strength,
    hash_pin,
    lock_seconds,
    pin_matches,
)
from kiosk.storage.store import Storage
from tests.support.clock import Clock


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def pins(tmp_path, clock):
    storage = Storage.open(tmp_path / "ledger.sqlite3")
    yield AdminPin(storage.pins, clock)
    storage.close()


def test_the_record_is_a_salted_scrypt_hash_with_its_parameters():
    record = hash_pin("2580")
    scheme, n, r, p, _salt, _digest = record.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**15), "8", "1")
    assert "2580" not in record
    assert hash_pin("2580") != record  # a new salt each time
    assert pin_matches("2580", record) and not pin_matches("2581", record)


def test_a_record_made_with_other_parameters_still_verifies():
    record = hash_pin("7391", ScryptParams(n=2**12, r=4, p=2))
    assert record.split("$")[1:4] == [str(2**12), "4", "2"]
    assert pin_matches("7391", record)


def test_the_digest_is_what_scrypt_gives_for_that_salt():
    import base64

    _s, n, r, p, salt, digest = hash_pin("4096").split("$")
    expected = hashlib.scrypt(
        b"4096", salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=2**26, dklen=32
    )
    assert base64.b64decode(digest) == expected


@pytest.mark.parametrize("pin", ["0000", "1111", "1234", "4321", "8901", "123", "123456789", "12a4", ""])
def test_weak_or_malformed_pins_are_refused(pin):
    with pytest.raises(WeakPin):
        check_strength(pin)


@pytest.mark.parametrize("pin", ["2580", "1397", "90210", "11223344"])
def test_ordinary_pins_are_accepted(pin):
    check_strength(pin)


def test_no_pin_until_the_merchant_sets_one(pins):
    assert not pins.is_set()
    with pytest.raises(KioskError, match="No admin PIN"):
        pins.verify("2580")
    with pytest.raises(WeakPin):
        pins.set_pin("0000")
    assert not pins.is_set()
    pins.set_pin("2580")
    assert pins.is_set()
    assert pins.verify("2580").ok


def test_lockout_grows_and_survives_a_restart(tmp_path, clock):
    path = tmp_path / "ledger.sqlite3"
    storage = Storage.open(path)
    pins = AdminPin(storage.pins, clock)
    pins.set_pin("2580")
    for attempt in range(1, FREE_ATTEMPTS):
        check = pins.verify("9999")
        assert not check.ok and check.attempts_left == FREE_ATTEMPTS - attempt and check.locked_for_s == 0
    check = pins.verify("9999")
    assert check.locked_for_s == FIRST_LOCK_S and check.attempts_left == 0
    storage.close()

    storage = Storage.open(path)
    again = AdminPin(storage.pins, clock)  # the plug was pulled: the lockout is still there
    assert again.locked_for_s() == FIRST_LOCK_S
    locked = again.verify("2580")  # even the right PIN is not checked while locked
    assert not locked.ok and locked.locked_for_s == FIRST_LOCK_S
    clock.offset_ms += 10_000
    assert again.locked_for_s() == FIRST_LOCK_S - 10

    clock.offset_ms += FIRST_LOCK_S * 1000
    assert again.locked_for_s() == 0
    assert again.verify("1111").locked_for_s == 2 * FIRST_LOCK_S  # the next wrong one doubles it
    clock.offset_ms += 2 * FIRST_LOCK_S * 1000
    assert again.verify("2580").ok
    assert again.verify("9999").attempts_left == FREE_ATTEMPTS - 1  # a right PIN cleared the count
    storage.close()


def test_lockout_is_capped_even_when_the_clock_goes_back(pins, clock):
    assert lock_seconds(FREE_ATTEMPTS + 20) == MAX_LOCK_S
    pins.set_pin("2580")
    for _ in range(FREE_ATTEMPTS):
        pins.verify("0001")
    clock.offset_ms -= 10 * 24 * 3600 * 1000  # the clock jumps ten days back
    assert pins.locked_for_s() == MAX_LOCK_S


def test_setting_a_new_pin_clears_the_lockout(pins):
    pins.set_pin("2580")
    for _ in range(FREE_ATTEMPTS):
        pins.verify("0001")
    assert pins.locked_for_s() > 0
    pins.set_pin("7391")
    assert pins.locked_for_s() == 0
    assert pins.verify("7391").ok and not pins.verify("2580").ok


def test_set_pin_on_the_command_line(tmp_path, monkeypatch, capsys):
    from kiosk import cli

    config = tmp_path / "kiosk.toml"
    config.write_text('[ledger]\npath = "ledger.sqlite3"\n')
    answers = iter(["2580", "2580", "1234", "1234", "7391", "7390"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    assert cli.main(["set-pin", "--config", str(config)]) == 0
    assert "Admin PIN set" in capsys.readouterr().out
    assert cli.main(["set-pin", "--config", str(config)]) == cli.EXIT_USAGE
    assert "too easy to guess" in capsys.readouterr().err
    assert cli.main(["set-pin", "--config", str(config)]) == cli.EXIT_USAGE
    assert "differ" in capsys.readouterr().err
    storage = Storage.open(tmp_path / "ledger.sqlite3")
    assert AdminPin(storage.pins, Clock()).verify("2580").ok
    storage.close()
