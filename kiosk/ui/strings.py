"""Every word the touchscreen shows, in one place so it can be translated.

Add a text as one plain line, `NAME = "English text"` (an upper-case name), in your
feature's section. Reading `strings.NAME` (in Python or a .kv file) gives it in the
kiosk's current language; `scripts/update-translations.sh` puts it in the catalogs,
with the comment above it as a note for the translator. A feature with many texts
keeps them in its own `strings_FEATURE.py` beside this one, made the same way by
`translated(__name__)` (e.g. `strings_refund`).
"""

from __future__ import annotations

import sys
from types import ModuleType

from kiosk.i18n import _


class _Translated(ModuleType):
    """This module, with every upper-case text looked up in the current language each time it is read."""

    def __getattribute__(self, name: str) -> object:
        value = super().__getattribute__(name)
        return _(value) if isinstance(value, str) and name.isupper() else value


def translated(module_name: str) -> None:
    """Make the module `module_name` read its upper-case texts in the current language, as this one."""
    sys.modules[module_name].__class__ = _Translated


translated(__name__)

# Keypad
CHARGE = "Charge"
CLEAR = "Clear"
BACKSPACE = "⌫"
ENTER_AMOUNT = "Type the amount"
SATS_TOGGLE = "sats"
RATE_NOTE = "1 BTC = {price} · {source}"
EQUIVALENT = "≈ {amount}"
REPRINT_LAST = "Reprint last"
PRODUCTS = "Products"
# The keypad's button for a sale paid in cash at the counter
CASH = "Cash"
# The keypad's button for the last sales, for a customer who says they paid (no PIN)
RECENT = "Recent"
KEYPAD = "Keypad"

# Catalog and cart
CART_EMPTY = "Tap products to add them"
ALL_PRODUCTS = "All"

# Tip (the customer chooses)
TIP_TITLE = "Add a tip?"
TIP_AMOUNT = "Amount {amount}"
NO_TIP = "No tip"
TIP_PERCENT = "{percent}%"
TIP_ADDS = "+ {amount}"
TIP_OTHER = "Other amount"
TIP_OTHER_TITLE = "Type the tip"
TIP_SUMMARY = "{amount} + {tip} tip = {total}"
ADD_TIP = "Add tip"
INCLUDES_TIP = "incl. {tip} tip"
BACK = "Back"
NOT_CHARGED = "Nothing was charged. Go back and charge again, or charge in sats."

# Creating the invoice
CREATING_TITLE = "Making the payment code…"
CREATING_BODY = "This takes a moment"

# Invoice
SCAN_PROMPT = "Scan to pay with a Lightning wallet"
EXPIRES_IN = "Expires in {countdown}"
CANCEL = "Cancel"
# Shown when Cancel on the QR screen is only tapped: the customer must not cancel by touching it.
HOLD_TO_CANCEL = "Hold Cancel for 2 seconds to cancel the sale"
SIMULATE_PAYMENT = "Simulate payment"
# Tap to pay: a Bolt Card (an NFC card) tapped on the kiosk's reader pays the invoice on screen.
SCAN_OR_TAP = "Scan or tap card to pay"
CARD_READER_MISSING = "The card reader is not connected: plug it in again, or scan to pay"
CARD_PIN_TITLE = "Type the card's PIN"
CARD_PIN_PAY = "Pay"
CARD_PIN_BACK = "Back"
DEMO_BADGE = "DEMO · no real money"
DEMO_BADGE_SHORT = "DEMO"

# Paid
PAID_TITLE = "Paid"
RECEIPT_PRINTING = "Printing receipt…"
RECEIPT_PRINTED = "Receipt printed"
RECEIPT_WAITING = "Receipt waiting: {why}"
REPRINT = "Reprint"
NEW_SALE = "New sale"
RETURNS_IN = "Next sale in {seconds} s"

# Paid late
PAID_LATE_TITLE = "Late payment received"
PAID_LATE_BODY = (
    "Sale #{sale_id} was paid after its invoice expired or was cancelled. "
    "The money has arrived: hand over the goods, or settle the difference with the customer."
)
ACKNOWLEDGE = "Understood"

# Expired, cancelled, error
EXPIRED_TITLE = "Invoice expired"
EXPIRED_BODY = (
    "No payment arrived in time, so nothing was charged. "
    "If the customer pays this invoice anyway, the kiosk will alert you."
)
CANCELLED_TITLE = "Sale cancelled"
CANCELLED_BODY = "Nothing was charged. If the customer pays this invoice anyway, the kiosk will alert you."
ERROR_FALLBACK_HINT = "Try again. If it happens again, restart the kiosk and check its log."
UNEXPECTED_ERROR = "Something went wrong: {error}"
BACK_TO_KEYPAD = "Back to keypad"
SALE_NUMBER = "Sale #{sale_id}"

# Printer status strip (keypad, paid, paid late); the reason is the print queue's message
PRINTER_WAITING_ONE = "1 receipt waiting for the printer"
PRINTER_WAITING_MANY = "{count} receipts waiting for the printer"
PRINTER_PROBLEM = "Printer problem"
PRINTER_HEADS_UP = "Printer"
PRINTER_RETRY = "Print now"

# Admin area: the PIN pad (opened by holding the shop name on the keypad)
ADMIN_PIN_TITLE = "Admin PIN"
# A cashier or manager is signed in on the till: their own PIN opens the admin area as them
ADMIN_PIN_OR_OWN = "Admin PIN, or {name}'s own PIN"
ADMIN_PIN_CHOOSE = "Choose an admin PIN (4 to 8 digits)"
ADMIN_PIN_CONFIRM = "Type the same PIN again"
ADMIN_PIN_MISMATCH = "The two PINs differ: choose the PIN again"
ADMIN_PIN_WRONG = "Wrong PIN: {left} more tries before the pad locks"
# {wait} is minutes:seconds, e.g. 0:30
ADMIN_PIN_LOCKED = "Too many wrong PINs. Try again in {wait}"
ADMIN_PIN_FORGOTTEN = "Forgot it? The shop owner can reset it."
OK = "OK"

# Admin area: the menu
ADMIN_TITLE = "Admin"
ADMIN_HISTORY = "Sales history"
ADMIN_REPORT = "Shift report"
ADMIN_EXPORT = "Export CSV"
ADMIN_TEST_PAGE = "Printer test"
ADMIN_NODE = "Node status"
ADMIN_SETTINGS = "Settings"
ADMIN_QUIT = "Quit kiosk"
ADMIN_LOCK = "Lock and sell"
ADMIN_WORKING = "Working…"
TEST_PAGE_PRINTED = "Test page printed"
# {rows} sales written to {file} in {folder}
EXPORT_DONE = "{rows} sales exported to {file} in {folder}. Saved: the stick is safe to remove."
ADMIN_QUIT_HINT = "Hold Quit for 2 seconds: the kiosk closes until it is started again"

# The sales history's search hint on the narrower portrait screen (720 px wide): keep it short
HISTORY_SEARCH_SHORT = "Sale no., amount, memo, hash"

# Admin area: sales history and a sale
HISTORY_SEARCH = "Search: sale number, amount, memo or payment hash"
HISTORY_NONE = "No sales match"
HISTORY_COUNT = "{first}–{last} of {total}"
NEWER = "Newer"
OLDER = "Older"
STATE_OPEN = "open"
STATE_PAID = "paid"
STATE_PAID_LATE = "paid late"
STATE_EXPIRED = "expired"
STATE_CANCELLED = "cancelled"
STATE_FAILED = "failed"
# The sale's event log: each state it reached
EVENT_ENTERING = "amount typed"
EVENT_CREATING = "invoice asked for"
EVENT_AWAITING = "invoice shown"
EVENT_PRINTED = "receipt printed"
DETAIL_TIP = "Tip {tip}"
DETAIL_HASH = "Payment hash {hash}"
# How the payment was proven: by its preimage (the node's cryptographic receipt).
DETAIL_PROOF_PREIMAGE = "Proven by the payment's preimage"
# How the payment was proven: the store server (BTCPay Server) said so; {proof} is e.g. "btcpay status".
DETAIL_PROOF_SERVER = "Proven by the store server's word ({proof}), no preimage"
DETAIL_RECEIPTS = "Receipts: {printed} printed, {waiting} waiting"
REPRINT_QUEUED = "Receipt sent to the printer"
# The sale detail's button: the sale's receipt on screen as it prints, with Reprint there.
RECEIPT = "Receipt"
# The title of that screen.
RECEIPT_OF_SALE = "Receipt, sale #{sale_id}"

# Admin area: shift report
CLOSE_SHIFT = "Close shift"
PRINT_AGAIN = "Print again"
EARLIER_SHIFT = "Earlier shift"
CURRENT_SHIFT = "Current shift"
SHIFT_CLOSED = "Shift closed and its report printed"
REPORT_PRINTED = "Report printed"
SHIFT_CLOSED_NOT_PRINTED = "Shift closed. The report did not print: {why}"
NO_EARLIER_SHIFT = "No earlier shift"

# Admin area: node status
NODE_UNKNOWN = "unknown"
NODE_NETWORK = "Network: {network}"
NODE_SYNCED = "Synced to the chain"
NODE_NOT_SYNCED = "NOT synced to the chain"
NODE_CHANNELS = "Active channels: {count}"
NODE_INBOUND = "Can receive: {amount}"
REFRESH = "Refresh"

# Admin area, node status: the kiosk's events reaching the central books ([fleet], docs/fleet.md)
SYNC_TITLE = "Central books"
SYNC_LAST_SENT = "Last sent: {time}"
SYNC_NEVER = "Last sent: never"
SYNC_BACKLOG = "Waiting to be sent: {count} events"
SYNC_ALL_SENT = "Everything is in the central books"
SYNC_OLDEST = "Oldest waiting for {age}"
SYNC_ERROR = "Last try failed: {error}"
# The keypad's quiet line when events have waited too long to reach the central books
SYNC_LATE = "Not in the central books for {age}: sales are safe here; tell the manager"
# How long an event has waited
AGE_MINUTES = "{minutes} min"
AGE_HOURS = "{hours} h {minutes} min"
AGE_DAYS = "{days} d {hours} h"

# Admin area: settings that are safe to change in the shop
SETTING_LANGUAGE = "Language"
SETTING_MERCHANT_COPY = "Merchant copy of each receipt"
SETTING_TIPS = "Ask the customer for a tip"
SETTING_IDLE = "Back to the keypad after"
SECONDS = "{seconds} s"
ON = "On"
OFF = "Off"
SETTINGS_SAVED = "Saved"

# Cash at the counter: what is due, what the customer handed over, the change
CASH_TITLE = "Cash from the customer"
CASH_DUE = "Due {amount}"
CASH_GIVEN = "Handed over"
CASH_CHANGE = "Change {amount}"
CASH_SHORT = "{amount} more to cover it"
TAKE_CASH = "Take cash, open drawer"
# Paid screen: the sale's number and time, for a customer who asks later
PAID_STAMP = "Sale #{sale_id} · {time}"
PAID_CASH = "Paid in cash · change {change}"
# Expired, cancelled and error screens: a new invoice for the same amount or cart
TRY_AGAIN = "Try again"

# Setup problem: a config value, a credential or printer file, or the ledger stops the kiosk at start-up
# (its button is TRY_AGAIN)
SETUP_TITLE = "Setup problem"
SETUP_SUBTITLE = "The kiosk cannot take payments until this is fixed"
SETUP_CONFIG_FILE = "Config file: {path}"
SETUP_NO_CONFIG_FILE = "Config file: none (the built-in demo)"
SETUP_KEY = "Setting: {key}"
SETUP_TO_FIX = "To fix it: {hint}"
SETUP_THEN = "Then tap Try again: the kiosk starts without a restart."
TRYING_AGAIN = "Reading the config again…"

# Recent sales (no PIN): the last 20, and a sale looked up at the node now
RECENT_TITLE = "Recent sales"
RECENT_PICK = "Tap a sale to ask the node about it now"
RECENT_ASKING = "Checking the payment…"
HASH_END = "payment hash …{end}"
NODE_SAYS = "The node says now: {state}"
NODE_PAID = "paid"
NODE_OPEN = "not paid yet, still payable"
NODE_EXPIRED = "expired, not paid"
NODE_CANCELED = "cancelled, not paid"
NODE_NO_SUCH_INVOICE = "it does not know this invoice"
NODE_NO_ANSWER = "The node did not answer: {why}"
RECENT_CASH = "Paid in cash: nothing to ask the node"
RECENT_NO_INVOICE = "No invoice was made for this sale"

# Cashiers sign in on the till (only in a shop with staff; `python -m kiosk staff add`). The keypad's
# header button shows SIGN_IN, or the name of the cashier signed in.
SIGN_IN = "Sign in"
SIGN_IN_TITLE = "Who is selling?"
SIGN_IN_PICK = "Tap your name, then type your PIN"
# {name} is the staff member who chose their name
SIGN_IN_PIN = "{name}: type your PIN"
SIGN_IN_FIRST = "Sign in first: sales are recorded under your name"
SIGNED_IN_AS = "Signed in: {name}"
SIGN_OUT = "Sign out"

# `python main.py --tour DIR` on an installed kiosk, which has no tools/ folder (told on the terminal)
TOUR_NEEDS_CHECKOUT = "The screenshot tour is not part of the installed kiosk: it needs the tools/ folder"
TOUR_NEEDS_CHECKOUT_HINT = "Run it from a full checkout of the source (git clone), not from the installed app"
