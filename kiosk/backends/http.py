"""HTTPS plumbing shared by the REST node adapters.

One `NodeHttp` per node: a requests.Session that trusts only the node's own
certificate, uses a timeout on every call, and turns transport failures into
BackendError kinds whose messages name the node and its URL (never a secret).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json as jsonlib
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.http_bounds import (
    AnswerNotStrictJson,
    AnswerTooLarge,
    AnswerTooSlow,
    bounded_lines,
    check_strict_json,
    read_body,
)
from kiosk.i18n import _
from kiosk.services.node_port import StopSignal

# No answer a kiosk asks for comes near these; a bigger one is refused while it is read.
MAX_ANSWER_BYTES = 2 * 1024 * 1024
MAX_LINE_BYTES = 256 * 1024  # one message of a push stream


class NodeHttp:
    def __init__(
        self,
        node_name: str,
        base_url: str,
        headers: Mapping[str, str],
        cert_file: Path | None,
        timeout_s: float,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError(
                f"node.url = {base_url!r} is not a web address", 'Write it like "https://10.0.0.5:8080"'
            )
        self.node_name = node_name
        self.base_url = base_url.rstrip("/")
        self.cert_file = cert_file
        self.timeout_s = timeout_s
        self.session = requests.Session()
        self.session.headers.update(headers)
        # A pinned certificate replaces the system's CA list: only the node's own cert is trusted.
        self.session.verify = str(cert_file) if cert_file else True
        self.session.trust_env = False  # a proxy from the environment would see the credential
        self.closed = StopSignal()  # set by close(): cuts the long calls still blocked at the node

    def request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        data: Mapping[str, str] | None = None,
        read_timeout_s: float | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send one request (a JSON body, or `data` form-encoded); raise BackendError for anything
        below HTTP (refused, TLS, timeout).

        Unless `stream`, the body is read here, capped at MAX_ANSWER_BYTES and
        `timeout_s` for the whole of it, and refused if its JSON is not strict.
        """
        timeout = (self.timeout_s, self.timeout_s if read_timeout_s is None else read_timeout_s)
        try:
            url = self.base_url + path
            response = self.session.request(method, url, json=json, data=data, timeout=timeout, stream=True)
        except requests.RequestException as exc:
            raise self.transport_error(exc) from None
        return response if stream else self.finish(response)

    def finish(self, response: requests.Response) -> requests.Response:
        """Read a response's body as request() does: bounded, strict JSON, transport errors as BackendError.

        A streamed call reads its error body with this: the connection may break mid-body.
        """
        try:
            body = read_body(response, MAX_ANSWER_BYTES, self.timeout_s)
        except requests.RequestException as exc:
            raise self.transport_error(exc) from None
        except AnswerTooLarge:
            raise self.too_large(MAX_ANSWER_BYTES) from None
        except AnswerTooSlow:
            where = _("{node} at {url}").format(node=self.node_name, url=self.base_url)
            raise BackendError(
                ErrorKind.TIMEOUT,
                _("{where} did not finish its answer within {seconds} s").format(
                    where=where, seconds=f"{self.timeout_s:g}"
                ),
            ) from None
        try:
            check_strict_json(body)
        except AnswerNotStrictJson as exc:
            raise self.malformed(_("JSON that is not valid ({reason})").format(reason=exc)) from None
        response._content = body  # as requests keeps a body it read itself: .json() and .text use it
        return response

    def close(self) -> None:
        self.closed.set()
        self.session.close()

    @contextlib.contextmanager
    def cutting(self, stop: StopSignal, cut: Callable[[], None]) -> Iterator[None]:
        """While inside, `stop` or close() runs `cut` (which ends a blocked read)."""
        with stop.cutting(cut), self.closed.cutting(cut):
            yield

    def stream_cut(self, response: requests.Response) -> Callable[[], None]:
        """How to end a blocked read of a streamed response from another thread."""
        return response.raw.shutdown

    def long_call(
        self, path: str, body: object, read_timeout_s: float, stop: StopSignal
    ) -> requests.Response | None:
        """POST a call the node answers only when something happens (CLN's waitanyinvoice).

        It runs on a connection of its own, so `stop` or close() can shut its
        socket: an abandoned call ends at once instead of lingering until its
        timeout. None when stopped.
        """
        parts = urlsplit(self.base_url)
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=str(self.cert_file) if self.cert_file else None)
            conn = http.client.HTTPSConnection(parts.netloc, timeout=self.timeout_s, context=context)
        else:
            conn = http.client.HTTPConnection(parts.netloc, timeout=self.timeout_s)
        headers = dict(self.session.headers) | {"Content-Type": "application/json"}

        def cut() -> None:
            if conn.sock is not None:
                conn.sock.shutdown(socket.SHUT_RDWR)

        try:
            with self.cutting(stop, cut):
                try:
                    conn.connect()
                    if stop.is_set() or self.closed.is_set():
                        return None  # stopped while connecting, before the cut could reach the socket
                    conn.sock.settimeout(read_timeout_s)
                    conn.request("POST", parts.path + path, jsonlib.dumps(body), headers)
                    answer = conn.getresponse()
                    content = answer.read()
                except (OSError, http.client.HTTPException) as exc:
                    if stop.is_set() or self.closed.is_set():
                        return None
                    raise self.raw_transport_error(exc, connected=conn.sock is not None) from None
        finally:
            conn.close()
        response = requests.Response()
        response.status_code, response.reason = answer.status, answer.reason
        response.url = self.base_url + path
        response._content = content
        return response

    def raw_transport_error(self, exc: BaseException, connected: bool) -> BackendError:
        """transport_error() for a call made without requests (see long_call)."""
        if isinstance(exc, ssl.SSLError):
            return self.transport_error(requests.exceptions.SSLError())
        if isinstance(exc, TimeoutError):
            timeout = requests.exceptions.ReadTimeout if connected else requests.exceptions.ConnectTimeout
            return self.transport_error(timeout())
        if connected:
            return self.transport_error(requests.exceptions.ChunkedEncodingError())
        return self.transport_error(requests.exceptions.ConnectionError())

    def transport_error(self, exc: requests.RequestException) -> BackendError:
        where = _("{node} at {url}").format(node=self.node_name, url=self.base_url)
        if isinstance(exc, requests.exceptions.SSLError):
            if self.cert_file:
                text = _(
                    "The TLS certificate of {where} could not be verified "
                    "against the pinned certificate {file}"
                )
            else:
                text = _("The TLS certificate of {where} could not be verified against the system's CAs")
            return BackendError(ErrorKind.TLS, text.format(where=where, file=self.cert_file))
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return BackendError(
                ErrorKind.TIMEOUT, _("{where} did not accept a connection in time").format(where=where)
            )
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return BackendError(ErrorKind.TIMEOUT, _("{where} did not answer in time").format(where=where))
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return BackendError(
                ErrorKind.UNREACHABLE, _("The connection to {where} broke off mid-answer").format(where=where)
            )
        if isinstance(exc, requests.exceptions.ConnectionError):
            return BackendError(ErrorKind.UNREACHABLE, _("Cannot connect to {where}").format(where=where))
        return BackendError(
            ErrorKind.UNREACHABLE,
            _("Request to {where} failed ({error})").format(where=where, error=type(exc).__name__),
        )

    def json_body(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise self.malformed(
                _("a body that is not JSON (HTTP {status})").format(status=response.status_code)
            ) from None

    def json_object(self, response: requests.Response) -> dict:
        """The body as a JSON object, or a MALFORMED error."""
        body = self.json_body(response)
        if not isinstance(body, dict):
            raise self.malformed(_("an answer that is not a JSON object"))
        return body

    def too_large(self, max_bytes: int) -> BackendError:
        return BackendError(
            ErrorKind.MALFORMED,
            _("{node} at {url} sent an answer larger than {size} KiB; the kiosk stopped reading it").format(
                node=self.node_name, url=self.base_url, size=max_bytes // 1024
            ),
            _(
                "No node answers this much: check that node.url points at the node itself, "
                "and that nothing on the network between them changes its answers"
            ),
        )

    def malformed(self, what: str) -> BackendError:
        return BackendError(
            ErrorKind.MALFORMED,
            _("{node} at {url} sent {what}").format(node=self.node_name, url=self.base_url, what=what),
        )

    def lines(self, response: requests.Response) -> Iterator[bytes]:
        """The non-empty lines of a streamed body, with transport failures as BackendError."""
        try:
            yield from bounded_lines(response, MAX_LINE_BYTES)
        except requests.RequestException as exc:
            raise self.transport_error(exc) from None
        except AnswerTooLarge:
            raise self.too_large(MAX_LINE_BYTES) from None


def whole_sats(amount_msat: int, node: str) -> int:
    """The amount in sats for a node that makes invoices for whole satoshis only (LNbits, phoenixd)."""
    if amount_msat <= 0 or amount_msat % 1000:
        raise BackendError(
            ErrorKind.REJECTED,
            _("{node} makes invoices for whole satoshis only, and {amount} msat is not one").format(
                node=node, amount=amount_msat
            ),
            _("Round the amount to whole sats (1 sat = 1000 msat) and try again"),
        )
    return amount_msat // 1000


def kind_for_status(status: int) -> ErrorKind:
    """The usual meaning of an HTTP error status; adapters refine it from the body."""
    if status == 401:
        return ErrorKind.AUTH
    if status == 403:
        return ErrorKind.PERMISSION
    if status in (408, 504):
        return ErrorKind.TIMEOUT
    if status in (502, 503):
        return ErrorKind.UNREACHABLE
    return ErrorKind.REJECTED


def is_loopback(host: str) -> bool:
    """The node is on the kiosk itself: plain http never leaves the machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
