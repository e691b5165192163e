"""The ledger file opened once, with a repository per table group: what `wiring` hands the services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.storage.anomalies import AnomalyRepository
from kiosk.storage.database import Database
from kiosk.storage.outbox import OutboxRepository
from kiosk.storage.pins import PinRepository
from kiosk.storage.print_jobs import PrintJobRepository
from kiosk.storage.refunds import RefundRepository
from kiosk.storage.sales import SaleRepository
from kiosk.storage.settings import SettingRepository
from kiosk.storage.shifts import ShiftRepository
from kiosk.storage.staff import StaffRepository


@dataclass(frozen=True)
class Storage:
    database: Database
    sales: SaleRepository
    print_jobs: PrintJobRepository
    shifts: ShiftRepository
    settings: SettingRepository
    pins: PinRepository
    anomalies: AnomalyRepository
    refunds: RefundRepository
    staff: StaffRepository
    outbox: OutboxRepository

    @classmethod
    def open(cls, path: Path) -> Storage:
        """Open (and migrate) the ledger file; StorageError with the next step if it cannot be."""
        db = Database(path)
        return cls(
            db,
            SaleRepository(db),
            PrintJobRepository(db),
            ShiftRepository(db),
            SettingRepository(db),
            PinRepository(db),
            AnomalyRepository(db),
            RefundRepository(db),
            StaffRepository(db),
            OutboxRepository(db),
        )

    @property
    def path(self) -> Path:
        return self.database.path

    def close(self) -> None:
        self.database.close()
