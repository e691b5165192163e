"""The shift report: the open shift so far, or a closed one, as the printer prints it."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.services.shifts import ZReport
from kiosk.ui import strings
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminReportScreen(AdminScreen):
    is_open = BooleanProperty(True)  # the open shift: it can be closed; a closed one printed again
    title = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.report: ZReport | None = None

    def show_report(self, report: ZReport, png: bytes, notice: str) -> None:
        self.report = report
        self.is_open = report.shift.is_open
        self.title = (
            strings.CURRENT_SHIFT if report.shift.is_open else strings.ADMIN_REPORT + f"  #{report.shift.id}"
        )
        self.ids.paper.show(png)
        self.notice = notice
