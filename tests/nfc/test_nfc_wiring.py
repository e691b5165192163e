"""[nfc] from the config: the kiosk builds tap to pay on the PC/SC reader, doctor checks it, and a
kiosk without pyscard says what to install."""

import sys

import pytest

from kiosk.config import NfcConfig
from kiosk.errors import ConfigError
from kiosk.preflight import findings
from kiosk.services.doctor import Status
from kiosk.wiring import build, pcsc_reader
from tests.support.vpcd import READER
from tests.support.wait import wait_until
from tests.ui.conftest import scratch_config


def nfc_config(tmp_path, **nfc):
    return scratch_config(tmp_path, nfc=NfcConfig(enabled=True, **nfc))


def test_the_kiosk_builds_tap_to_pay_and_finds_the_reader(tmp_path, pcscd):
    services = build(nfc_config(tmp_path, reader=READER))
    try:
        assert services.tap is not None
        wait_until(lambda: services.tap.reader_present, 10, "the reader")
    finally:
        services.close()
    services = build(scratch_config(tmp_path / "off"))
    try:
        assert services.tap is None  # [nfc] is off by default
    finally:
        services.close()


def test_doctor_names_the_reader_or_warns_that_none_is_there(tmp_path, pcscd):
    (found,) = findings(nfc_config(tmp_path, reader=READER), ["nfc"])
    assert (found.status, found.message) == (Status.OK, f"card reader: {READER}")
    (missing,) = findings(nfc_config(tmp_path, reader="ACR122U"), ["nfc"])
    assert missing.status is Status.WARN and "pcsc_scan" in missing.hint  # the kiosk still starts
    assert findings(scratch_config(tmp_path), ["nfc"]) == []


def test_doctor_refuses_an_unreadable_issuer_ca(tmp_path, pcscd):
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    (found,) = findings(nfc_config(tmp_path, ca_cert_file=bad), ["nfc"])
    assert found.status is Status.FAIL and "nfc.ca_cert_file" in found.message


def test_without_pyscard_the_kiosk_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "smartcard", None)  # import smartcard now raises ImportError
    with pytest.raises(ConfigError) as raised:
        pcsc_reader(NfcConfig(enabled=True))
    assert "smartcard" in raised.value.message
    assert "scripts/bootstrap.sh runtime nfc" in raised.value.hint
