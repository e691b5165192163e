"""Settings that are safe to change in the shop: language, merchant copy, tips, idle timeout."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk import i18n
from kiosk.services.settings import IDLE_CHOICES_S, DeviceSettings
from kiosk.ui import fonts, strings, theme
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminSettingsScreen(AdminScreen):
    title = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.choices: dict[str, object] = {}
        rows = (
            ("language", [(code, i18n.language_name(code)) for code in i18n.available_languages()]),
            ("merchant_copy", [(True, strings.ON), (False, strings.OFF)]),
            ("tips", [(True, strings.ON), (False, strings.OFF)]),
            ("idle_timeout_seconds", [(s, strings.SECONDS.format(seconds=s)) for s in IDLE_CHOICES_S]),
        )
        for setting, options in rows:
            box = self.ids[setting]
            for value, text in options:
                button = Factory.ChoiceButton(text=text)
                if setting == "language":
                    button.font_name = fonts.text_font(str(value))  # each language's name in its own script
                button.bind(
                    on_release=lambda _b, k=setting, v=value: self.controller.admin.change_settings(**{k: v})
                )
                box.add_widget(button)
                self.choices[f"{setting}={value}"] = button

    def show_settings(self, settings: DeviceSettings, notice: str) -> None:
        self.notice = notice
        for key, button in self.choices.items():
            setting, _, value = key.partition("=")
            chosen = str(getattr(settings, setting)) == value
            button.fill = theme.ACCENT if chosen else theme.KEY
            button.color = theme.ON_ACCENT if chosen else theme.TEXT
