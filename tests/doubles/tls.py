"""Certificates for the doubles: a CA the kiosk pins and a server cert for 127.0.0.1 it signs."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class NodeTls:
    cert_file: Path  # what the kiosk pins: LND's tls.cert, CLN's ca.pem
    context: ssl.SSLContext  # the server's side


def node_tls(folder: Path, name: str) -> NodeTls:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    cert_file = folder / f"{name}-ca.pem"
    ca.cert_pem.write_to_path(str(cert_file))
    return NodeTls(cert_file, context)
