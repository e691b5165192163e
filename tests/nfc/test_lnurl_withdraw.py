"""The rules of a Bolt Card's link and its service's answers (kiosk/domain/lnurl_withdraw.py)."""

import bech32
import pytest

from kiosk.domain import lnurl_withdraw as lnurlw
from kiosk.domain.lnurl_withdraw import TapFailed, TapProblem, WithdrawRequest

CARD = "lnurlw://card.example.com/ln?p=4E2E289D945A66BB13377A728884E867&c=E19CCB1FED8892CE"
HTTPS = "https://card.example.com/ln?p=4E2E289D945A66BB13377A728884E867&c=E19CCB1FED8892CE"
NONE: frozenset[str] = frozenset()


def answer(**changes):
    base = {
        "tag": "withdrawRequest",
        "callback": "https://card.example.com/cb",
        "k1": "abc123",
        "minWithdrawable": 1000,
        "maxWithdrawable": 50_000_000,
        "defaultDescription": "Bolt Card",
    }
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def problem(call, *args) -> TapProblem:
    with pytest.raises(TapFailed) as raised:
        call(*args)
    assert raised.value.message and raised.value.hint
    return raised.value.problem


def test_lud17_link_becomes_https_even_for_a_loopback_or_lan_host():
    assert lnurlw.card_request_url(CARD) == HTTPS
    assert lnurlw.card_request_url("LNURLW://10.0.0.5:8443/ln?p=1") == "https://10.0.0.5:8443/ln?p=1"
    assert lnurlw.card_request_url("lightning:" + CARD) == HTTPS


def test_bech32_lnurl_is_decoded():
    data = bech32.convertbits(HTTPS.encode(), 8, 5)
    encoded = bech32.bech32_encode("lnurl", data).upper()
    assert len(encoded) > 90  # longer than bech32's own limit for addresses
    assert lnurlw.card_request_url(encoded) == HTTPS


@pytest.mark.parametrize(
    "uri",
    [
        "http://card.example.com/ln?p=1",
        "lnurlp://shop.example/pay",
        "mailto:a@b",
        "lnurl1qqqqqq",
        "lnurlw://",
        "lnurlw://card.example.com/ln p=1",
        "",
    ],
)
def test_other_links_are_not_bolt_cards(uri):
    assert problem(lnurlw.card_request_url, uri) is TapProblem.NOT_BOLT_CARD


def test_a_withdraw_request_is_read_with_exact_msat():
    request = lnurlw.withdraw_request(answer(pinLimit=20_000_000), HTTPS, NONE)
    assert request == WithdrawRequest("https://card.example.com/cb", "abc123", 1000, 50_000_000, 20_000_000)
    assert lnurlw.withdraw_request(answer(minWithdrawable=None), HTTPS, NONE).min_msat == 1  # LUD-03 default


def test_the_services_error_answer_is_a_refusal_with_its_reason():
    with pytest.raises(TapFailed) as raised:
        lnurlw.withdraw_request({"status": "ERROR", "reason": "card disabled"}, HTTPS, NONE)
    assert raised.value.problem is TapProblem.REFUSED
    assert "card disabled" in raised.value.message


@pytest.mark.parametrize(
    "changes",
    [
        {"k1": None},
        {"callback": None},
        {"callback": "http://card.example.com/cb"},
        {"maxWithdrawable": "5"},
        {"maxWithdrawable": 1.5},
        {"maxWithdrawable": True},
        {"minWithdrawable": -1},
        {"minWithdrawable": 9, "maxWithdrawable": 8},
        {"pinLimit": "x"},
    ],
)
def test_a_malformed_answer_is_refused(changes):
    assert problem(lnurlw.withdraw_request, answer(**changes), HTTPS, NONE) is TapProblem.REFUSED


def test_a_pay_link_is_not_a_bolt_card():
    assert problem(lnurlw.withdraw_request, answer(tag="payRequest"), HTTPS, NONE) is TapProblem.NOT_BOLT_CARD
    assert problem(lnurlw.withdraw_request, ["not", "an", "object"], HTTPS, NONE) is TapProblem.NOT_BOLT_CARD


def test_the_callback_must_stay_on_the_cards_host_unless_allowed():
    elsewhere = answer(callback="https://pay.other.example/cb")
    assert problem(lnurlw.withdraw_request, elsewhere, HTTPS, NONE) is TapProblem.REFUSED
    allowed = frozenset({"card.example.com", "pay.other.example"})
    assert lnurlw.withdraw_request(elsewhere, HTTPS, allowed).callback == "https://pay.other.example/cb"


def test_allowed_hosts_limit_the_cards_taken():
    lnurlw.check_card_host(HTTPS, NONE)
    lnurlw.check_card_host(HTTPS, frozenset({"card.example.com"}))
    assert problem(lnurlw.check_card_host, HTTPS, frozenset({"other.example"})) is TapProblem.REFUSED


def test_the_sale_must_be_within_the_cards_limits():
    request = WithdrawRequest("https://card.example.com/cb", "k", 10_000, 2_000_000)
    lnurlw.check_amount(request, 10_000)
    lnurlw.check_amount(request, 2_000_000)
    with pytest.raises(TapFailed) as raised:
        lnurlw.check_amount(request, 2_000_001)
    assert raised.value.problem is TapProblem.LIMIT and "2,000 sats" in raised.value.message
    assert problem(lnurlw.check_amount, request, 9_999) is TapProblem.LIMIT


def test_pin_is_needed_from_the_pin_limit_up():
    request = WithdrawRequest("https://c/cb", "k", 1, 10**9, pin_limit_msat=5_000_000)
    assert not lnurlw.needs_pin(request, 4_999_999)
    assert lnurlw.needs_pin(request, 5_000_000)
    assert not lnurlw.needs_pin(WithdrawRequest("https://c/cb", "k", 1, 10**9), 10**9)


def test_callback_keeps_its_query_and_adds_k1_pr_and_pin():
    request = WithdrawRequest("https://card.example.com/cb?card=7&k1=old", "k&1", 1, 10)
    url = lnurlw.callback_url(request, "lnbc10n1xyz", "0042")
    assert url == "https://card.example.com/cb?card=7&k1=k%261&pr=lnbc10n1xyz&pin=0042"
    assert lnurlw.callback_url(request, "lnbc1") == "https://card.example.com/cb?card=7&k1=k%261&pr=lnbc1"


def test_callback_answer():
    lnurlw.callback_accepted({"status": "OK"})
    with pytest.raises(TapFailed, match="already used"):
        lnurlw.callback_accepted({"status": "ERROR", "reason": "this tap was already used"})
    assert problem(lnurlw.callback_accepted, {"status": "PENDING"}) is TapProblem.REFUSED
