"""Node status: alias, network, sync, channels, inbound liquidity, and what would fail."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.services.admin import NodeStatus
from kiosk.ui import admin_views
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminNodeScreen(AdminScreen):
    body = StringProperty("")

    def show_status(self, status: NodeStatus) -> None:
        self.notice = ""
        self.body = admin_views.node_text(status)
