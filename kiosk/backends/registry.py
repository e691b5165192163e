"""Choose the node adapter named in the config."""

from __future__ import annotations

from kiosk.backends.base import LightningBackend
from kiosk.backends.demo import DemoNode
from kiosk.config import NodeConfig
from kiosk.errors import ConfigError


def make_backend(node: NodeConfig, demo_pay_after_s: float | None = None) -> LightningBackend:
    if node.backend == "demo":
        return DemoNode(pay_after_s=demo_pay_after_s)
    raise ConfigError(
        f"Backend {node.backend!r} is not available in this version",
        'Set node.backend = "demo"',
    )
