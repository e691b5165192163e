"""The discount panel's and the cart's discount words (read as `strings_discount.NAME`, like `strings`)."""

from __future__ import annotations

from kiosk.ui.strings import translated

# The cart's button, and each cart line's, that opens the discount panel
DISCOUNT = "Discount"

# The panel's title: off the whole order, or off one cart line ({line}: "2× Latte")
TITLE_ORDER = "Discount on the whole order"
TITLE_LINE = "Discount on {line}"

# What the discount is taken off, before it
BEFORE = "Before the discount {amount}"

# The two ways to give a discount: a percentage, or an amount in the shop's currency ({symbol}: "$")
PERCENT = "Percent"
AMOUNT = "Amount ({symbol})"

# The cart's total once the discount is taken off
NEW_TOTAL = "New total {amount}"

# The discount is larger than a cashier may give alone ({limit}: the shop's limit, e.g. 10)
NEEDS_MANAGER = "Above {limit}%: a manager or the owner approves it with a PIN"
# Within the limit on its own, but with the cart's other discounts more than {limit}% of the sale
NEEDS_MANAGER_TOGETHER = "All discounts together above {limit}%: a manager or the owner approves with a PIN"

# The panel's buttons: give the discount as typed, or take off the one given before
APPLY = "Apply"
REMOVE = "Remove discount"

# Under a cart line with a discount, and the order's discount at the cart's end ({percent}: "10%")
LINE_OFF = "Discount {percent}"
LINE_OFF_AMOUNT = "Discount"
ORDER_OFF = "Discount on the order {percent}"
ORDER_OFF_AMOUNT = "Discount on the order"

# The manager's PIN screen, for a discount above the limit
APPROVE_TITLE = "A manager approves this discount"
APPROVE_WHY = "A discount above {limit}% needs a manager or the owner."
APPROVE_WHY_TOGETHER = "Discounts above {limit}% of the sale together need a manager or the owner."

# The owner, approving with the owner (admin) PIN: a choice beside the managers' names
OWNER = "Owner"
APPROVE_OWNER = "The owner approves with the owner PIN."

translated(__name__)
