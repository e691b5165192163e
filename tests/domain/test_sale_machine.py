"""Every (state, event) pair: the allowed ones lead where the diagram says, all others are refused."""

import itertools

import pytest

from kiosk.domain.sale import (
    Cancel,
    Charge,
    DeadlinePassed,
    InvalidTransition,
    Invoice,
    InvoiceCreated,
    InvoiceFailed,
    ReceiptPrinted,
    Sale,
    SaleState,
    Settled,
    transition,
)

S = SaleState
INVOICE = Invoice("lnbcrt1...", "ab" * 32, 2_000)
EVENTS = {
    Charge: Charge(1),
    InvoiceCreated: InvoiceCreated(INVOICE, 1, deadline_ms=2_000, grace_until_ms=9_000),
    InvoiceFailed: InvoiceFailed("node unreachable", 1),
    Settled: Settled("cd" * 32, 21_000, 1_500),
    DeadlinePassed: DeadlinePassed(2_000),
    Cancel: Cancel(1_200),
    ReceiptPrinted: ReceiptPrinted(1_600),
}

ALLOWED = {
    (S.ENTERING, Charge): S.CREATING_INVOICE,
    (S.ENTERING, Cancel): S.CANCELLED,
    (S.CREATING_INVOICE, InvoiceCreated): S.AWAITING_PAYMENT,
    (S.CREATING_INVOICE, InvoiceFailed): S.FAILED,
    (S.AWAITING_PAYMENT, Settled): S.PAID,
    (S.AWAITING_PAYMENT, DeadlinePassed): S.EXPIRED,
    (S.AWAITING_PAYMENT, Cancel): S.CANCELLED,
    (S.EXPIRED, Settled): S.PAID_LATE,
    (S.CANCELLED, Settled): S.PAID_LATE,
    (S.PAID, ReceiptPrinted): S.RECEIPT_PRINTED,
    (S.PAID_LATE, ReceiptPrinted): S.RECEIPT_PRINTED,
}


def sale_in(state: SaleState) -> Sale:
    has_invoice = state not in (S.ENTERING, S.CREATING_INVOICE, S.FAILED)
    return Sale(
        id=7,
        created_at_ms=0,
        amount_msat=21_000,
        memo="tea",
        state=state,
        invoice=INVOICE if has_invoice else None,
        deadline_ms=2_000 if has_invoice else None,
        grace_until_ms=9_000 if has_invoice else None,
    )


@pytest.mark.parametrize(("state", "event_type"), list(itertools.product(SaleState, EVENTS)))
def test_every_pair(state, event_type):
    sale = sale_in(state)
    event = EVENTS[event_type]
    expected = ALLOWED.get((state, event_type))
    if expected is None:
        with pytest.raises(InvalidTransition):
            transition(sale, event)
    else:
        assert transition(sale, event).state is expected


def test_the_table_covers_every_allowed_transition_of_the_machine():
    assert len(ALLOWED) == 11


def test_invoice_created_records_invoice_deadline_and_grace():
    sale = transition(sale_in(S.CREATING_INVOICE), EVENTS[InvoiceCreated])
    assert sale.invoice == INVOICE
    assert (sale.deadline_ms, sale.grace_until_ms) == (2_000, 9_000)


def test_failure_keeps_the_reason():
    assert transition(sale_in(S.CREATING_INVOICE), EVENTS[InvoiceFailed]).error == "node unreachable"


def test_settlement_in_time_is_not_late():
    sale = transition(sale_in(S.AWAITING_PAYMENT), EVENTS[Settled])
    assert (sale.preimage, sale.amount_received_msat, sale.paid_at_ms) == ("cd" * 32, 21_000, 1_500)
    assert sale.settled_late is False


@pytest.mark.parametrize("given_up", [S.EXPIRED, S.CANCELLED])
def test_settlement_after_giving_up_is_paid_late_and_stays_marked_after_printing(given_up):
    late = transition(sale_in(given_up), EVENTS[Settled])
    assert late.state is S.PAID_LATE and late.settled_late
    printed = transition(late, EVENTS[ReceiptPrinted])
    assert printed.state is S.RECEIPT_PRINTED and printed.settled_late


def test_a_sale_cancelled_before_its_invoice_cannot_be_settled():
    cancelled = transition(sale_in(S.ENTERING), EVENTS[Cancel])
    with pytest.raises(InvalidTransition):
        transition(cancelled, EVENTS[Settled])


def test_state_flags():
    assert {s for s in S if s.is_paid} == {S.PAID, S.PAID_LATE, S.RECEIPT_PRINTED}
    assert {s for s in S if s.is_open} == {S.AWAITING_PAYMENT, S.EXPIRED, S.CANCELLED}
