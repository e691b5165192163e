"""The admin menu: history, the shift report, export, printer test, node, settings, quit, lock."""

from __future__ import annotations

from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)


class AdminMenuScreen(AdminScreen):
    pass
