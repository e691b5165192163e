"""Small reusable widgets: flat buttons, the spinner, the crisp QR code and the printer strip."""

from __future__ import annotations

import time
from collections.abc import Callable

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.factory import Factory
from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import ColorProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.services.qr import qr_texels
from kiosk.ui import strings, theme
from kiosk.ui.viewmodels import PrinterView

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "0", "back")


class FlatButton(ButtonBehavior, Label):
    """A rounded, flat touch target; its look is set in widgets.kv."""

    fill = ColorProperty(theme.KEY)
    fill_pressed = ColorProperty(theme.KEY_PRESSED)
    outline = ColorProperty((0, 0, 0, 0))


def text_width(text: str, font_size: float, font_name: str) -> float:
    """How wide `text` draws on one line, for a button as wide as its words (kv: its width rule).

    A label's own texture_size cannot be used: a FlatButton wraps its text to its size, so the
    width would follow the texture and the texture the width, one frame after another.
    """
    return float(CoreLabel(font_size=font_size, font_name=font_name).get_extents(text)[0])


def add_number_keys(grid: Widget, press: Callable[[str], None]) -> dict[str, FlatButton]:
    """The 12 number keys (00 and backspace included) into `grid`; each tap calls `press(key)`."""
    keys = {}
    for key in KEYS:
        button = Factory.KeyButton(text=strings.BACKSPACE if key == "back" else key)
        if key == "back":
            button.font_name = theme.FONT_SYMBOLS
        button.bind(on_release=lambda _b, k=key: press(k))
        keys[key] = button
        grid.add_widget(button)
    return keys


class HoldBehavior(Widget):
    """Fires `on_hold` once a finger has stayed on the widget for `hold_seconds`.

    Used where a tap must not be enough: Cancel on the invoice (the customer
    may touch the screen), and the shop name that opens the admin area.
    `progress` runs from 0 to 1 while the finger is down, for the drawing.
    """

    hold_seconds = NumericProperty(2.0)
    progress = NumericProperty(0.0)
    __events__ = ("on_hold",)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._held: object | None = None
        self._since = 0.0
        self._ticker = None

    def on_touch_down(self, touch: object) -> bool:
        if self.disabled or not self.collide_point(*touch.pos) or self._held is not None:
            return super().on_touch_down(touch)
        self._held = touch
        self._since = time.monotonic()
        touch.grab(self)
        self.progress = 0.0
        self._ticker = Clock.schedule_interval(self._tick, 1 / 30)
        super().on_touch_down(touch)
        return True

    def on_touch_up(self, touch: object) -> bool:
        if touch is self._held:
            touch.ungrab(self)
            held_long_enough = time.monotonic() - self._since >= self.hold_seconds
            self._stop()
            if held_long_enough:  # a slow frame may have hidden the moment from _tick
                self.dispatch("on_hold")
        return super().on_touch_up(touch)

    def on_hold(self) -> None:
        """Default handler, required by Kivy for the event."""

    def _tick(self, _dt: float) -> None:
        if self._held is None:
            return
        self.progress = min(1.0, (time.monotonic() - self._since) / self.hold_seconds)
        if self.progress >= 1.0:
            self._stop()
            self.dispatch("on_hold")

    def _stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        self._held = None
        self.progress = 0.0


class HoldButton(HoldBehavior, FlatButton):
    """A button that acts only when held (see widgets.kv: it fills up while held)."""


class HoldLabel(HoldBehavior, Label):
    """Text that does something when held, e.g. the shop name for the admin area."""


class BusySpinner(Widget):
    """An arc that turns while the spinner is on screen."""

    angle = NumericProperty(0)
    _event = None

    def start(self) -> None:
        if self._event is None:
            self._event = Clock.schedule_interval(self._turn, 1 / 30)

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def _turn(self, dt: float) -> None:
        self.angle = (self.angle + 360 * dt) % 360


class QrView(Widget):
    """A QR code drawn with a whole number of screen pixels per module, never blurred.

    The texture holds one texel per module (quiet zone included), uploaded straight from the
    bytes of `qr_texels` (cached, usually made by a worker as the invoice arrived: no image
    file on the way), and is magnified with nearest filtering to `module_px`, the largest
    integer size that fits, at whole-pixel positions. One rectangle is kept and given each new
    texture and position: no canvas rebuilt.
    """

    payload = StringProperty("")
    modules = NumericProperty(0)
    module_px = NumericProperty(0)
    drawn_rect = ListProperty([0, 0, 0, 0])

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.texture: Texture | None = None
        with self.canvas:
            Color(1, 1, 1, 1)
            self._rect = Rectangle(size=(0, 0))
        self.bind(payload=self._build, pos=self._draw, size=self._draw)

    def _build(self, *_: object) -> None:
        if not self.payload:
            self.modules = 0
            self._draw()
            return
        n, texels = qr_texels(self.payload)
        # A new texture each code: writing into one a frame may still be drawing would wait for it.
        self.texture = Texture.create(size=(n, n), colorfmt="rgba")
        self.texture.mag_filter = "nearest"
        self.texture.min_filter = "nearest"
        self.texture.blit_buffer(texels, colorfmt="rgba", bufferfmt="ubyte")
        self.modules = n
        self._draw()

    def _draw(self, *_: object) -> None:
        if self.texture is None or self.modules == 0:
            self.module_px = 0
            self._rect.size = (0, 0)
            return
        px = int(min(self.width, self.height)) // self.modules
        self.module_px = px
        side = px * self.modules
        x = int(self.x + (self.width - side) / 2)
        y = int(self.y + (self.height - side) / 2)
        self.drawn_rect = [x, y, side, side]
        self._rect.texture = self.texture
        self._rect.pos, self._rect.size = (x, y), (side, side)


class PrinterStrip(BoxLayout):
    """Why receipts wait and what to do, across the screen; no height while the printer is fine.

    Its "Print now" button fires `on_retry`: the screen hands that to the controller.
    """

    view = ObjectProperty(PrinterView(), rebind=True)  # kv reads view.title: redraw when it is replaced
    __events__ = ("on_retry",)

    def on_retry(self) -> None:
        """Default handler, required by Kivy for the event."""
