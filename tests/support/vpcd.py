"""A virtual PC/SC reader and a card to tap on it: pcscd with Debian's vsmartcard-vpcd driver.

`Pcscd` runs its own pcscd from a scratch folder: its reader config lists one vpcd reader on a
free port, and its socket is handed over by socket activation (LISTEN_FDS), so it never touches
a system pcscd; clients find it through PCSCLITE_CSOCK_NAME, which libpcsclite reads once per
process (so one Pcscd serves a whole test run). `VirtualCard` is the card: it connects to the
reader's port (the card is then on the reader) and answers the reader's APDUs as an NFC Forum
Type 4 tag holding an NDEF message; closing the connection takes it off the reader.
vpcd's protocol: every message is a 2-byte big-endian length, then the bytes; a 1-byte message
is a control (0 power off, 1 power on, 2 reset, 4 send the ATR), anything longer an APDU.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import ndef

from tests.support.lnbits import free_port
from tests.support.wait import wait_until

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SETUP = "scripts/bootstrap.sh"
READER = "Virtual PCD 00 00"
ATR = bytes.fromhex("3B8180018080")  # an ISO 14443-4 card as PC/SC readers show one
SW_OK, SW_NOT_FOUND, SW_NO_INS = b"\x90\x00", b"\x6a\x82", b"\x6d\x00"
NDEF_AID = bytes.fromhex("D2760000850101")


# Socket activation as systemd does it: the listening socket as fd 3, LISTEN_PID the daemon's own.
ACTIVATE = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.environ['LISTEN_PID'] = str(os.getpid()); "
    "os.environ['LISTEN_FDS'] = '1'; os.execv(sys.argv[2], sys.argv[2:])"
)


PCSCD_ARGS = ("--foreground", "--info", "--config")


def _without_polkit(pcscd: str) -> tuple[str, ...]:
    """pcsc-lite 2 (Debian 13) asks polkit who may use a reader; a test run has no polkitd, so it would
    refuse every client. This private daemon serves only the tests: its own socket, no one else."""
    usage = subprocess.run([pcscd, "--help"], capture_output=True, text=True, timeout=10)
    return ("--disable-polkit",) if "--disable-polkit" in usage.stdout + usage.stderr else ()


class PcscUnavailable(RuntimeError):
    """pcscd or the vpcd driver is not installed; the message says what to run."""


class Pcscd:
    def __init__(self) -> None:
        pcscd = shutil.which("pcscd") or "/usr/sbin/pcscd"
        if not Path(pcscd).exists() or not VPCD_DRIVER.exists():
            raise PcscUnavailable(f"pcscd or {VPCD_DRIVER} is missing: run {SETUP} dev nfc (./test.sh does)")
        self._pcscd = pcscd
        self._tmp = tempfile.TemporaryDirectory(prefix="kiosk-pcscd-")
        self.folder = Path(self._tmp.name)
        self.socket_path = self.folder / "pcscd.comm"
        self.port = _two_free_ports()  # vpcd opens two slots: this port and the next
        (self.folder / "readers").mkdir()
        (self.folder / "readers" / "vpcd").write_text(
            f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:0x{self.port:04X}\n'
            f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x{self.port:04X}\n"
        )
        self.log_path = self.folder / "pcscd.log"
        self._process: subprocess.Popen | None = None

    def start(self) -> Pcscd:
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.socket_path))
        listener.listen(16)
        with listener, open(self.log_path, "ab") as log:
            logged = log.tell()
            fd = listener.fileno()
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    ACTIVATE,
                    str(fd),
                    self._pcscd,
                    *PCSCD_ARGS,
                    str(self.folder / "readers"),
                    *_without_polkit(self._pcscd),
                ],
                pass_fds=(fd,),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(lambda: b"daemon ready" in self.log_path.read_bytes()[logged:], 10, "pcscd to start")
        return self

    def stop(self) -> None:
        """pcscd goes away, as when the reader's USB cable is pulled and its daemon restarts."""
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            process.wait(10)

    def close(self) -> None:
        self.stop()
        self._tmp.cleanup()

    def wait_card_state(self, present: bool, timeout: float = 10.0) -> None:
        """Until pcscd sees a card on the reader (or none): vpcd notices a card that left only at its
        next presence poll, and a card tapped before then would meet the old one's closed socket."""
        from smartcard import scard

        want = scard.SCARD_STATE_PRESENT if present else scard.SCARD_STATE_EMPTY
        _result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        try:
            deadline = time.monotonic() + timeout
            state = scard.SCARD_STATE_UNAWARE
            while time.monotonic() < deadline:
                result, changes = scard.SCardGetStatusChange(context, 200, [(READER, state)])
                if result == scard.SCARD_S_SUCCESS:
                    state = changes[0][1] & ~scard.SCARD_STATE_CHANGED
                    if state & want:
                        return
            raise AssertionError(
                f"pcscd did not see the card {'arrive' if present else 'leave'} in {timeout} s"
            )
        finally:
            scard.SCardReleaseContext(context)

    def log_tail(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])


def ndef_file(message: bytes) -> bytes:
    return struct.pack(">H", len(message)) + message


def uri_message(uri: str) -> bytes:
    return b"".join(ndef.message_encoder([ndef.UriRecord(uri)]))


class VirtualCard:
    """One tap: on the reader from `tap()` until `remove()`; every APDU it answered is in `apdus`."""

    def __init__(self, pcscd: Pcscd, ndef_message: bytes | None, mute_after: int | None = None) -> None:
        """`ndef_message` None: a card with no NDEF application (a bank card, a transit card).
        `mute_after`: the card leaves the reader after answering that many APDUs."""
        self._pcscd = pcscd
        self._file = ndef_file(ndef_message) if ndef_message is not None else None
        self._mute_after = mute_after
        self.apdus: list[tuple[bytes, bytes]] = []
        self.done = threading.Event()  # the reader has read the whole file, or found there is none
        self.first_apdu_at: float | None = None  # time.monotonic() of the reader's first APDU
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def tap(self) -> VirtualCard:
        self._sock = socket.create_connection(("127.0.0.1", self._pcscd.port), timeout=5)
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._serve, args=(self._sock,), daemon=True)
        self._thread.start()
        return self

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(5)
        self._pcscd.wait_card_state(present=False)

    def _serve(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError, EOFError):
            selected = False
            while True:
                message = _receive(sock)
                if len(message) == 1:
                    if message[0] == 4:
                        _send(sock, ATR)
                    continue
                if self._mute_after is not None and len(self.apdus) >= self._mute_after:
                    sock.shutdown(socket.SHUT_RDWR)
                    return
                if self.first_apdu_at is None:
                    self.first_apdu_at = time.monotonic()
                answer, selected = self._answer(message, selected)
                self.apdus.append((message, answer))
                _send(sock, answer)
                if answer[-2:] != SW_OK or self._read_to_end(message):
                    self.done.set()

    def held_until_read(self, timeout: float = 10.0) -> VirtualCard:
        """The customer holds the card until the reader is done with it (as until the beep)."""
        if not self.done.wait(timeout):
            raise AssertionError(f"the reader did not read the card within {timeout} s")
        return self

    def _read_to_end(self, apdu: bytes) -> bool:
        return (
            apdu[1] == 0xB0
            and self._file is not None
            and (apdu[2] << 8 | apdu[3]) + apdu[4] >= len(self._file)
        )

    def _answer(self, apdu: bytes, selected: bool) -> tuple[bytes, bool]:
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        if ins == 0xA4 and p1 == 0x04:
            found = self._file is not None and apdu[5 : 5 + apdu[4]] == NDEF_AID
            return (SW_OK if found else SW_NOT_FOUND), selected
        if ins == 0xA4 and p1 == 0x00:
            found = self._file is not None and apdu[5:7] == b"\xe1\x04"
            return (SW_OK if found else SW_NOT_FOUND), found
        if ins == 0xB0 and selected and self._file is not None:
            offset, length = p1 << 8 | p2, apdu[4] or 256
            return self._file[offset : offset + length] + SW_OK, selected
        return SW_NO_INS, selected


def _receive(sock: socket.socket) -> bytes:
    (length,) = struct.unpack(">H", _exactly(sock, 2))
    return _exactly(sock, length)


def _exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _send(sock: socket.socket, data: bytes) -> None:
    sock.sendall(struct.pack(">H", len(data)) + data)


def _two_free_ports() -> int:
    for _ in range(50):
        port = free_port()
        with socket.socket() as s, contextlib.suppress(OSError):
            s.bind(("127.0.0.1", port + 1))
            return port
    raise RuntimeError("no two free ports in a row on 127.0.0.1")
