"""A listpeerchannels item as Core Lightning writes it, for the CLN double (tests/doubles/cln.py)."""

from __future__ import annotations

TO_US_MSAT = 400_000_000


def channel(peer_id: str, state: str, connected: bool, receivable_msat: int, n: int) -> dict:
    """A listpeerchannels item as CLN writes it for a channel we opened."""
    reserve = 10_000_000
    total = TO_US_MSAT + receivable_msat + reserve
    policy = {
        "htlc_minimum_msat": 0,
        "htlc_maximum_msat": total - reserve,
        "cltv_expiry_delta": 6,
        "fee_base_msat": 1,
        "fee_proportional_millionths": 10,
    }
    channel = {
        "peer_id": peer_id,
        "peer_connected": connected,
        "channel_type": {"bits": [12, 22], "names": ["static_remotekey/even", "anchors/even"]},
        "updates": {"local": policy},
        "state": state,
        "lost_state": False,
        "feerate": {"perkw": 3755, "perkb": 15020},
        "owner": "channeld" if connected else "lightningd",
        "channel_id": f"{n:02x}" * 32,
        "funding_txid": f"{n + 16:02x}" * 32,
        "funding_outnum": 0,
        "private": False,
        "opener": "local",
        "features": ["option_static_remotekey", "option_anchors"],
        "funding": {"local_funds_msat": total, "remote_funds_msat": 0, "pushed_msat": 0},
        "to_us_msat": TO_US_MSAT,
        "min_to_us_msat": TO_US_MSAT,
        "max_to_us_msat": total,
        "total_msat": total,
        "fee_base_msat": 1,
        "fee_proportional_millionths": 10,
        "dust_limit_msat": 546_000,
        "their_max_htlc_value_in_flight_msat": 2**64 - 1,
        "our_max_htlc_value_in_flight_msat": 2**64 - 1,
        "their_reserve_msat": reserve,
        "our_reserve_msat": reserve,
        "spendable_msat": TO_US_MSAT - reserve,
        "receivable_msat": receivable_msat,
        "minimum_htlc_in_msat": 0,
        "minimum_htlc_out_msat": 0,
        "maximum_htlc_out_msat": total - reserve,
        "their_to_self_delay": 144,
        "our_to_self_delay": 144,
        "max_accepted_htlcs": 483,
        "state_changes": [],
        "status": [f"{state}:Channel ready for use." if connected else f"{state}:Peer is not connected."],
        "in_payments_offered": 0,
        "in_offered_msat": 0,
        "in_payments_fulfilled": 0,
        "in_fulfilled_msat": 0,
        "out_payments_offered": 0,
        "out_offered_msat": 0,
        "out_payments_fulfilled": 0,
        "out_fulfilled_msat": 0,
        "htlcs": [],
    }
    if connected:
        channel["reestablished"] = True
    if state == "CHANNELD_NORMAL":  # confirmed: it has a short channel id and a direction
        channel |= {"short_channel_id": f"{100 + n}x1x0", "direction": n % 2}
    return channel
