"""`python -m kiosk staff add|list|remove`: who may sign in on the till, with which role and PIN.

The PIN is asked twice without echo on a terminal, or read from `--pin-file` in a script; it is kept
only as a salted scrypt hash, refused if weak by the admin PIN's own rules. Errors exit 2 (EXIT_USAGE)
with what to do, like every command. A removed member can no
longer sign in but stays named on their past sales, shifts and Z-reports (the row is kept, inactive).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from kiosk.clock import now_ms
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.admin_pin import MAX_DIGITS, MIN_DIGITS
from kiosk.services.staff import Role, Staff
from kiosk.storage.store import Storage

CONFIG_HELP = "config file (default: $KIOSK_CONFIG or config/kiosk.toml)"


def add_parser(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser("staff", help="the cashiers and managers who sign in on the till")
    sub = staff.add_subparsers(required=True, metavar="STAFF_COMMAND")

    add = sub.add_parser("add", help="a new member with their own PIN (asked twice, or --pin-file)")
    add.add_argument("name", metavar="NAME", help="the name they choose on the sign-in screen")
    add.add_argument("--role", required=True, choices=[r.value for r in Role], help="what they may do")
    add.add_argument("--pin-file", type=Path, help="read the PIN from this file (for scripts)")
    add.add_argument("--config", help=CONFIG_HELP)
    add.set_defaults(run=run_add, opens=("ledger",))

    listing = sub.add_parser("list", help="the members who may sign in, by name")
    listing.add_argument("--json", action="store_true", help="one JSON object per member")
    listing.add_argument(
        "--all", action="store_true", help="removed members too (their ids are on past sales and the CSV)"
    )
    listing.add_argument("--config", help=CONFIG_HELP)
    listing.set_defaults(run=run_list, opens=("ledger",))

    remove = sub.add_parser("remove", help="stop a member signing in (their past sales keep their name)")
    remove.add_argument("staff_id", type=int, metavar="ID", help="their number in `staff list`")
    remove.add_argument("--config", help=CONFIG_HELP)
    remove.set_defaults(run=run_remove, opens=("ledger",))


def run_add(args: argparse.Namespace, config: Config) -> int:
    pin = _pin_file(args.pin_file) if args.pin_file else _typed_pin()
    with _staff(config) as staff:
        member = staff.add(args.name, Role(args.role), pin)
    print(
        _("Staff member #{id} {name} added as {role}: they sign in on the till with their PIN").format(
            id=member.id, name=member.name, role=member.role.value
        )
    )
    return 0


def run_list(args: argparse.Namespace, config: Config) -> int:
    with _staff(config) as staff:
        members = staff.members(removed=args.all)
    if args.json:
        for m in members:
            print(json.dumps({"id": m.id, "name": m.name, "role": m.role.value, "active": m.active}))
        return 0
    if not members:
        print(_("No staff yet: the till sells without signing in. Add one with `python -m kiosk staff add`"))
        return 0
    for m in members:
        removed = "" if m.active else "  " + _("(removed)")
        print(f"{m.id:>4}  {m.role.value:8}  {m.name}{removed}")
    return 0


def run_remove(args: argparse.Namespace, config: Config) -> int:
    with _staff(config) as staff:
        member = staff.remove(args.staff_id)
    if member.active:
        print(_("{name} can no longer sign in; their past sales keep their name").format(name=member.name))
    else:
        print(_("{name} was already removed").format(name=member.name))
    return 0


@contextlib.contextmanager
def _staff(config: Config) -> Iterator[Staff]:
    """The staff service on the config's ledger, closed after use."""
    storage = Storage.open(config.ledger.path)
    try:
        yield Staff(storage.staff, now_ms)
    finally:
        storage.close()


def _typed_pin() -> str:
    """The PIN typed twice without echo (a KioskError without a terminal, or when the two differ)."""
    if not sys.stdin.isatty():
        raise KioskError(_("There is no terminal to type the PIN on"), _("Give it with --pin-file FILE"))
    pin = getpass.getpass(_("Their PIN ({low} to {high} digits): ").format(low=MIN_DIGITS, high=MAX_DIGITS))
    if getpass.getpass(_("The same PIN again: ")) != pin:
        raise KioskError(_("The two PINs differ; nothing was changed"), _("Type the same PIN twice"))
    return pin


def _pin_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskError(
            _("Cannot read the PIN file {path}: {why}").format(path=path, why=exc),
            _("Give a readable text file holding only the PIN"),
        ) from None
