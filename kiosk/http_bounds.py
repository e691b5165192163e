"""Reading an HTTP answer from someone else's server with a byte cap and a deadline.

`requests` reads a body whole (`.content`, `.json()`) and its timeout is per
socket read, so a 50 MB answer, or one byte every few seconds, holds the kiosk
and its memory for as long as the other side likes. Here the body is streamed:
the read stops at `max_bytes`, and a timer cuts the socket when the whole
answer has not arrived within `within_s`. Callers turn the two exceptions
into their own translated errors.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import Iterator
from decimal import Decimal

import requests

CHUNK_BYTES = 64 * 1024
LINE_CHUNK_BYTES = 512  # a push stream's lines are small and must arrive as soon as they are sent


class AnswerTooLarge(Exception):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"more than {max_bytes} bytes")
        self.max_bytes = max_bytes


class AnswerTooSlow(Exception):
    def __init__(self, within_s: float) -> None:
        super().__init__(f"not complete within {within_s:g} s")
        self.within_s = within_s


class AnswerNotStrictJson(Exception):
    """JSON that no honest server sends: NaN, Infinity, numbers beyond a float, nesting past the parser."""


def read_body(response: requests.Response, max_bytes: int, within_s: float) -> bytes:
    """The body of a `stream=True` response, or AnswerTooLarge / AnswerTooSlow (the connection is dropped)."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        response.close()
        raise AnswerTooLarge(max_bytes)
    late = threading.Event()

    def cut() -> None:
        late.set()
        with contextlib.suppress(OSError, ValueError, RuntimeError, AttributeError):
            response.raw.shutdown()

    timer = threading.Timer(within_s, cut)
    timer.daemon = True
    timer.start()
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                response.close()
                raise AnswerTooLarge(max_bytes)
            chunks.append(chunk)
    except requests.RequestException:
        if late.is_set():
            raise AnswerTooSlow(within_s) from None
        raise
    finally:
        timer.cancel()
    if late.is_set():  # the cut may look like a clean end of a body without a length
        response.close()
        raise AnswerTooSlow(within_s)
    return b"".join(chunks)


def bounded_lines(response: requests.Response, max_line_bytes: int) -> Iterator[bytes]:
    """The non-empty lines of a streamed body; AnswerTooLarge for a line longer than `max_line_bytes`."""
    pending = b""
    for chunk in response.iter_content(LINE_CHUNK_BYTES):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.strip():
                yield line
        if len(pending) > max_line_bytes:
            response.close()
            raise AnswerTooLarge(max_line_bytes)
    if pending.strip():
        yield pending


def check_strict_json(body: bytes) -> None:
    """Raise AnswerNotStrictJson for JSON Python would read but no honest server writes.

    Python's parser accepts NaN and Infinity, turns 1e999 into an infinite float
    and raises RecursionError (not ValueError) on deep nesting; each of those
    would reach the adapters' arithmetic as something other than a clean error.
    A body that is not JSON at all is left to the caller.
    """
    try:
        json.loads(body, parse_constant=_refuse_constant, parse_float=_finite)
    except AnswerNotStrictJson:
        raise
    except RecursionError:
        raise AnswerNotStrictJson("nested too deeply") from None
    except ValueError:
        return


def _refuse_constant(name: str) -> None:
    raise AnswerNotStrictJson(f"{name} is not a JSON number")


def _finite(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or math.isinf(float(value)):
        raise AnswerNotStrictJson(f"{text[:20]} is beyond any float")
    return value
