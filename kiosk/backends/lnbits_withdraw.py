"""Refund vouchers as LNbits withdraw links (the withdraw extension's API): the `VoucherIssuer` port.

The key is its own file (`refunds.voucher_key_file`): a key for the wallet the
refunds come from, kept apart from the kiosk's everyday invoice key. Each link is
single-use, for exactly the refund, and titled with the refund's key, so a retry
lists the links first and finds the one an interrupted attempt made.
Amounts at the extension are whole sats: a refund's msat are rounded down to one.
"""

from __future__ import annotations

import requests

from kiosk.backends.http import NodeHttp, kind_for_status
from kiosk.backends.lnbits import PAYMENTS, SPEND_PROBE, may_pay
from kiosk.config import RefundsConfig
from kiosk.credentials import read_secret
from kiosk.errors import BackendError, ConfigError
from kiosk.i18n import _
from kiosk.services.refunds import Voucher, VoucherIssuer

LINKS = "/withdraw/api/v1/links"
TIMEOUT_S = 10.0


class LnbitsWithdraw:
    def __init__(self, url: str, key: str, timeout_s: float = TIMEOUT_S) -> None:
        self._http = NodeHttp("LNbits withdraw", url, {"X-Api-Key": key}, None, timeout_s)

    def find(self, key: str) -> Voucher | None:
        links = self._answer(self._http.request("GET", LINKS), _("listing withdraw links"))
        rows = links.get("data", []) if isinstance(links, dict) else links
        if not isinstance(rows, list):
            raise self._http.malformed(_("withdraw links"))
        return next((_voucher(row, self._http) for row in rows if _title_key(row) == key), None)

    def create(self, key: str, amount_msat: int, title: str) -> Voucher:
        sats = amount_msat // 1000  # the refund made sure of at least one
        body = {
            "title": f"{title} [{key}]",
            "min_withdrawable": sats,
            "max_withdrawable": sats,
            "uses": 1,
            "wait_time": 1,
        }
        return _voucher(
            self._answer(self._http.request("POST", LINKS, json=body), _("making a voucher")), self._http
        )

    def can_pay(self) -> bool | None:
        """Whether the key may also pay from its wallet: an admin key may (nothing is paid to ask)."""
        return may_pay(self._http.request("POST", PAYMENTS, json=SPEND_PROBE).status_code)

    def close(self) -> None:
        self._http.close()

    def _answer(self, response: requests.Response, what: str) -> object:
        status = response.status_code
        if status >= 400:
            raise BackendError(
                kind_for_status(status),
                _("LNbits refused {what} (HTTP {status})").format(what=what, status=status),
                _("Check refunds.voucher_url, that the withdraw extension is on, and the key's wallet"),
            )
        return self._http.json_body(response)


def _title_key(row: object) -> str | None:
    title = row.get("title", "") if isinstance(row, dict) else ""
    if isinstance(title, str) and title.endswith("]") and "[" in title:
        return title[title.rindex("[") + 1 : -1]
    return None


def _voucher(row: object, http: NodeHttp) -> Voucher:
    if (
        not isinstance(row, dict)
        or not isinstance(row.get("id"), str)
        or not isinstance(row.get("lnurl"), str)
    ):
        raise http.malformed(_("withdraw link"))
    if not row["lnurl"].upper().startswith("LNURL"):
        raise http.malformed(_("withdraw link"))
    return Voucher(row["id"], row["lnurl"])


def voucher_key_name() -> str:
    """What the key file holds, in the current language."""
    return _("LNbits withdraw key")


def voucher_settings_missing() -> tuple[str, str]:
    """What is wrong, and what to do, when voucher refunds lack their LNbits or key file."""
    return (
        _('refunds.mode = "voucher" needs refunds.voucher_url and refunds.voucher_key_file'),
        _('Name the LNbits for vouchers and the file with its withdraw key, or use mode = "record"'),
    )


def make_voucher_issuer(config: RefundsConfig) -> VoucherIssuer | None:
    """The voucher issuer for `refunds.mode = "voucher"`; None in record mode."""
    if config.mode != "voucher":
        return None
    if not config.voucher_url or config.voucher_key_file is None:
        raise ConfigError(*voucher_settings_missing())
    key = read_secret(config.voucher_key_file, voucher_key_name()).reveal().decode("ascii", "replace")
    return LnbitsWithdraw(config.voucher_url, key.strip())
