"""LNbits' withdraw extension on loopback, per contracts/lnbits_withdraw.toml: links made and listed.

`hold_posts` makes a link and then keeps its answer back until `release()`: the voucher exists at
the node, the kiosk has not heard of it (as when the kiosk is killed mid-refund).
"""

from __future__ import annotations

import json
import secrets
import threading
import time

from tests.doubles.server import HttpsDouble, JsonHandler
from tests.doubles.specs import table

CONTRACT = table("lnbits_withdraw")
PATH = CONTRACT["endpoint"][0]["path"]


class WithdrawDouble(HttpsDouble):
    def __init__(self) -> None:
        super().__init__(_Handler, None)
        self.admin_key = secrets.token_hex(16)
        self.invoice_key = secrets.token_hex(16)
        self.wallet = secrets.token_hex(8)
        self.links: list[dict] = []
        self.hold_posts = False
        self._released = threading.Event()
        self.held = threading.Event()  # set once a POST's answer is being held

    def release(self) -> None:
        self.hold_posts = False
        self._released.set()

    def make_link(self, body: dict) -> dict:
        link = {
            "id": secrets.token_urlsafe(16)[:22],
            "wallet": self.wallet,
            "title": body["title"],
            "min_withdrawable": body["min_withdrawable"],
            "max_withdrawable": body["max_withdrawable"],
            "wait_time": body["wait_time"],
            "is_static": bool(body.get("is_static", True)),
            "open_time": int(time.time()),
            "lnurl": "LNURL1" + secrets.token_hex(20).upper(),
        }
        self.links.append(link)
        return link


def refusal(body: object) -> str:
    """Why CreateWithdrawData refuses `body` (the table's bounds); empty when it takes it."""
    rules = CONTRACT["create"]
    if not isinstance(body, dict) or any(not isinstance(body.get(k), int | str) for k in rules["required"]):
        return "field required"
    if body["min_withdrawable"] < rules["min_withdrawable_at_least"]:
        return "Min must be more than 1."
    if not rules["uses_at_least"] <= body["uses"] <= rules["uses_at_most"]:
        return "250 uses max."
    if body["wait_time"] < rules["wait_time_at_least"] or body["max_withdrawable"] < body["min_withdrawable"]:
        return "`max_withdrawable` needs to be at least `min_withdrawable`."
    return ""


class _Handler(JsonHandler):
    double: WithdrawDouble

    def _key(self) -> str:
        key = self.headers.get("X-Api-Key", "")
        return (
            "admin" if key == self.double.admin_key else "invoice" if key == self.double.invoice_key else ""
        )

    def do_GET(self) -> None:
        if self.path.split("?")[0] != PATH:
            self.reply(404, {"detail": "Not Found"})
        elif not self._key():
            self.reply(CONTRACT["error"]["wrong_key_status"], {"detail": "Invalid key"})
        else:
            self.reply(200, {"data": list(self.double.links), "total": len(self.double.links)})

    def do_POST(self) -> None:
        body = json.loads(self.read_body() or b"null")
        if self.path != PATH:
            self.reply(404, {"detail": "Not Found"})
        elif self._key() != "admin":
            self.reply(CONTRACT["error"]["invoice_key_on_admin_status"], {"detail": "Invalid adminkey"})
        elif why := refusal(body):
            self.reply(CONTRACT["create"]["refused_status"], {"detail": why}, body)
        else:
            link = self.double.make_link(body)
            if self.double.hold_posts:
                self.double.held.set()
                self.double._released.wait(60)
            self.reply(201, link, body)
