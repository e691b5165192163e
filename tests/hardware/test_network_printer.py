"""A paid sale's receipt through the durable queue to a real TCP printer on 127.0.0.1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.backends.demo import DemoNode
from kiosk.config import PaymentConfig, PrinterConfig, ShopConfig
from kiosk.domain.money import Rate, currency
from kiosk.domain.pricing import quote
from kiosk.domain.sale import SaleState
from kiosk.hardware.connectors import make_printer
from kiosk.hardware.rendering import PrintFormat, paper_for, receipt_bytes
from kiosk.services.checkout import Checkout
from kiosk.services.print_jobs import Backoff, JobState
from kiosk.services.printer_port import PrinterError, PrinterHealth
from kiosk.services.receipts import Copy, PaperGeometry, receipt_for
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout as wire_checkout
from tests.hardware.fake_printer import ANSWER_OFFLINE, ANSWER_PAPER_OUT, FakeNetworkPrinter
from tests.receipts.conftest import ENGLISH
from tests.support.wait import wait_until

USD = currency("USD")
SHOP = ShopConfig(name="Loopback Café", timezone="Europe/Berlin")


def network_config(port: int, **more) -> PrinterConfig:
    return PrinterConfig(kind="network", host="127.0.0.1", port=port, status_timeout_seconds=0.2, **more)


@pytest.fixture
def fake():
    printer = FakeNetworkPrinter()
    yield printer
    printer.stop()


@pytest.fixture
def make_checkout(tmp_path):
    made: list[tuple[Checkout, Storage]] = []

    def make(printer_config: PrinterConfig, node: DemoNode | None = None) -> Checkout:
        storage = Storage.open(tmp_path / "ledger.sqlite3")
        checkout = wire_checkout(
            node or DemoNode(),
            storage,
            make_printer(printer_config, paper_for(printer_config), None),
            PaymentConfig(poll_interval_seconds=0.05),
            SHOP,
            merchant_copy=printer_config.merchant_copy,
            print_backoff=Backoff(first_s=0.05, max_s=0.2),
        )
        made.append((checkout, storage))
        return checkout

    yield make
    for checkout, storage in made:
        checkout.close()
        storage.close()


def pay(checkout: Checkout, amount: str = "4.50"):
    sale = checkout.charge(
        quote(Decimal(amount), USD, Rate(Decimal("95000"), USD, "demo", 0), 1_000_000), "Tea"
    )
    checkout.backend.pay(sale.payment_hash)
    return sale


def expected(checkout: Checkout, sale_id: int, copy: Copy = Copy.CUSTOMER) -> bytes:
    return receipt_bytes(
        receipt_for(checkout.ledger.get(sale_id), SHOP, copy), PrintFormat(PaperGeometry.of_width(58))
    )


def test_a_paid_sale_prints_its_receipt_at_once(fake, make_checkout):
    checkout = make_checkout(network_config(fake.port))
    sale = pay(checkout)
    wait_until(lambda: checkout.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="printed")
    assert fake.receipts == [expected(checkout, sale.id)]
    assert checkout.print_queue.status().state is PrinterHealth.READY


def test_receipts_paid_while_the_printer_is_off_print_once_it_is_back(fake, make_checkout):
    fake.stop()
    checkout = make_checkout(network_config(fake.port, merchant_copy=True))
    first, second = pay(checkout, "1.00"), pay(checkout, "2.00")
    queue = checkout.print_queue
    wait_until(lambda: queue.status().waiting_jobs == 4, what="four waiting receipts")
    wait_until(lambda: queue.status().state is PrinterHealth.NOT_CONNECTED, what="printer seen as off")
    assert "switched on" in queue.status().message
    assert checkout.ledger.get(first.id).state is SaleState.PAID
    wait_until(lambda: max(j.attempts for j in queue.jobs()) >= 3, what="several failed retries")

    fake.start()
    wait_until(lambda: queue.status().waiting_jobs == 0, what="the queue to empty")
    assert fake.receipts == [
        expected(checkout, first.id),
        expected(checkout, first.id, Copy.MERCHANT),
        expected(checkout, second.id),
        expected(checkout, second.id, Copy.MERCHANT),
    ]
    assert {checkout.ledger.get(s.id).state for s in (first, second)} == {SaleState.RECEIPT_PRINTED}
    assert queue.jobs()[0].attempts > 1  # retried while the printer was off


def test_a_connection_cut_mid_receipt_is_printed_again_whole(fake, make_checkout):
    fake.drop_next_after = 300
    checkout = make_checkout(network_config(fake.port))
    sale = pay(checkout)
    wait_until(lambda: checkout.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="printed")
    assert fake.dropped == 1 and fake.receipts == [expected(checkout, sale.id)]
    [job] = checkout.print_queue.jobs(sale.id)
    assert job.attempts == 2 and job.state is JobState.PRINTED


def test_paper_out_holds_receipts_and_says_so_until_paper_is_back(fake, make_checkout):
    fake.paper = ANSWER_PAPER_OUT
    checkout = make_checkout(network_config(fake.port))
    sale = pay(checkout)
    queue = checkout.print_queue
    wait_until(lambda: queue.status().state is PrinterHealth.PAPER_OUT, what="paper out")
    assert "new roll" in queue.status().message and fake.receipts == []
    fake.paper = 0x12
    wait_until(lambda: checkout.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="printed")
    assert fake.receipts == [expected(checkout, sale.id)]


def test_a_printer_that_never_answers_status_is_unknown_not_ready(fake, make_checkout):
    fake.answers_status = False
    checkout = make_checkout(network_config(fake.port))
    sale = pay(checkout)
    wait_until(lambda: checkout.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="printed")
    assert checkout.print_queue.status().state is PrinterHealth.UNKNOWN
    # The kiosk marks it printed once the bytes are sent; the stand-in files them when it has read them.
    wait_until(lambda: len(fake.receipts) == 1, what="the printer to have read the receipt")
    assert fake.receipts[0].endswith(expected(checkout, sale.id))


def test_offline_printer_raises_with_the_next_step(fake):
    fake.online = ANSWER_OFFLINE
    config = network_config(fake.port)
    printer = make_printer(config, paper_for(config), None)
    with pytest.raises(PrinterError) as caught:
        printer.print_receipt(ENGLISH)
    assert caught.value.health is PrinterHealth.OFFLINE and "cover" in caught.value.hint
    assert fake.receipts == []


def test_jobs_survive_a_restart_and_nothing_prints_twice(fake, make_checkout):
    fake.stop()
    node = DemoNode()
    first = make_checkout(network_config(fake.port), node)
    sale = pay(first)
    wait_until(lambda: first.print_queue.status().waiting_jobs == 1, what="a waiting job")
    wait_until(lambda: first.print_queue.jobs()[0].state is JobState.WAITING, what="a failed attempt")
    first.close()

    fake.start()
    second = make_checkout(network_config(fake.port), node)
    second.recover()
    wait_until(lambda: second.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="printed")
    second.recover()  # a second start-up finds nothing left to do
    assert [j.state for j in second.print_queue.jobs()] == [JobState.PRINTED]
    assert fake.receipts == [expected(second, sale.id)]


def test_reprint_last_prints_the_newest_paid_sale_again(fake, make_checkout):
    checkout = make_checkout(network_config(fake.port))
    pay(checkout, "1.00")
    last = pay(checkout, "2.00")
    wait_until(lambda: len(fake.receipts) == 2, what="two receipts")
    job = checkout.print_queue.reprint_last()
    assert job.sale_id == last.id and job.reprint
    wait_until(lambda: len(fake.receipts) == 3, what="the reprint")
    assert fake.receipts[2] == fake.receipts[1] == expected(checkout, last.id)


def test_cash_drawer_is_kicked_through_the_printer(fake, make_checkout):
    checkout = make_checkout(network_config(fake.port))
    checkout.print_queue.kick_drawer()
    wait_until(lambda: fake.connections == 1, what="a connection")
    wait_until(lambda: fake.drawer_kicks == 1, what="the drawer pulse")
