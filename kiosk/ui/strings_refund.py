"""The sale detail's and the refund screens' words (read as `strings_refund.NAME`, like `strings`)."""

from __future__ import annotations

from kiosk.ui.strings import translated

# Admin area, a sale in full: how it was paid, at what rate, the proof, its refunds
DETAIL_LIGHTNING = "Paid by Lightning"
DETAIL_CASH = "Paid in cash: {given} handed over, {change} change"
# The exchange rate the sale was priced at; {source} names the price providers
DETAIL_RATE = "Rate 1 BTC = {rate}"
DETAIL_RATE_SOURCE = "Rate 1 BTC = {rate} ({source})"
DETAIL_TIP_FIAT = "Tip {tip} ({sats})"
# The payment's preimage: the proof that this payment was made
DETAIL_PREIMAGE = "Preimage {preimage}"
DETAIL_REFUNDS = "Refunds"
# One refund of the sale: its number, time, amount and how the money went back
DETAIL_REFUND_LINE = "Refund #{number}  {time}  {amount}  {how}"
DETAIL_REFUND_PENDING = "not finished: tap Refund to finish it"
DETAIL_REFUND_FAILED = "failed, not counted"
DETAIL_LEFT = "Left to refund: {amount}"
DETAIL_ALL_REFUNDED = "Refunded in full"

# The refund screen: how much, and how the money goes back
REFUND = "Refund"
REFUND_TITLE = "Refund sale #{sale_id}"
REFUND_PAID = "Paid {paid}, refunded so far {refunded}"
# The cap: the most this sale can still refund
REFUND_CAP = "At most {left}"
# The form: All types everything that is left; how the money goes back
REFUND_ALL = "All"
REFUND_HOW = "How the money goes back"
REFUND_CASH = "Cash back"
REFUND_VOUCHER = "Voucher QR"
REFUND_ELSEWHERE = "Handled elsewhere"
# The form's button, and what it says while the refund is recorded
REFUND_CONFIRM = "Refund {amount}"
REFUND_WORKING = "Recording the refund…"
# After the voucher service failed: the refund is recorded; this retries it under the same key
REFUND_AGAIN = "Try again"
REFUND_KEPT = "The refund is recorded and nothing was paid twice. Fix this, then tap Try again."
# A refund recorded earlier whose money did not go out (its voucher service failed, or the kiosk stopped)
REFUND_UNFINISHED = "A refund of {amount} was recorded but not finished"

# The refund made: what the cashier and the customer do now
REFUND_DONE_TITLE = "Refund #{number} of sale #{sale_id}"
REFUND_DONE = "Refunded {amount}"
REFUND_HAND_BACK = "Hand {amount} back to the customer from the drawer."
REFUND_ELSEWHERE_DONE = "Recorded. Pay it back the way the shop does."
REFUND_SCAN = "Customer: scan this with a Lightning wallet to claim it. The slip has the same QR."
REFUND_SLIP_PRINTING = "Printing the refund slip…"
REFUND_SLIP_PRINTED = "Refund slip printed"
REFUND_SLIP_FAILED = "The refund slip did not print: {why}"
PRINT_SLIP = "Print slip"
DONE = "Done"

# A cashier may not refund: a manager or the owner types their PIN
APPROVE_TITLE = "A manager approves this refund"
APPROVE_PICK = "Who approves? Tap your name, then type your PIN."
APPROVE_NO_MANAGER = "No manager is set up here: the owner refunds after unlocking with the owner PIN."

translated(__name__)
