"""What the kiosk says about its outbox reaching the central books. Pure: no Kivy, no clock.

The admin node screen shows the whole state; the keypad says a quiet word only when the
oldest event still waiting is older than `[fleet] warn_backlog_minutes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kiosk.services.fleet import OutboxStatus
from kiosk.ui import strings
from kiosk.ui.admin_views import local_time

# libpq never puts the password in its reasons; this is the belt to those braces.
_SECRETS = (re.compile(r"(password\s*=\s*)\S+", re.IGNORECASE), re.compile(r"(://[^:/@\s]+:)[^@\s]+(?=@)"))


@dataclass(frozen=True)
class SyncView:
    last_sent: str
    backlog: str
    oldest: str  # "" when nothing waits
    error: str  # "" when the last attempt went through
    late: bool  # the oldest waiting event is older than the warning age


def age_text(ms: int) -> str:
    """'5 min', '2 h 5 min', '3 d 4 h': how long an event has waited."""
    minutes = ms // 60_000
    if minutes < 60:
        return strings.AGE_MINUTES.format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return strings.AGE_HOURS.format(hours=hours, minutes=minutes)
    days, hours = divmod(hours, 24)
    return strings.AGE_DAYS.format(days=days, hours=hours)


def safe_error(error: str) -> str:
    """The stored reason's first line, with anything that looks like a password taken out."""
    line = error.strip().splitlines()[0] if error.strip() else ""
    for pattern in _SECRETS:
        line = pattern.sub(r"\1***", line)
    return line


def is_late(status: OutboxStatus, now_ms: int, warn_ms: int) -> bool:
    return status.backlog > 0 and status.backlog_age_ms(now_ms) >= warn_ms


def sync_view(status: OutboxStatus, now_ms: int, timezone: ZoneInfo, warn_ms: int) -> SyncView:
    """The outbox's state as the admin node screen's lines."""
    if status.last_sent_ms is None:
        last = strings.SYNC_NEVER
    else:
        last = strings.SYNC_LAST_SENT.format(time=local_time(status.last_sent_ms, timezone))
    backlog = strings.SYNC_BACKLOG.format(count=status.backlog) if status.backlog else strings.SYNC_ALL_SENT
    oldest = ""
    if status.backlog:
        oldest = strings.SYNC_OLDEST.format(age=age_text(status.backlog_age_ms(now_ms)))
    error = strings.SYNC_ERROR.format(error=safe_error(status.last_error)) if status.last_error else ""
    return SyncView(last, backlog, oldest, error, is_late(status, now_ms, warn_ms))


def sync_text(view: SyncView) -> str:
    """The node screen's section (Kivy markup): late and failing lines in the warning colour."""
    lines = [f"[b]{strings.SYNC_TITLE}[/b]", view.last_sent, view.backlog]
    if view.oldest:
        lines.append(f"[color=#F5A524]{view.oldest}[/color]" if view.late else view.oldest)
    if view.error:
        lines.append(f"[color=#F05252]{view.error}[/color]")
    return "\n".join(lines)


def backlog_note(status: OutboxStatus | None, now_ms: int, warn_ms: int) -> str:
    """The keypad's quiet line: empty unless the oldest unsent event is older than `warn_ms`."""
    if status is None or not is_late(status, now_ms, warn_ms):
        return ""
    return strings.SYNC_LATE.format(age=age_text(status.backlog_age_ms(now_ms)))
