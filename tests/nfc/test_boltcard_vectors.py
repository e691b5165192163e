"""The test double's card crypto matches the Bolt Card test vectors (boltcard docs/TEST_VECTORS.md)."""

import pytest

from tests.doubles.boltcard import BoltCard, decrypt_p, sun_mac

K1 = bytes.fromhex("0c3b25d92b38ae443229dd59ad34b85d")  # SDM meta read key: decrypts p
K2 = bytes.fromhex("b45775776cb224c75bcde7ca3704e933")  # SDM file read key: checks c
UID = bytes.fromhex("04996c6a926980")


@pytest.mark.parametrize(
    ("p", "c", "counter"),
    [
        ("4E2E289D945A66BB13377A728884E867", "E19CCB1FED8892CE", 3),
        ("00F48C4F8E386DED06BCDC78FA92E2FE", "66B4826EA4C155B4", 5),
        ("0DBF3C59B59B0638D60B5842A997D4D1", "CC61660C020B4D96", 7),
    ],
)
def test_vectors(p, c, counter):
    uid, read_counter = decrypt_p(K1, bytes.fromhex(p))
    assert (uid, read_counter) == (UID, counter)
    assert sun_mac(K2, uid, read_counter) == bytes.fromhex(c)


def test_a_wrong_key_does_not_open_p():
    with pytest.raises(ValueError):
        decrypt_p(K2, bytes.fromhex("4E2E289D945A66BB13377A728884E867"))


def test_the_card_makes_a_new_link_each_tap_that_the_issuer_reads_back():
    card = BoltCard("lnurlw://127.0.0.1:1/ln", K1, K2, UID, counter=7)
    links = [card.tap(), card.tap()]
    assert links[0] != links[1]
    for link, counter in zip(links, (8, 9), strict=True):
        query = dict(part.split("=") for part in link.split("?", 1)[1].split("&"))
        assert decrypt_p(K1, bytes.fromhex(query["p"])) == (UID, counter)
        assert sun_mac(K2, UID, counter).hex().upper() == query["c"]
