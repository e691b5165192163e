"""Node status: alias, network, sync, channels, inbound liquidity, and what would fail."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from kivy.properties import StringProperty

from kiosk.services.admin import NodeStatus
from kiosk.services.fleet import OutboxStatus
from kiosk.ui import admin_views, fleet_views
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminNodeScreen(AdminScreen):
    body = StringProperty("")
    sync = StringProperty("")  # the central books' section, with [fleet]

    def show_status(self, status: NodeStatus) -> None:
        self.notice = ""
        self.body = admin_views.node_text(status)

    def show_sync(self, status: OutboxStatus) -> None:
        till = self.controller.till
        view = fleet_views.sync_view(status, till.clock_ms(), ZoneInfo(till.timezone), till.fleet_warn_ms)
        self.sync = fleet_views.sync_text(view)
