"""A throwaway PostgreSQL cluster from Debian's `postgresql` package: loopback, TLS, a temporary folder.

PostgreSQL refuses to run as root, so when the tests do, the cluster runs as the system
user `kiosk-pgtest` (made here if missing). The server's certificate comes from a
test CA (trustme) naming 127.0.0.1, so clients connect with `sslmode=verify-full`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import trustme

USER = "kiosk-pgtest"
ADMIN_PASSWORD = "admin-test-password"


class PostgresUnavailable(RuntimeError):
    pass


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL is not installed: run scripts/bootstrap.sh dev (apt: postgresql)"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, durable: bool = False) -> None:
        self.bin = bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            if subprocess.run(["id", "-u", USER], capture_output=True).returncode:
                subprocess.run(
                    ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
                    check=True,
                )
            self.user = USER
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = self.folder / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        cert.private_key_pem.write_to_path(str(self.folder / "server.key"))
        cert.cert_chain_pems[0].write_to_path(str(self.folder / "server.crt"))
        (self.folder / "pw").write_text(ADMIN_PASSWORD)
        os.chmod(self.folder / "server.key", 0o600)
        shutil.chown(self.folder, self.user)
        for path in self.folder.iterdir():
            shutil.chown(path, self.user)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={self.folder / 'pw'}",
            "-E",
            "UTF8",
            "--no-locale",
        )
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
            "ssl": "on",
            "ssl_cert_file": f"'{self.folder / 'server.crt'}'",
            "ssl_key_file": f"'{self.folder / 'server.key'}'",
            "max_connections": "200",
        }
        if not durable:
            # Fast, yet a test's crash (pg_ctl stop -m immediate) loses nothing that was committed: that
            # needs synchronous_commit, since a kiosk marks a batch sent once its COMMIT returns. Only an
            # OS crash could lose what fsync=off leaves in the page cache, and no test makes one.
            settings |= {"fsync": "off", "full_page_writes": "off"}
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
        (self.data / "pg_hba.conf").write_text(
            "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n"
        )

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [str(self.bin / tool), *args], user=self.user, capture_output=True, text=True, cwd=self.folder
        )
        if done.returncode:
            raise PostgresUnavailable(f"{tool} failed: {done.stderr or done.stdout}")

    def start(self) -> Cluster:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "60", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def dsn(self, user: str = "postgres", password: str = ADMIN_PASSWORD, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user={user} password={password}"

    def close(self) -> None:
        with contextlib.suppress(PostgresUnavailable):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
