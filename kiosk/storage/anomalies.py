"""Payments a node called paid without proof (migration 005): the `on_anomaly` sink on SQLite."""

from __future__ import annotations

from kiosk.services.settlement_proof import Anomaly, Unproven
from kiosk.storage.database import Database

_COLUMNS = "at_ms, sale_id, payment_hash, reason, received_msat, asked_msat"


class AnomalyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, anomaly: Anomaly) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                f"INSERT INTO anomalies ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    anomaly.at_ms,
                    anomaly.sale_id,
                    anomaly.payment_hash,
                    anomaly.reason.value,
                    anomaly.received_msat,
                    anomaly.asked_msat,
                ),
            )

    def recorded(self) -> list[Anomaly]:
        """Every anomaly, oldest first."""
        with self._db.read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM anomalies ORDER BY id").fetchall()
        return [
            Anomaly(at, sale_id, payment_hash, Unproven(reason), received, asked)
            for at, sale_id, payment_hash, reason, received, asked in rows
        ]
