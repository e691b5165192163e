"""The shift report: the open shift so far, or a closed one, as the printer prints it."""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.services.shifts import ZReport
from kiosk.ui import strings
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminReportScreen(AdminScreen):
    texture = ObjectProperty(None, allownone=True)
    is_open = BooleanProperty(True)  # the open shift: it can be closed; a closed one printed again
    title = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.report: ZReport | None = None

    @staticmethod
    def paper_size(texture_size: tuple[int, int], room: float) -> tuple[float, float]:
        """The preview's size: the printed dots one to one, or scaled down to `room` when wider."""
        width, height = texture_size
        scale = min(1.0, max(room, 1) / width) if width else 1.0
        return width * scale, height * scale

    def show_report(self, report: ZReport, png: bytes, notice: str) -> None:
        self.report = report
        self.is_open = report.shift.is_open
        self.title = (
            strings.CURRENT_SHIFT if report.shift.is_open else strings.ADMIN_REPORT + f"  #{report.shift.id}"
        )
        self.texture = CoreImage(io.BytesIO(png), ext="png").texture
        self.notice = notice
