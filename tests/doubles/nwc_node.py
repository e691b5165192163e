"""The NWC wallet double, its real relay and the kiosk's pipe to it, as one breakable node for the tests."""

from __future__ import annotations

from tests.doubles.harness import DoubleHarness
from tests.doubles.invoices import Forgery
from tests.doubles.nwc import NwcWallet
from tests.support.nostr_relay import NostrRelay
from tests.support.tcp_pipe import TcpPipe


class NwcNode:
    """The NodeDouble the fault tests break: the wallet, its relay, and the kiosk's pipe to the relay."""

    def __init__(self, relay: NostrRelay, encryption: tuple[str, ...] = ("nip44_v2", "nip04")) -> None:
        self.relay = relay
        self.pipe = TcpPipe(relay.port)
        self.wallet = NwcWallet(relay.url, encryption)
        assert self.wallet.connected.wait(10), "the wallet double did not reach the relay"

    @property
    def garbage(self) -> bool:
        return self.wallet.garbage

    @garbage.setter
    def garbage(self, value: bool) -> None:
        self.wallet.garbage = value

    def uri(self) -> str:
        return self.wallet.uri(self.pipe.url)

    def pay(self, payment_hash: str, amount_msat: int | None = None) -> None:
        self.wallet.pay(payment_hash, amount_msat)

    def kill(self) -> None:
        self.relay.kill()

    def restart(self) -> None:
        self.relay.start()

    def drop_streams(self) -> None:
        self.pipe.cut()

    def open_streams(self) -> int:
        return self.pipe.open_connections()

    def open_connections(self) -> int:
        return self.pipe.open_connections()

    def sign_other_amounts(self, offset_msat: int) -> None:
        self.wallet.sign_other_amounts(offset_msat)

    def forge_paid(self, forgery: Forgery | None) -> None:
        self.wallet.forge_paid(forgery)

    def close(self) -> None:
        self.wallet.close()
        self.pipe.close()


class NwcHarness(DoubleHarness):
    def listening(self, payment_hash: str, seen: list[str]) -> bool:
        return payment_hash in seen  # a (re)opened stream first names what is on screen
