"""The Nostr Wallet Connect row of the settlement benchmark (settlement_doubles.DOUBLES["nwc"]).

A real nostr-relay on 127.0.0.1 with its own files in the run's scratch folder, the NIP-47
wallet double on it, and the kiosk's NwcBackend reaching it through the counting pipe. The
requests counted are the NIP-47 requests the wallet answered (make_invoice, lookup_invoice…);
the one relay connection, shared by every sale, is not a request.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.backends.nwc import NwcBackend
from kiosk.credentials import Secret
from tests.doubles.nwc_node import NwcNode
from tests.support.nostr_relay import NostrRelay


class NwcBench(NwcNode):
    @property
    def exchanges(self) -> list[tuple[str]]:
        return [(str(asked.get("method")),) for _request, asked in self.wallet.requests]

    def kill(self) -> None:
        """The end of the run: the wallet, the pipe and the relay all stop."""
        self.close()
        self.relay.kill()


def nwc(folder: Path) -> tuple[NwcBackend, NwcBench]:
    relay_folder = folder / "relay"
    relay_folder.mkdir()
    node = NwcBench(NostrRelay(relay_folder).start())
    return NwcBackend(Secret(node.uri().encode())), node
