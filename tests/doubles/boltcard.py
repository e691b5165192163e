"""A Bolt Card and its issuer's LNURL-withdraw service, on loopback, for the tap-to-pay tests.

The card side makes what an NTAG 424 DNA writes into its link on every tap (boltcard
docs/SPEC.md, NXP AN12196): `p` = AES-128-CBC(k1, IV 0) of 0xC7, the 7-byte UID, the 3-byte
tap counter (little-endian) and 5 random bytes; `c` = the odd bytes of AES-CMAC(Ks, ""), where
Ks = AES-CMAC(k2, 3CC3 0001 0080 UID counter). The service does the reverse, refuses a counter
that did not increase (a replayed tap), answers LUD-03 (contracts/lnurlw.toml) and pays the
invoice it is sent from the customer's wallet on a real LNbits.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import bolt11
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

from tests.doubles.server import HttpsDouble, JsonHandler
from tests.doubles.tls import node_tls

PICC_TAG = 0xC7
SV2_PREFIX = bytes.fromhex("3CC300010080")
IV = bytes(16)


def _cmac(key: bytes, data: bytes) -> bytes:
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def sun_mac(k2: bytes, uid: bytes, counter: int) -> bytes:
    session_key = _cmac(k2, SV2_PREFIX + uid + counter.to_bytes(3, "little"))
    return _cmac(session_key, b"")[1::2]


def decrypt_p(k1: bytes, p: bytes) -> tuple[bytes, int]:
    """(UID, counter) from a tap's `p`; ValueError if it was not made with this key."""
    decryptor = Cipher(algorithms.AES(k1), modes.CBC(IV)).decryptor()
    plain = decryptor.update(p) + decryptor.finalize()
    if len(p) != 16 or plain[0] != PICC_TAG:
        raise ValueError("not this issuer's card")
    return plain[1:8], int.from_bytes(plain[8:11], "little")


@dataclass
class BoltCard:
    """The card's keys, UID and tap counter; `tap()` is the link it gives the reader next."""

    base_url: str  # lnurlw://127.0.0.1:PORT/ln
    k1: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    k2: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    uid: bytes = field(default_factory=lambda: bytes.fromhex("04") + secrets.token_bytes(6))
    counter: int = 0

    def tap(self) -> str:
        self.counter += 1
        plain = bytes([PICC_TAG]) + self.uid + self.counter.to_bytes(3, "little") + os.urandom(5)
        encryptor = Cipher(algorithms.AES(self.k1), modes.CBC(IV)).encryptor()
        p = encryptor.update(plain) + encryptor.finalize()
        c = sun_mac(self.k2, self.uid, self.counter)
        return f"{self.base_url}?p={p.hex().upper()}&c={c.hex().upper()}"


@dataclass
class _Issued:
    card: BoltCard
    last_counter: int = 0


class _Handler(JsonHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        service: BoltCardService = self.double
        if parts.path == "/ln":
            status, body = service.scan(query)
        elif parts.path == "/cb":
            status, body = service.callback(query)
        else:
            status, body = 404, {"status": "ERROR", "reason": "no such page"}
        self.reply(status, body, query)


class BoltCardService(HttpsDouble):
    """The issuer: knows its cards' keys and counters, and pays with `pay(bolt11)`."""

    def __init__(self, folder: Path, pay: Callable[[str], object]) -> None:
        self.node_tls = node_tls(folder, "boltcard")
        super().__init__(_Handler, self.node_tls.context)
        self.ca_file = self.node_tls.cert_file
        self._pay = pay
        self._cards: dict[bytes, _Issued] = {}  # by UID
        self._k1s: dict[str, BoltCard] = {}  # open withdrawRequests, each for one use
        self.max_msat = 100_000_000
        self.pin_limit_msat: int | None = None
        self.pin = "1234"
        self.callback_host = "127.0.0.1"  # a test may send the kiosk's invoice elsewhere
        self.paid: list[str] = []
        self.pay_ms: list[float] = []  # how long each pay call (the issuer's wallet) took
        self.payments = threading.Semaphore(0)

    def issue(self) -> BoltCard:
        card = BoltCard(f"lnurlw://127.0.0.1:{self.port}/ln")
        self._cards[card.uid] = _Issued(card)
        return card

    def scan(self, query: dict[str, str]) -> tuple[int, dict]:
        try:
            p, c = bytes.fromhex(query["p"]), bytes.fromhex(query["c"])
        except (KeyError, ValueError):
            return 400, error("p and c are needed")
        issued = next((i for i in self._cards.values() if _opens(i.card, p)), None)
        if issued is None:
            return 200, error("card not known")
        uid, counter = decrypt_p(issued.card.k1, p)
        if not secrets.compare_digest(sun_mac(issued.card.k2, uid, counter), c):
            return 200, error("card not authenticated")
        if counter <= issued.last_counter:
            return 200, error("this tap was already used")
        issued.last_counter = counter
        k1 = secrets.token_hex(16)
        self._k1s[k1] = issued.card
        answer = {
            "tag": "withdrawRequest",
            "callback": f"https://{self.callback_host}:{self.port}/cb",
            "k1": k1,
            "minWithdrawable": 1000,
            "maxWithdrawable": self.max_msat,
            "defaultDescription": "Bolt Card payment",
        }
        if self.pin_limit_msat is not None:
            answer["pinLimit"] = self.pin_limit_msat
        return 200, answer

    def callback(self, query: dict[str, str]) -> tuple[int, dict]:
        card = self._k1s.pop(query.get("k1", ""), None)
        if card is None:
            return 200, error("k1 is unknown or was used")
        try:
            amount_msat = bolt11.decode(query.get("pr", "")).amount_msat or 0
        except Exception:
            return 200, error("pr is not an invoice")
        if not 1000 <= amount_msat <= self.max_msat:
            return 200, error("amount out of bounds")
        pin_needed = self.pin_limit_msat is not None and amount_msat >= self.pin_limit_msat
        if pin_needed and query.get("pin") != self.pin:
            return 200, error("wrong PIN")
        threading.Thread(target=self._pay_now, args=(query["pr"],), daemon=True).start()
        return 200, {"status": "OK"}  # LUD-03: answer first, then pay

    def _pay_now(self, invoice: str) -> None:
        started = time.monotonic()
        self._pay(invoice)
        self.pay_ms.append((time.monotonic() - started) * 1000)
        self.paid.append(invoice)
        self.payments.release()


def _opens(card: BoltCard, p: bytes) -> bool:
    try:
        decrypt_p(card.k1, p)
    except ValueError:
        return False
    return True


def error(reason: str) -> dict:
    return {"status": "ERROR", "reason": reason}
