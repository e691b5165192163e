"""A screen manager that builds some screens the first time they are asked for."""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.screenmanager import Screen, ScreenManager


class ScreenSet(ScreenManager):
    """Screens added now, and screens made on their first `get_screen` (showing one asks for it).

    The admin area's screens are seldom opened but cost about 15 MiB at start (the history's
    search field, every language's name in the settings), the sale's seldom ones about 4 MiB:
    they are made when first shown, in a frame or two.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._later: dict[str, Callable[[], Screen]] = {}

    def add_later(self, name: str, make: Callable[[], Screen]) -> None:
        self._later[name] = make

    def get_screen(self, name: str) -> Screen:
        make = self._later.pop(name, None)
        if make is not None:
            self.add_widget(make())
        return super().get_screen(name)

    def made(self, name: str) -> Screen | None:
        """The screen if it has been made, without making it."""
        return super().get_screen(name) if super().has_screen(name) else None

    def has_screen(self, name: str) -> bool:
        return name in self._later or super().has_screen(name)

    def clear_widgets(self, children: list | None = None, *args: object, **kwargs: object) -> None:
        if children is None:
            self._later.clear()
        super().clear_widgets(children, *args, **kwargs)
