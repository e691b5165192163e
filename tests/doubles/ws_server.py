"""The server side of RFC 6455 for the doubles: the opening handshake and frames, on a handler's socket."""

from __future__ import annotations

import base64
import hashlib
import select
import socket
from typing import BinaryIO

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(opcode: int, payload: bytes = b"") -> bytes:
    """One final frame from the server (servers never mask)."""
    size = len(payload)
    if size < 126:
        header = bytes([0x80 | opcode, size])
    elif size < 1 << 16:
        header = bytes([0x80 | opcode, 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 127]) + size.to_bytes(8, "big")
    return header + payload


def read_frame(stream: BinaryIO) -> tuple[int, bytes] | None:
    """The next client frame (opcode, unmasked payload), or None when the client hung up."""
    head = stream.read(2)
    if len(head) < 2:
        return None
    opcode, size = head[0] & 0x0F, head[1] & 0x7F
    if size == 126:
        size = int.from_bytes(stream.read(2), "big")
    elif size == 127:
        size = int.from_bytes(stream.read(8), "big")
    mask = stream.read(4) if head[1] & 0x80 else b"\0\0\0\0"
    payload = stream.read(size)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def readable(conn: socket.socket) -> bool:
    try:
        return bool(select.select([conn], [], [], 0)[0])
    except (OSError, ValueError):
        return True  # closed: the read that follows says so
