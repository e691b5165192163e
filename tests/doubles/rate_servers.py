"""Loopback HTTP stand-ins for the price providers, answering in each one's real format.

Each body below follows a provider's documented answer (see the provider's module
in kiosk/rates/ for the example it was taken from), written as JSON text so that
prices keep every digit, as they do on the wire. A test sets the price, the
provider's own timestamp and a fault, then reads what the kiosk asked for.
"""

from __future__ import annotations

import contextlib
import enum
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Kraken names its classic pairs X<base>Z<quote>; newer ones are plain.
KRAKEN_PAIR_NAMES = {"USD": "XXBTZUSD", "EUR": "XXBTZEUR", "GBP": "XXBTZGBP", "CAD": "XXBTZCAD"}
KRAKEN_PAIR_NAMES |= {"JPY": "XXBTZJPY", "CHF": "XBTCHF", "AUD": "XBTAUD"}
MEMPOOL_CURRENCIES = ("USD", "EUR", "GBP", "CAD", "CHF", "AUD", "JPY")


class Fault(enum.Enum):
    HTTP_500 = "http 500"
    HTTP_429 = "http 429"
    SLOW = "answers after the client gave up"
    GARBAGE = "an HTML page instead of JSON"
    WRONG_SHAPE = "JSON without the expected fields"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, double: RateServer) -> None:
        self.double = double
        super().__init__(("127.0.0.1", port), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out and hang up are part of the tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.double.connections.add(self.connection)

    def finish(self) -> None:
        self.server.double.connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        double = self.server.double
        double.requests.append(self.path)
        status, body, headers = double.answer(self.path)
        if double.fault is Fault.SLOW:
            double.release.wait(double.slow_s)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if double.fault is Fault.GARBAGE else "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class RateServer:
    """One provider on 127.0.0.1. `prices` maps a currency to the price text; a missing key is a
    currency the provider does not quote. `published_s` is the provider's own Unix time."""

    def __init__(
        self, kind: str, prices: dict[str, str] | None = None, published_s: int | None = None
    ) -> None:
        self.kind = kind
        self.prices = dict(prices or {"USD": "95000.00"})
        self.published_s = int(time.time()) if published_s is None else published_s
        self.fault: Fault | None = None
        self.retry_after: str | None = None  # Retry-After header sent with HTTP 429
        self.slow_s = 2.0
        self.release = threading.Event()  # set to let slow answers finish at once
        self.requests: list[str] = []
        self.connections: set[socket.socket] = set()  # kept-alive ones too: cut when it goes down
        self.port = 0
        self._server: _Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RateServer:
        self.release.clear()
        self._server = _Server(self.port, self)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def stop(self) -> None:
        """The provider goes down: connections are refused until `start()` brings it back, same port."""
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for conn in list(self.connections):
            with contextlib.suppress(OSError):  # already closed
                conn.shutdown(socket.SHUT_RDWR)

    def answer(self, path: str) -> tuple[int, str, dict[str, str]]:
        if self.fault is Fault.HTTP_500:
            return 500, "<html><body><h1>500 Internal Server Error</h1></body></html>", {}
        if self.fault is Fault.HTTP_429:
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return 429, _too_many(self.kind), headers
        if self.fault is Fault.GARBAGE:
            return 200, "<html><body>Welcome to nginx!</body></html>", {}
        if self.fault is Fault.WRONG_SHAPE:
            return 200, '{"message": "maintenance"}', {}
        url = urlsplit(path)
        return getattr(self, f"_{self.kind}")(url.path, {k: v[0] for k, v in parse_qs(url.query).items()})

    def _kraken(self, path: str, query: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        pair = query.get("pair", "")
        code = pair.removeprefix("XBT")
        if path != "/0/public/Ticker" or not pair.startswith("XBT") or code not in self.prices:
            return 200, '{"error":["EQuery:Unknown asset pair"]}', {}
        p = self.prices[code]
        ticker = (
            f'{{"a":["{p}","1","1.000"],"b":["{p}","2","2.000"],"c":["{p}","0.00100000"],'
            f'"v":["1378.29558699","4120.69226171"],"p":["{p}","{p}"],"t":[1960,5958],'
            f'"l":["{p}","{p}"],"h":["{p}","{p}"],"o":"{p}"}}'
        )
        return 200, f'{{"error":[],"result":{{"{KRAKEN_PAIR_NAMES[code]}":{ticker}}}}}', {}

    def _coinbase(self, path: str, query: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        parts = path.split("/")  # ['', 'v2', 'prices', 'BTC-USD', 'spot']
        if len(parts) != 5 or parts[1:3] != ["v2", "prices"] or parts[4] != "spot":
            return 404, '{"errors":[{"id":"not_found","message":"Not found"}]}', {}
        base, _, code = parts[3].partition("-")
        if base != "BTC" or code not in self.prices:
            return 404, '{"errors":[{"id":"not_found","message":"Invalid currency"}]}', {}
        return 200, f'{{"data":{{"amount":"{self.prices[code]}","base":"BTC","currency":"{code}"}}}}', {}

    def _bitstamp(self, path: str, query: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        prefix = "/api/v2/ticker/btc"
        code = path.removeprefix(prefix).removesuffix("/").upper()
        if not path.startswith(prefix) or not path.endswith("/") or code not in self.prices:
            return 404, "<html><body><h1>Not Found</h1></body></html>", {}
        p = self.prices[code]
        return (
            200,
            (
                f'{{"timestamp":"{self.published_s}","open":"{p}","high":"{p}","low":"{p}","last":"{p}",'
                f'"volume":"1008.29813067","vwap":"{p}","bid":"{p}","ask":"{p}","side":"1",'
                f'"open_24":"{p}","percent_change_24":"-0.76"}}'
            ),
            {},
        )

    def _coingecko(self, path: str, query: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        if path != "/api/v3/simple/price" or query.get("ids") != "bitcoin":
            return 404, '{"error":"coin not found"}', {}
        code = query.get("vs_currencies", "")
        fields = []
        if code.upper() in self.prices:
            fields.append(f'"{code}":{self.prices[code.upper()]}')
            if query.get("include_last_updated_at") == "true":
                fields.append(f'"last_updated_at":{self.published_s}')
        return 200, f'{{"bitcoin":{{{",".join(fields)}}}}}', {}

    def _mempool(self, path: str, query: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        if path != "/api/v1/prices":
            return 404, "Not Found", {}
        fields = [f'"{c}":{self.prices.get(c, "-1")}' for c in MEMPOOL_CURRENCIES]
        return 200, f'{{"time":{self.published_s},{",".join(fields)}}}', {}


def _too_many(kind: str) -> str:
    if kind == "coingecko":
        return (
            '{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit. '
            "Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans "
            'for higher rate limits."}}'
        )
    return (
        '{"error":["EGeneral:Too many requests"]}' if kind == "kraken" else '{"message":"Too Many Requests"}'
    )
