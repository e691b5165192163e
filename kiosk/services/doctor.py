"""`python -m kiosk doctor`: check that the kiosk can take payments, and say what to fix.

Each check returns OK, WARN or FAIL with a message and the next step. The
doctor creates one small invoice to prove the credential can; it never pays.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from kiosk.clock import now_ms
from kiosk.config import Config
from kiosk.credentials import CERT_FILES
from kiosk.errors import BackendError, KioskError
from kiosk.i18n import N_, _
from kiosk.services.invoice_check import Expected, check_invoice
from kiosk.services.node_port import (
    CredentialGrants,
    LightningBackend,
    NodeDiagnostics,
    NodeInfo,
    ServerProvenSettlement,
)
from kiosk.services.refunds import VoucherIssuer
from kiosk.services.settlement_proof import Anomaly

PROBE_MSAT = 1_000
PROBE_EXPIRY_S = 600
# The credential to use instead of one that can spend, for a backend whose fix is not the usual one.
LEAST_PRIVILEGE_FIX = {
    "phoenixd": N_(
        "Put phoenixd's http-password-limited-access (from ~/.phoenix/phoenix.conf) in "
        "node.password_file, never http-password: with it anyone holding the kiosk's SD card "
        "could empty the node"
    ),
    "nwc": N_(
        "In the wallet app, make a new connection that may only receive (make_invoice, lookup_invoice, "
        "get_info, notifications) and put its URI in node.nwc_uri_file: with pay_invoice anyone holding "
        "the kiosk's SD card could spend the wallet's funds"
    ),
    "btcpay": N_(
        "Create a BTCPay store API key with only 'Create invoice' and 'View invoices' for this "
        "store, put it in node.api_key_file and revoke this one: with it anyone holding the kiosk's "
        "SD card could refund, pay out or change the store"
    ),
}


class Status(enum.StrEnum):
    """One scale for the config's files (kiosk.preflight) and the node."""

    OK = "ok"
    NOTE = "note"  # nothing to fix, but the owner should know (e.g. how payments are proven)
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    message: str
    hint: str = ""


def examine(
    config: Config,
    make_backend: Callable[[], LightningBackend],
    anomalies: Callable[[], list[Anomaly]] = list,
    files: Sequence[Check] = (),
    vouchers: Callable[[], VoucherIssuer | None] = lambda: None,
) -> list[Check]:
    """The config's files opened as the kiosk opens them, then the refund vouchers, then the node.

    `files` are what opening them found (kiosk.preflight.findings, from the CLI).
    `anomalies` reads what the ledger kept of "paid" answers without proof, and `vouchers`
    makes the refund vouchers' issuer (None: refunds.mode = "record"); both are only
    called once the files (the ledger and the key files among them) have been found sound.
    """
    checks = [Check("config", Status.OK, f"loaded from {config.source}"), *files]
    if any(c.status is Status.FAIL for c in checks):
        return checks  # the kiosk would not start: fix these before the node is asked anything
    checks.append(_proof(anomalies()))
    issuer = vouchers()
    if issuer is not None:
        checks += _vouchers(issuer)
    try:
        backend = make_backend()
    except KioskError as exc:
        return [*checks, Check("credential", Status.FAIL, exc.message, exc.hint)]
    checks.append(Check("credential", Status.OK, f"{config.node.backend} credential read"))
    try:
        info = backend.node_info()
    except BackendError as exc:
        return [*checks, Check(f"node ({exc.kind})", Status.FAIL, exc.message, exc.hint)]
    checks.append(Check("node", Status.OK, f"{info.alias or 'node'} answers {_transport(config)}"))
    checks += [_network(info), _sync(info), _invoice(backend, info, config)]
    if isinstance(backend, CredentialGrants):
        checks.append(_grants(backend))
    if isinstance(backend, NodeDiagnostics):
        checks += [_liquidity(backend, config), _spending(backend, config.node.backend)]
    if isinstance(backend, ServerProvenSettlement):
        checks.append(_server_proof(backend))
    return checks


def _transport(config: Config) -> str:
    url = config.node.url
    if config.is_demo:
        return "(built in)"
    if config.node.backend == "nwc":  # no url: the relay is in the URI, and the wallet signs its replies
        return "over the relay in its connection URI, end to end encrypted"
    if url.startswith("https://"):
        key = CERT_FILES.get(config.node.backend)
        pinned = getattr(config.node, key) if key else None
        return f"at {url}, certificate verified" + ("" if pinned else " against the system's CAs")
    return f"at {url} over plain HTTP: use it only on the same machine or a private link"


def _network(info: NodeInfo) -> Check:
    if info.network == "mainnet":
        return Check("network", Status.OK, "mainnet: payments are real bitcoin")
    return Check(
        "network",
        Status.WARN,
        f"{info.network}: payments are NOT real money",
        "Point node.url at a mainnet node before taking real payments",
    )


def _sync(info: NodeInfo) -> Check:
    if info.synced:
        height = f" at block {info.block_height:,}" if info.block_height else ""
        return Check("sync", Status.OK, f"synced{height}")
    return Check("sync", Status.FAIL, "the node is not synced to the chain", "Wait until it is synced")


def _invoice(backend: LightningBackend, info: NodeInfo, config: Config) -> Check:
    try:
        created = backend.create_invoice(PROBE_MSAT, "kiosk doctor (never paid)", PROBE_EXPIRY_S)
        check_invoice(
            created.bolt11,
            Expected(
                PROBE_MSAT,
                PROBE_EXPIRY_S,
                info.network,
                now_ms(),
                created.payment_hash,
                info.pubkey,
            ),
        )
        backend.invoice_status(created.payment_hash)
    except BackendError as exc:
        return Check(f"invoice ({exc.kind})", Status.FAIL, exc.message, exc.hint)
    payee = "" if info.pubkey else " (node key unknown: payee not checked)"
    return Check("invoice", Status.OK, f"created, decoded and looked up a 1 sat invoice{payee}")


def _liquidity(backend: NodeDiagnostics, config: Config) -> Check:
    largest = config.payment.max_sats
    try:
        inbound = backend.inbound_liquidity_msat()
    except BackendError as exc:
        return Check("inbound liquidity", Status.WARN, exc.message, exc.hint)
    if inbound is None:
        return Check(
            "inbound liquidity",
            Status.WARN,
            "unknown: the credential may not read channel balances",
            "Check the node's inbound capacity yourself",
        )
    sats = inbound // 1000
    if sats < largest:
        return Check(
            "inbound liquidity",
            Status.WARN,
            f"{sats:,} sats can be received; the largest sale allowed is {largest:,} sats",
            "Open or buy inbound capacity, or lower payment.max_sats",
        )
    return Check("inbound liquidity", Status.OK, f"{sats:,} sats can be received")


def _grants(backend: CredentialGrants) -> Check:
    """What the credential says it may do: FAIL without what the kiosk needs, loud if it may pay."""
    try:
        grants = backend.grants()
    except BackendError as exc:
        return Check("permissions", Status.WARN, exc.message, exc.hint)
    listed = ", ".join(sorted(grants.granted)) or _("nothing listed")
    if grants.missing:
        return Check(
            "permissions",
            Status.FAIL,
            _("the credential may not {missing} (it may: {listed})").format(
                missing=", ".join(sorted(grants.missing)), listed=listed
            ),
            _("Give it those permissions on the node or in the wallet app, or make a new one that has them"),
        )
    if grants.spending:
        return Check(
            "permissions",
            Status.WARN,
            _("!!! the credential may PAY: {spending} !!!").format(
                spending=", ".join(sorted(grants.spending))
            ),
            _("Replace it with one that may only receive (see the least privilege check)"),
        )
    return Check("permissions", Status.OK, _("the credential may: {listed}").format(listed=listed))


def _spending(backend: NodeDiagnostics, kind: str) -> Check:
    try:
        can_spend = backend.credential_can_spend()
    except BackendError as exc:
        return Check("least privilege", Status.WARN, exc.message, exc.hint)
    if can_spend:
        fix = LEAST_PRIVILEGE_FIX.get(kind)
        return Check(
            "least privilege",
            Status.WARN,
            _("!!! THE KIOSK'S CREDENTIAL CAN SPEND THE NODE'S FUNDS !!!"),
            _(fix)
            if fix
            else "Replace it with an invoice-only credential (LND invoice.macaroon, a restricted rune, "
            "or the LNbits invoice key): anyone with the kiosk's SD card could empty the node",
        )
    if can_spend is None:
        return Check("least privilege", Status.WARN, "could not tell whether the credential can spend")
    return Check("least privilege", Status.OK, "the credential cannot spend (probe refused)")


@runtime_checkable
class VoucherKeyProbe(Protocol):
    def can_pay(self) -> bool | None:
        """Whether the voucher key may also pay invoices from its wallet (None: cannot tell)."""


def _vouchers(issuer: VoucherIssuer) -> list[Check]:
    """The voucher service takes the key (it lists its withdraw links), and what else the key may do."""
    try:
        issuer.find("doctor")
        can_pay = issuer.can_pay() if isinstance(issuer, VoucherKeyProbe) else None
    except BackendError as exc:
        return [Check("refund vouchers", Status.FAIL, exc.message, exc.hint)]
    checks = [Check("refund vouchers", Status.OK, _("the voucher service takes the voucher key"))]
    if can_pay:
        warning = _("the voucher key can pay any invoice from its wallet, not only refund vouchers")
        hint = _(
            "LNbits' withdraw extension needs the wallet's admin key: make a wallet for refunds "
            "alone and keep only the day's refund money in it"
        )
        checks.append(Check("voucher key", Status.WARN, warning, hint))
    elif can_pay is None:
        checks.append(Check("voucher key", Status.WARN, _("could not tell what else the voucher key may do")))
    else:
        checks.append(Check("voucher key", Status.OK, _("the voucher key cannot pay invoices")))
    return checks


def _proof(anomalies: list[Anomaly]) -> Check:
    if not anomalies:
        return Check("payment proof", Status.OK, _("every payment the node reported came with its proof"))
    last = anomalies[-1]
    return Check(
        "payment proof",
        Status.WARN,
        _(
            "{count} time(s) the node said a sale was paid without proof; the last, sale {sale_id}: {what}"
        ).format(count=len(anomalies), sale_id=last.sale_id, what=last.text),
        _(
            "Those sales stayed payable and nothing was printed. Check the link to the node (its "
            "certificate, any proxy in between): someone may be forging its answers"
        ),
    )


def _server_proof(backend: ServerProvenSettlement) -> Check:
    return Check(
        "settlement proof",
        Status.NOTE,
        _(
            "payments are proven by the store server's status ({proof}), not by a preimage: "
            "the ledger records each sale's proof as such"
        ).format(proof=backend.settlement_proof),
        _(
            "The kiosk trusts the server's word that a sale is paid: keep its TLS certificate "
            "verified, and the server and its API keys in trusted hands"
        ),
    )
