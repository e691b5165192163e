"""What the invoice screen says about tap to pay, from the latest TapNews (no Kivy here)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.tap_to_pay import TapNews, TapState
from kiosk.ui import strings


@dataclass(frozen=True)
class TapLine:
    text: str  # empty: the plain "scan" prompt (no tap to pay on this kiosk)
    alarm: bool = False


def tap_line(news: TapNews | None, sale_id: int | None) -> TapLine:
    """The prompt under the amount: scan or tap, what a tap is doing, or why it did not pay.

    News about another sale (an earlier one) leaves the resting prompt.
    """
    if news is None:
        return TapLine("")
    if news.state is TapState.NO_READER or not news.reader_present:
        return TapLine(strings.CARD_READER_MISSING, alarm=True)
    if news.sale_id is None or news.sale_id != sale_id or news.state is TapState.READY:
        return TapLine(strings.SCAN_OR_TAP)
    return TapLine(news.message, alarm=news.state is TapState.FAILED)
