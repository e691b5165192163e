"""HTTPS plumbing shared by the REST node adapters.

One `NodeHttp` per node: a requests.Session that trusts only the node's own
certificate, uses a timeout on every call, and turns transport failures into
BackendError kinds whose messages name the node and its URL (never a secret).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar
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

T = TypeVar("T")
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
            if stream:
                return response
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
        self.session.close()

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


@contextlib.contextmanager
def cancel_on(stop: threading.Event, response: requests.Response) -> Iterator[None]:
    """While inside, setting `stop` shuts the streamed response's socket, which ends a blocked read."""
    finished = threading.Event()

    def guard() -> None:
        while not finished.is_set():
            if stop.wait(0.1):
                # Already closed or released to the pool: the read has ended anyway.
                with contextlib.suppress(OSError, ValueError, RuntimeError):
                    response.raw.shutdown()
                return

    thread = threading.Thread(target=guard, name="stream-cancel", daemon=True)
    thread.start()
    try:
        yield
    finally:
        finished.set()
        response.close()


def call_until_stopped(call: Callable[[], T], stop: threading.Event) -> T | None:
    """Run a blocking call on a helper thread; None as soon as `stop` is set.

    A stopped call is left to finish or time out on its own; its result is dropped.
    """
    future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def run() -> None:
        try:
            future.set_result(call())
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=run, name="node-call", daemon=True).start()
    while not stop.is_set():
        try:
            return future.result(timeout=0.1)
        except concurrent.futures.TimeoutError:
            continue
    return None
