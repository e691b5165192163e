"""Fixtures of the Nostr Wallet Connect tests: one real relay per module, a fresh wallet per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.doubles.nwc_node import NwcNode
from tests.support.nostr_relay import NostrRelay


@pytest.fixture(scope="module")
def shared_relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NostrRelay]:
    relay = NostrRelay(tmp_path_factory.mktemp("relay")).start()
    yield relay
    relay.kill()


@pytest.fixture
def relay(shared_relay: NostrRelay) -> NostrRelay:
    """The module's relay, running (a test that killed it may not have brought it back)."""
    if not shared_relay.running:
        shared_relay.start()
    return shared_relay


@pytest.fixture
def nwc_node(relay: NostrRelay) -> Iterator[NwcNode]:
    node = NwcNode(relay)
    yield node
    node.close()
