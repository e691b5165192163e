"""Drive the real app from code: taps on real widgets, waits on real screens.

Used by the screenshot tour and the UI tests. It pumps Kivy's event loop by
hand, so whoever drives it owns the loop (the app is not `run()`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.input.motionevent import MotionEvent
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.ui import routing
from kiosk.ui.app import KioskApp
from tools.tour import structure

if TYPE_CHECKING:
    from kiosk.wiring import Services

SCROLL_RELEASE_S = 0.25  # Kivy's ScrollView passes a tap's release on after 0.2 s


class NotReached(AssertionError):
    """The app did not get where a step expected it to within the timeout."""


class _Touch(MotionEvent):
    def __init__(self, x: float, y: float) -> None:
        # Kivy scales a touch back to the screen by (size - 1).
        position = {"x": x / (Window.width - 1), "y": y / (Window.height - 1)}
        super().__init__("driver", 1, position, is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args: dict) -> None:
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)


class Driver:
    def __init__(self, app: KioskApp, services: Services | None = None) -> None:
        self.app = app
        # What the app runs on, for checks behind the screen (the ledger, the PIN); the app sees its till.
        self.services = services

    def start(self) -> None:
        """Open the window and build the app, as `App.run()` would, without entering its loop."""
        self.app._run_prepare()
        self.frames(3)

    def stop(self) -> None:
        # Draw what is pending first: a kv rule left for the frame after stop() reads kv's `app`,
        # which Kivy has let go of by then ('NoneType' object has no attribute 'bind').
        self.frames(2)
        self.app.stop()
        EventLoop.idle()

    @property
    def screen(self) -> str:
        return self.app.root.current

    def shows_new_qr(self, before: object) -> bool:
        """The invoice screen shows a drawn QR of a sale other than `before` (the one followed earlier)."""
        sale = self.app.controller.followed
        qr = self.get(routing.INVOICE, "qr")
        return (
            self.screen == routing.INVOICE
            and sale is not None
            and sale is not before
            and sale.invoice is not None
            and qr.payload.endswith(sale.invoice.bolt11.upper())
            and qr.module_px > 0
        )

    def get(self, screen: str, widget_id: str) -> Widget:
        """A widget by its id on the screen; "printer.retry" is `retry` inside the widget `printer`."""
        widget = self.app.root.get_screen(screen)
        for part in widget_id.split("."):
            widget = widget.ids[part]
        return widget

    def resize(self, width: int, height: int) -> None:
        """Make the window `width`x`height` and wait until the screens are laid out for it: Kivy
        opens its one window at the size asked first, and later settings do not change it.
        """
        Window.size = (width, height)
        self.wait_until(
            lambda: tuple(self.app.root.size) == (width, height), f"the screens laid out at {width}x{height}"
        )
        self.frames(2)

    def frames(self, count: int = 1) -> None:
        for _ in range(count):
            EventLoop.idle()

    def wait_until(self, condition: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise NotReached(f"{what}: not reached within {timeout_s:g} s (screen: {self.screen})")
            EventLoop.idle()
        self.frames(2)

    def wait_for_screen(self, name: str, timeout_s: float = 10.0) -> None:
        self.wait_until(lambda: self.screen == name, f"screen {name!r}", timeout_s)

    def tap(self, widget: Widget) -> None:
        """Press and release at the widget's centre, through Kivy's input dispatch like a finger."""
        self.hold(widget, 0)

    def hold(self, widget: Widget, seconds: float) -> None:
        """Press at the widget's centre, keep the finger there `seconds`, then lift it."""
        if widget.disabled:
            raise NotReached(f"{widget!r} is disabled")
        x, y = widget.to_window(*widget.center)
        touch = _Touch(x, y)
        EventLoop.post_dispatch_input("begin", touch)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            EventLoop.idle()
        EventLoop.post_dispatch_input("end", touch)
        self.frames(2)
        if any(isinstance(parent, ScrollView) for parent in structure.ancestors(widget)):
            # A ScrollView waits to see whether a touch scrolls and hands the release on 0.2 s later.
            released = time.monotonic() + SCROLL_RELEASE_S
            self.wait_until(lambda: time.monotonic() >= released, "the scroll view to pass the tap on")

    def enter_amount(self, keys: str) -> None:
        """Type an amount on the keypad, one key tap per character (e.g. "1250")."""
        keypad = self.app.root.get_screen(routing.KEYPAD)
        for key in keys:
            self.tap(keypad.keys[key])

    def charge(self) -> None:
        """Tap Charge; where the shop asks for a tip, the customer takes the first choice (no tip)."""
        self.tap(self.get(routing.KEYPAD, "charge"))
        if self.app.controller.tips_enabled:
            self.wait_for_screen(routing.TIP)
            self.tap(self.app.root.get_screen(routing.TIP).choices[0])

    def settle(self, timeout_s: float = 3.0) -> None:
        """Draw frames until what the window shows holds still for two frames in a row.

        A label sizes itself to its text a frame or two after the text is set, and the layout
        around it moves once more: a fixed number of frames sometimes caught it half way.
        """
        self.frames(2)
        shown, still, deadline = structure.describe(), 0, time.monotonic() + timeout_s
        while still < 2 and time.monotonic() < deadline:  # a ticking countdown never holds still
            self.frames()
            now = structure.describe()
            still = still + 1 if now == shown else 0
            shown = now

    def screenshot(self, path: Path) -> Path:
        """Save the window as `path` and what it shows beside it (tools.tour.structure).

        Kivy adds a counter to the name, so the file is renamed.
        """
        self.settle()
        saved = Path(Window.screenshot(name=str(path)))
        saved.replace(path)
        structure.write(path)
        return path
