"""Opening a node's WebSocket (websocket-client), with its failures as BackendError kinds."""

from __future__ import annotations

import ssl
from collections.abc import Sequence

import websocket

from kiosk.backends.http import kind_for_status
from kiosk.errors import BackendError, ErrorKind
from kiosk.i18n import _


def open_websocket(
    url: str, where: str, timeout_s: float, sslopt: dict[str, object], headers: Sequence[str] = ()
) -> websocket.WebSocket:
    """Connect, or raise BackendError naming `where` (never the URL's or headers' secrets)."""
    try:
        return websocket.create_connection(url, timeout=timeout_s, sslopt=sslopt, header=list(headers))
    except ssl.SSLError:
        text = _("The TLS certificate of {where} could not be verified")
        raise BackendError(ErrorKind.TLS, text.format(where=where)) from None
    except websocket.WebSocketTimeoutException:
        text = _("{where} did not open the WebSocket in time")
        raise BackendError(ErrorKind.TIMEOUT, text.format(where=where)) from None
    except websocket.WebSocketBadStatusException as exc:
        text = _("{where} refused the payment WebSocket (HTTP {status})")
        raise BackendError(
            kind_for_status(exc.status_code), text.format(where=where, status=exc.status_code)
        ) from None
    except (websocket.WebSocketException, OSError) as exc:
        text = _("Cannot open the WebSocket to {where} ({error})")
        raise BackendError(
            ErrorKind.UNREACHABLE, text.format(where=where, error=type(exc).__name__)
        ) from None


def socket_closed(where: str, why: str) -> BackendError:
    return BackendError(
        ErrorKind.UNREACHABLE, _("The WebSocket to {where} closed ({error})").format(where=where, error=why)
    )
