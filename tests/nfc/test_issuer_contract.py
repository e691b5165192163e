"""The issuer double speaks LNURL-withdraw as contracts/lnurlw.toml says, and the kiosk asks it so."""

import jsonschema
import pytest

from tests.doubles.specs import lnurlw_schema
from tests.nfc.kiosk_rig import TapKiosk
from tests.nfc.test_tap_to_pay import pays_by_tap, refused_tap


@pytest.fixture
def kiosk(tmp_path, lnbits, pcscd, issuer):
    rig = TapKiosk(tmp_path, lnbits, issuer)
    yield rig
    rig.close()


def conforms(body: object, *names: str) -> None:
    jsonschema.Draft7Validator({"anyOf": [lnurlw_schema(name) for name in names]}).validate(body)


def test_every_exchange_of_a_paid_a_replayed_and_a_pin_tap_follows_the_contract(kiosk, pcscd, issuer):
    card = issuer.issue()
    link = card.tap()
    pays_by_tap(kiosk, pcscd, link, kiosk.charge(700))
    kiosk.charge(700)
    refused_tap(kiosk, pcscd, link)
    issuer.pin_limit_msat = 1_000
    issuer.max_msat = 500_000
    refused_tap(kiosk, pcscd, card.tap())  # 700 sats is above the card's 500: the kiosk sends nothing
    paths = [path.split("?")[0] for _method, path, _query, _status, _body in issuer.exchanges]
    assert paths == ["/ln", "/cb", "/ln", "/ln"]
    for method, path, query, status, body in issuer.exchanges:
        assert (method, status) == ("GET", 200)
        if path.startswith("/ln"):
            conforms(query, "scan")
            conforms(body, "withdraw_request", "error")
        else:
            conforms(query, "callback")
            conforms(body, "ok", "error")
    assert issuer.exchanges[2][4]["status"] == "ERROR"  # the replay
    assert "pinLimit" in issuer.exchanges[3][4]


def test_the_schemas_refuse_what_the_contract_does_not_allow():
    with pytest.raises(jsonschema.ValidationError):
        conforms({"tag": "withdrawRequest", "callback": "https://x/cb", "k1": "a"}, "withdraw_request")
    with pytest.raises(jsonschema.ValidationError):
        conforms({"status": "OK", "extra": 1}, "ok")
    with pytest.raises(jsonschema.ValidationError):
        conforms({"p": "00", "c": "11"}, "scan")
