"""A real LNbits (PyPI 1.6.2, FakeWallet funding source) on 127.0.0.1 for tests and benchmarks.

`scripts/setup-lnbits.sh` installs it into `.venv-lnbits`. `LnbitsServer`
starts it in its own process group from a scratch directory (the app needs
`lnbits/static` relative to its cwd), finishes the first-install, and makes
two wallets: "kiosk" (whose invoice key the adapter uses) and "customer",
funded through the super user, which pays the kiosk's invoices for real.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import trustme

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-lnbits"
SETUP = "scripts/setup-lnbits.sh"
READY_TIMEOUT_S = 60.0
CUSTOMER_FUNDS_SAT = 10_000_000


class LnbitsUnavailable(RuntimeError):
    """LNbits is not installed or did not start; the message says why and what to run."""


@dataclass(frozen=True)
class Wallet:
    id: str
    inkey: str
    adminkey: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site_packages_lnbits() -> Path:
    found = glob.glob(str(VENV / "lib" / "python3*" / "site-packages" / "lnbits"))
    if not (VENV / "bin" / "lnbits").exists() or not found:
        raise LnbitsUnavailable(f"LNbits is not installed in {VENV}: run {SETUP} (from {ROOT}) first")
    return Path(found[0])


class LnbitsServer:
    def __init__(self, funding: LnbitsServer | None = None, tls: bool = False) -> None:
        """`funding`: another LnbitsServer whose kiosk wallet funds this one (LNbitsWallet source).

        FakeWallet forgets its invoices when it restarts, so a test that restarts
        the kiosk's LNbits funds it from a second LNbits that stays up, as a real
        node behind LNbits would remember them. `tls`: serve https with a
        certificate for 127.0.0.1 signed by a test CA, `ca_file`, which clients pin.
        """
        self._package = _site_packages_lnbits()
        self._tmp = tempfile.TemporaryDirectory(prefix="kiosk-lnbits-")
        self.workdir = Path(self._tmp.name)
        self.data = self.workdir / "data"
        self.data.mkdir()
        (self.workdir / "lnbits").symlink_to(self._package)
        self.log_path = self.workdir / "lnbits.log"
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None
        self.http = requests.Session()
        self.http.trust_env = False
        self.ca_file: Path | None = None
        self._tls_args: list[str] = []
        if tls:
            ca = trustme.CA()
            leaf = ca.issue_cert("127.0.0.1", "localhost")
            self.ca_file, key, cert = (self.workdir / n for n in ("ca.pem", "key.pem", "cert.pem"))
            ca.cert_pem.write_to_path(str(self.ca_file))
            leaf.private_key_pem.write_to_path(str(key))
            leaf.cert_chain_pems[0].write_to_path(str(cert))
            self._tls_args = ["--ssl-keyfile", str(key), "--ssl-certfile", str(cert)]
            self.http.verify = str(self.ca_file)
        self.kiosk: Wallet | None = None
        self.customer: Wallet | None = None
        self._funding_env = {"LNBITS_BACKEND_WALLET_CLASS": "FakeWallet"}
        if funding is not None:
            assert funding.kiosk is not None
            self._funding_env = {
                "LNBITS_BACKEND_WALLET_CLASS": "LNbitsWallet",
                "LNBITS_ENDPOINT": funding.url,
                "LNBITS_KEY": funding.kiosk.adminkey,
            }

    # Process ---------------------------------------------------------------------

    def start(self) -> None:
        """Start (or restart, on the same port and data folder) and wait until it answers."""
        env = {
            **os.environ,
            **self._funding_env,
            "LNBITS_DATA_FOLDER": str(self.data),
            "LNBITS_EXTENSIONS_DEFAULT_INSTALL": "",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                [
                    str(VENV / "bin" / "lnbits"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    *self._tls_args,
                ],
                cwd=self.workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()

    def stop(self) -> None:
        """Kill the whole process group at once, as a crash or a power cut would."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def close(self) -> None:
        self.stop()
        self.http.close()
        self._tmp.cleanup()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                self._process = None
                raise LnbitsUnavailable(f"LNbits exited during start-up. Its log:\n{self.log_tail()}")
            try:
                if self.http.get(f"{self.url}/api/v1/health", timeout=1, allow_redirects=False).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise LnbitsUnavailable(
            f"LNbits did not answer within {READY_TIMEOUT_S:.0f} s. Its log:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    # First use ---------------------------------------------------------------------

    def set_up_wallets(self) -> None:
        """First-install (super user), then a kiosk wallet and a funded customer wallet."""
        password = "kiosk-test-password"
        token = self._json(
            "PUT",
            "/api/v1/auth/first_install",
            json={"username": "admin", "password": password, "password_repeat": password},
        )["access_token"]
        self.kiosk = self._wallet("kiosk")
        self.customer = self._wallet("customer")
        self._json(
            "PUT",
            "/users/api/v1/balance",
            json={"id": self.customer.id, "amount": CUSTOMER_FUNDS_SAT},
            headers={"Authorization": f"Bearer {token}"},
        )

    def _wallet(self, name: str) -> Wallet:
        w = self._json("POST", "/api/v1/account", json={"name": name})
        return Wallet(w["id"], w["inkey"], w["adminkey"])

    def _json(self, method: str, path: str, **kwargs: object) -> dict:
        response = self.http.request(method, self.url + path, timeout=30, allow_redirects=False, **kwargs)
        if not response.ok:
            raise LnbitsUnavailable(
                f"LNbits {method} {path} answered HTTP {response.status_code}: {response.text[:300]}"
            )
        return response.json()

    # The customer --------------------------------------------------------------------

    def pay(self, bolt11: str) -> dict:
        """The customer pays the invoice in full from its own wallet (an internal payment)."""
        assert self.customer is not None
        return self._json(
            "POST",
            "/api/v1/payments",
            json={"out": True, "bolt11": bolt11},
            headers={"X-Api-Key": self.customer.adminkey},
        )

    def broadcast(self, item_id: str, text: str) -> None:
        """Push an arbitrary text frame to everyone listening on /api/v1/ws/{item_id}."""
        self.http.post(
            f"{self.url}/api/v1/ws/{item_id}", params={"data": text}, timeout=10
        ).raise_for_status()


def start_lnbits(funding: LnbitsServer | None = None, tls: bool = False) -> LnbitsServer:
    """A running LNbits with its wallets; the caller closes it."""
    server = LnbitsServer(funding, tls)
    try:
        server.start()
        server.set_up_wallets()
    except BaseException:
        server.close()
        raise
    return server
