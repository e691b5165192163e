"""lnd's macaroon permissions and its GetInfo and ChannelBalance answers, for the LND double (lnd.py)."""

from __future__ import annotations

import time

BLOCK_HEIGHT = 1_234
LOCAL_BALANCE_MSAT = 250_000_000
INVOICE_FEATURES = {
    "9": {"name": "tlv-onion", "is_required": False, "is_known": True},
    "14": {"name": "payment-addr", "is_required": True, "is_known": True},
    "17": {"name": "multi-path-payments", "is_required": False, "is_known": True},
}


# lnd's built-in macaroons (rpcserver.go) and the baked one node-apis.md recommends for a kiosk.
ADMIN_PERMISSIONS = frozenset(
    f"{entity}:{action}"
    for entity in ("onchain", "offchain", "address", "message", "peers", "info", "invoices")
    for action in ("read", "write")
)
INVOICE_PERMISSIONS = frozenset(
    {"invoices:read", "invoices:write", "address:read", "address:write", "onchain:read"}
)
KIOSK_PERMISSIONS = frozenset({"invoices:read", "invoices:write", "info:read", "offchain:read"})


def _amount(msat: int) -> dict:
    return {"sat": str(msat // 1000), "msat": str(msat)}


def getinfo_json(pubkey: str, synced: bool) -> dict:
    return {
        "version": "0.21.99-beta commit=v0.21.0-beta-1234-g90ea05d5a7f9",
        "commit_hash": "90ea05d5a7f9" + "0" * 28,
        "identity_pubkey": pubkey,
        "alias": "kiosk-test-lnd",
        "color": "#3399ff",
        "num_pending_channels": 0,
        "num_active_channels": 1,
        "num_inactive_channels": 0,
        "num_peers": 1,
        "block_height": BLOCK_HEIGHT,
        "block_hash": "00" * 32,
        "best_header_timestamp": str(int(time.time())),
        "synced_to_chain": synced,
        "synced_to_graph": True,
        "testnet": False,
        "chains": [{"chain": "bitcoin", "network": "regtest"}],
        "uris": [],
        "features": INVOICE_FEATURES,
        "require_htlc_interceptor": False,
        "store_final_htlc_resolutions": False,
        "wallet_synced": synced,
        "graph_cache_status": "GRAPH_CACHE_STATUS_LOADED",
    }


def channel_balance_json(inbound_msat: int) -> dict:
    zero = _amount(0)
    return {
        "balance": str(LOCAL_BALANCE_MSAT // 1000),
        "pending_open_balance": "0",
        "local_balance": _amount(LOCAL_BALANCE_MSAT),
        "remote_balance": _amount(inbound_msat),
        "unsettled_local_balance": zero,
        "unsettled_remote_balance": zero,
        "pending_open_local_balance": zero,
        "pending_open_remote_balance": zero,
        "custom_channel_data": "",
    }
