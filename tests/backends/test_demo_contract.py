import pytest

from kiosk.backends.demo import DemoNode
from tests.backends.contract import BackendContract


class DemoHarness:
    def __init__(self) -> None:
        self.backend = DemoNode()

    def pay(self, bolt11: str) -> None:
        import bolt11 as b11

        self.backend.pay(b11.decode(bolt11).payment_hash)

    def listening(self, payment_hash: str, seen: list[str]) -> bool:
        return True  # the demo's push() counts payments from the moment it is called


@pytest.fixture
def harness():
    h = DemoHarness()
    yield h
    h.backend.close()


class TestDemoNode(BackendContract):
    pass
