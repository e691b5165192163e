"""The Kivy app: builds the screens around one controller, or the setup page when the kiosk cannot start.

Kept small on purpose.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.screenmanager import NoTransition, Screen

from kiosk.errors import KioskError
from kiosk.services.till import Till
from kiosk.ui import display, routing, text_layout, theme, viewmodels, widgets  # noqa: F401  (widgets: the .kv's)
from kiosk.ui.controller import Controller
from kiosk.ui.screen_set import ScreenSet
from kiosk.ui.screens import (
    admin_approve,
    admin_base,
    admin_history,
    admin_menu,
    admin_node,
    admin_pin,
    admin_receipt,
    admin_refund,
    admin_refund_done,
    admin_report,
    admin_sale,
    admin_settings,
    cash,
    catalog,
    creating,
    discount,
    invoice,
    keypad,
    notice,
    paid,
    paid_late,
    recent,
    setup,
    sign_in,
    tip,
    tip_amount,
)

WIDGETS_KV = Path(__file__).with_name("widgets.kv")
ADMIN = (
    admin_base,
    admin_pin,
    admin_menu,
    admin_history,
    admin_sale,
    admin_receipt,
    admin_refund,
    admin_refund_done,
    admin_approve,
    admin_report,
    admin_node,
    admin_settings,
)
SCREENS = (
    keypad,
    catalog,
    tip,
    tip_amount,
    cash,
    discount,
    recent,
    sign_in,
    creating,
    invoice,
    paid,
    paid_late,
    notice,
    setup,
    *ADMIN,
)
# Made when first shown (kiosk.ui.screen_set): the admin area, and the sale's seldom screens (a cash
# sale, a typed tip, the Recent list, a late payment); about 4 MiB less at start for those four.
LATER_SCREENS: dict[str, type[Screen]] = {
    routing.TIP_AMOUNT: tip_amount.TipAmountScreen,
    routing.CASH: cash.CashScreen,
    routing.DISCOUNT: discount.DiscountScreen,
    routing.RECENT: recent.RecentScreen,
    routing.PAID_LATE: paid_late.PaidLateScreen,
    routing.SIGN_IN: sign_in.SignInScreen,
    routing.ADMIN_PIN: admin_pin.AdminPinScreen,
    routing.ADMIN_MENU: admin_menu.AdminMenuScreen,
    routing.ADMIN_HISTORY: admin_history.AdminHistoryScreen,
    routing.ADMIN_SALE: admin_sale.AdminSaleScreen,
    routing.ADMIN_RECEIPT: admin_receipt.AdminReceiptScreen,
    routing.ADMIN_REFUND: admin_refund.AdminRefundScreen,
    routing.ADMIN_REFUND_DONE: admin_refund_done.AdminRefundDoneScreen,
    routing.ADMIN_APPROVE: admin_approve.AdminApproveScreen,
    routing.ADMIN_REPORT: admin_report.AdminReportScreen,
    routing.ADMIN_NODE: admin_node.AdminNodeScreen,
    routing.ADMIN_SETTINGS: admin_settings.AdminSettingsScreen,
}
# "Quit kiosk" exits with this code: the systemd unit lists it in RestartPreventExitStatus=, so the kiosk
# stays closed for maintenance, while a crash (any other code) restarts it.
QUIT_EXIT_CODE = 64
log = logging.getLogger(__name__)


def load_rules(path: Path) -> None:
    """Load a .kv file's rules once: Kivy applies a file loaded twice (a second app in one process,
    as in the tests) twice to every widget, doubling its children."""
    Builder.unload_file(str(path))
    Builder.load_file(str(path))


def make_screens(controller: Controller) -> list[Screen]:
    """Every screen, new: at start-up, and again after a language switch so no old word stays.

    LATER_SCREENS are made when first shown (kiosk.ui.screen_set).
    """
    for name, screen in LATER_SCREENS.items():
        controller.screens.add_later(
            name, lambda screen=screen, name=name: controller.caught_up(screen(controller, name=name))
        )
    return [
        keypad.KeypadScreen(controller, name=routing.KEYPAD),
        catalog.CatalogScreen(controller, name=routing.CATALOG),
        tip.TipScreen(controller, name=routing.TIP),
        creating.CreatingScreen(controller, name=routing.CREATING),
        invoice.InvoiceScreen(controller, name=routing.INVOICE),
        paid.PaidScreen(controller, name=routing.PAID),
        notice.NoticeScreen(controller, "!", theme.MUTED, name=routing.EXPIRED),
        notice.NoticeScreen(controller, "×", theme.MUTED, name=routing.CANCELLED),
        notice.NoticeScreen(controller, "!", theme.DANGER, name=routing.ERROR),
    ]


class KioskApp(App):
    """`unit` scales every size from the 480 px reference; `landscape` picks the layout.

    `start` is what the kiosk's start-up gave: the till, or the KioskError that stopped it, which the
    setup page shows until `retry` (read the config and build again, off the UI thread) gives a till.
    """

    unit = NumericProperty(1.0)
    landscape = BooleanProperty(True)
    title = "Lightning Kiosk"

    def __init__(
        self,
        start: Till | KioskError,
        retry: Callable[[], Till] | None = None,
        *,
        config_file: Path | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.controller: Controller | None = None
        self.problem: KioskError | None = None
        self.exit_code = 0
        self._start = start
        self._retry = retry
        self._config_file = config_file
        self._on_ready = on_ready
        self._started = False

    def build(self) -> ScreenSet:
        Window.clearcolor = theme.BACKGROUND
        text_layout.install()  # Chinese breaks where Chinese may break, in every label
        Window.bind(size=self._resized)
        self._resized(Window, Window.size)
        for path in (WIDGETS_KV, *(module.KV for module in SCREENS)):
            load_rules(path)
        manager = ScreenSet(transition=NoTransition())
        self._open(manager, self._start)
        return manager

    def try_again(self) -> None:
        """The setup page's Try again: the config is read and the services built on a worker thread."""
        retry = self._retry
        assert retry is not None

        def attempt() -> None:
            try:
                result: Till | KioskError = retry()
            except KioskError as exc:
                result = exc
            Clock.schedule_once(lambda _dt: self._open(self.root, result))

        threading.Thread(target=attempt, name="setup-retry", daemon=True).start()

    def quit_kiosk(self) -> None:
        """ "Quit kiosk" in the admin area: the only way out, with an exit code systemd can leave be."""
        assert self.controller is not None
        self.exit_code = QUIT_EXIT_CODE
        self.controller.lockdown.may_close = True
        self.stop()

    def on_start(self) -> None:
        self._started = True
        if self.controller is not None:
            self.controller.start()
        if self._on_ready is not None:
            Window.bind(on_flip=self._first_frame)

    def _open(self, manager: ScreenSet, start: Till | KioskError) -> None:
        """The kiosk's screens for a till; for a problem, the setup page (a window close then exits 2)."""
        if isinstance(start, KioskError):
            self.problem, self.exit_code = start, display.SETUP_EXIT_CODE
            view = viewmodels.setup_view(start, self._config_file)
            print(view.terminal_text, file=sys.stderr, flush=True)
            if not manager.has_screen(routing.SETUP):
                manager.add_widget(setup.SetupScreen(self.try_again, name=routing.SETUP))
            manager.get_screen(routing.SETUP).show_problem(view)
            manager.current = routing.SETUP
            return
        self.problem, self.exit_code = None, 0
        manager.clear_widgets()
        self.controller = Controller(start, manager, make_screens, self.quit_kiosk)
        self.controller.build_screens()
        if self._started:
            self.controller.start()

    def _first_frame(self, *_: object) -> None:
        Window.unbind(on_flip=self._first_frame)
        if self._on_ready is not None:
            self._on_ready()

    def _resized(self, _window: object, size: tuple[int, int]) -> None:
        width, height = size
        # Sizes scale with the 800x480 reference either way up, by the side with less room: scaled
        # by the short side alone, a 4:3 screen's row of buttons ran wider than the screen and the
        # keypad's left column grew over the shop name (whose hold opens the admin area).
        short, long = sorted(size)
        self.unit = min(short / theme.BASE_HEIGHT, long / theme.BASE_WIDTH)
        self.landscape = width >= height
