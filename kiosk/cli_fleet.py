"""`python -m kiosk fleet init-db|add-terminal|sync|status|report`: the central books (docs/fleet.md)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from kiosk.clock import now_ms
from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.fleet import schema
from kiosk.fleet.connection import connect, read_dsn
from kiosk.fleet.report import sync_status, terminal_books
from kiosk.i18n import _
from kiosk.services.fleet import FleetUnavailable
from kiosk.services.fleet_report import fleet_report
from kiosk.storage.store import Storage
from kiosk.wiring import make_fleet_sync

EXIT_BACKLOG = 6  # `fleet sync`: the central books could not take everything


def add_parser(commands: argparse._SubParsersAction) -> None:
    fleet = commands.add_parser("fleet", help="the central books on PostgreSQL: set up, send, report")
    sub = fleet.add_subparsers(required=True, metavar="FLEET_COMMAND")

    init = sub.add_parser("init-db", help="create or update the central schema and the reporting role")
    _admin_args(init)
    init.add_argument(
        "--report-password-file", type=Path, help="the reporting role's password (made if missing)"
    )
    init.set_defaults(run=run_init_db, opens=())

    add = sub.add_parser(
        "add-terminal", help="register a kiosk and give it a role that can only insert its own"
    )
    add.add_argument("terminal_id", metavar="TERMINAL_ID")
    _admin_args(add)
    add.add_argument("--password-file", type=Path, required=True, help="its password (made if missing)")
    add.add_argument("--shop", default="", help="the shop it belongs to, for reports")
    add.add_argument("--timezone", default="UTC", help="the shop's time zone, for days in the views")
    add.add_argument("--currency", default="SAT", help="the shop's currency (its cash drawer's)")
    add.set_defaults(run=run_add_terminal, opens=())

    sync = sub.add_parser("sync", help="send this kiosk's backlog now; exit 0 when nothing is left")
    sync.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    sync.set_defaults(run=run_sync, opens=("ledger",))

    status = sub.add_parser("status", help="this kiosk's outbox, or with --dsn-file every terminal's sync")
    status.add_argument("--dsn-file", type=Path, help="the reporting role's DSN: list every terminal")
    status.add_argument("--ca-file", type=Path, help="the CA of the database's certificate (default: system)")
    status.add_argument("--json", action="store_true")
    status.add_argument("--config", help="config file (default: $KIOSK_CONFIG or config/kiosk.toml)")
    status.set_defaults(run=run_status, opens=())

    report = sub.add_parser("report", help="every kiosk's Z-reports summed, from the central books")
    report.add_argument("--dsn-file", type=Path, required=True, help="the reporting role's DSN (a secret)")
    report.add_argument("--ca-file", type=Path, help="the CA of the database's certificate (default: system)")
    report.add_argument("--from", dest="start", type=date.fromisoformat, help="first day (UTC), YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=date.fromisoformat, help="last day (UTC), included")
    report.add_argument("--shop", help="only this shop's terminals")
    out = report.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true", help="one row per terminal and currency")
    report.add_argument("--config", help=argparse.SUPPRESS)
    report.set_defaults(run=run_report, opens=())


def _admin_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--admin-dsn-file", type=Path, required=True, help="the database owner's DSN (a secret)"
    )
    parser.add_argument("--ca-file", type=Path, help="the CA of the database's certificate (default: system)")
    parser.add_argument("--config", help=argparse.SUPPRESS)


def run_init_db(args: argparse.Namespace, config: Config) -> int:
    with connect(read_dsn(args.admin_dsn_file, _("admin DSN")), args.ca_file) as conn:
        version = schema.migrate(conn)
        if args.report_password_file:
            schema.set_report_password(conn, _password(args.report_password_file))
    print(_("central schema at version {version}").format(version=version))
    return 0


def run_add_terminal(args: argparse.Namespace, config: Config) -> int:
    with connect(read_dsn(args.admin_dsn_file, _("admin DSN")), args.ca_file) as conn:
        role = schema.add_terminal(
            conn, args.terminal_id, _password(args.password_file), args.shop, args.timezone, args.currency
        )
    print(
        _("terminal {id}: role {role}, password in {path}").format(
            id=args.terminal_id, role=role, path=args.password_file
        )
    )
    return 0


def run_sync(args: argparse.Namespace, config: Config) -> int:
    storage = Storage.open(config.ledger.path)
    try:
        sync = make_fleet_sync(config, storage)
        if sync is None:
            raise ConfigError(
                _("No [fleet] dsn_file in the config"), _("Set [fleet] dsn_file and terminal_id")
            )
        try:
            sent = sync.sync_all()
        except FleetUnavailable as exc:
            print(f"error: {exc.message}\nwhat to do: {exc.hint}", file=sys.stderr)
            print(_("{count} events wait on the kiosk").format(count=sync.status().backlog), file=sys.stderr)
            return EXIT_BACKLOG
        finally:
            sync.close()
        print(_("{count} events sent; nothing left to send").format(count=sent))
        return 0
    finally:
        storage.close()


def run_status(args: argparse.Namespace, config: Config) -> int:
    if args.dsn_file:
        with connect(read_dsn(args.dsn_file, _("reporting DSN")), args.ca_file) as conn:
            rows = sync_status(conn)
        for row in rows:
            print(
                json.dumps(row, default=str) if args.json else "  ".join(f"{k}={v}" for k, v in row.items())
            )
        return 0
    storage = Storage.open(config.ledger.path)
    try:
        status = storage.outbox.status()
    finally:
        storage.close()
    now = now_ms()
    row = {
        "terminal_id": config.fleet.terminal_id,
        "sent_seq": status.sent_seq,
        "last_seq": status.last_seq,
        "backlog": status.backlog,
        "backlog_age_s": status.backlog_age_ms(now) // 1000,
        "last_sent": _when(status.last_sent_ms),
        "last_attempt": _when(status.last_attempt_ms),
        "last_error": status.last_error,
    }
    print(json.dumps(row) if args.json else "\n".join(f"{k}: {v}" for k, v in row.items()))
    return 0


def run_report(args: argparse.Namespace, config: Config) -> int:
    start = datetime.combine(args.start, datetime.min.time(), UTC) if args.start else None
    end = datetime.combine(args.end + timedelta(days=1), datetime.min.time(), UTC) if args.end else None
    with connect(read_dsn(args.dsn_file, _("reporting DSN")), args.ca_file) as conn:
        books = terminal_books(conn, args.shop)
    report = fleet_report(books, _ms(start, 0), _ms(end, 2**62))
    data = {"from": str(args.start or ""), "to": str(args.end or ""), "shop": args.shop, **report.as_json()}
    if args.json:
        print(json.dumps(data, indent=2))
    elif args.csv:
        rows = data["by_terminal"]
        writer = csv.DictWriter(
            sys.stdout,
            fieldnames=[k for k in rows[0] if k != "tax_by_rate"] if rows else ["terminal_id"],
            extrasaction="ignore",
        )
        writer.writeheader()
        writer.writerows(rows)
    else:
        print(_("{shifts} closed shifts").format(shifts=report.shifts))
        for code, parts in sorted(report.totals.items()):
            print(
                f"{code}: {parts.count} sales, takings {parts.takings}, tax {parts.tax}, tips {parts.tips}, "
                f"refunds {parts.refunds}, received {parts.received_msat} msat"
            )
    return 0


def _ms(when: datetime | None, default: int) -> int:
    return default if when is None else int(when.timestamp() * 1000)


def _when(at_ms: int | None) -> str | None:
    return None if at_ms is None else datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="seconds")


def _password(path: Path) -> str:
    """The password in the file, or a new one written there (readable by its owner only)."""
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(password + "\n")
    return password
