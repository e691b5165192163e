"""The HTTPS client that talks to a Bolt Card's service (the LnurlClient port).

TLS is always verified (the system's CAs, or `nfc.ca_cert_file` for a service on a private
network); no redirect is followed (it could lead off the card's host); the answer is read with a
byte cap and a deadline for the whole of it, and must be strict JSON. Every failure is a
TapFailed the screen can show.
"""

from __future__ import annotations

import json
from pathlib import Path

import requests

from kiosk.domain.lnurl_withdraw import TapFailed, TapProblem, host_of, malformed
from kiosk.http_bounds import AnswerNotStrictJson, AnswerTooLarge, AnswerTooSlow, check_strict_json, read_body
from kiosk.i18n import _

MAX_ANSWER_BYTES = 64 * 1024  # a withdrawRequest is a few hundred bytes


def service_down(url: str, why: str) -> TapFailed:
    return TapFailed(
        TapProblem.SERVICE_DOWN,
        _("The card's service at {host} cannot be reached ({why})").format(host=host_of(url), why=why),
        _("Scan the QR code with a wallet instead; check the kiosk's network if this repeats"),
    )


class HttpsLnurlClient:
    def __init__(self, timeout_s: float, ca_file: Path | None = None) -> None:
        self.timeout_s = timeout_s
        self._session = requests.Session()
        self._session.trust_env = False  # no proxy or CA bundle from the environment
        self._session.verify = str(ca_file) if ca_file else True
        self._session.headers["Accept"] = "application/json"

    def get_json(self, url: str) -> object:
        if not url.startswith("https://"):
            raise malformed(_("a link that is not https"))
        try:
            response = self._session.get(
                url, timeout=(self.timeout_s, self.timeout_s), stream=True, allow_redirects=False
            )
            body = read_body(response, MAX_ANSWER_BYTES, self.timeout_s)
        except requests.exceptions.SSLError:
            raise service_down(url, _("its certificate is not valid")) from None
        except requests.Timeout:
            raise service_down(url, _("no answer in time")) from None
        except requests.RequestException:
            raise service_down(url, _("no connection")) from None
        except AnswerTooSlow:
            raise service_down(url, _("no answer in time")) from None
        except AnswerTooLarge:
            raise malformed(_("an answer far too large")) from None
        try:
            check_strict_json(body)
            answer = json.loads(body)
        except (AnswerNotStrictJson, ValueError):
            answer = None
        if response.is_redirect:
            raise malformed(_("a redirect to another address"))
        if answer is None and response.status_code >= 500:
            raise service_down(url, _("HTTP {status}").format(status=response.status_code))
        if answer is None:
            raise malformed(_("HTTP {status}, no JSON").format(status=response.status_code))
        return answer  # an error answer in JSON ({"status": "ERROR", …}) is the flow's to read

    def close(self) -> None:
        self._session.close()
