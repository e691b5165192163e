"""The soak's figures as the Markdown table the report prints."""

from __future__ import annotations

from benchmarks.reliability.soak import SoakResult, percentiles


def row(name: str, figures: tuple[float, float, float]) -> str:
    return f"| {name} | " + " | ".join(f"{v:.1f}" for v in figures) + " |"


def table(r: SoakResult) -> list[str]:
    assert r.warm and r.end
    q, p = percentiles(r.charge_to_qr_ms), percentiles(r.paid_to_receipt_ms)
    i = percentiles(r.charge_to_invoice_ms)
    c = percentiles(r.lnbits_create_ms)
    s = percentiles(r.startup_s)
    states = ", ".join(f"{n} {state}" for state, n in sorted(r.ledger_states.items()))
    rate = r.done / max(r.seconds, 1e-9) * 60
    rss = f"{r.warm.rss_kib / 1024:.1f} | {r.end.rss_kib / 1024:.1f} | {r.rss_growth:+.1%} (limit 10 %)"
    return [
        f"{r.done} of {r.sales} sales in {r.seconds:.0f} s ({rate:.0f} a minute); "
        f"missed settlements: {len(r.missed)}; ledger at the end: {states}",
        "",
        "| figure | p50 | p95 | max |",
        "|---|---|---|---|",
        row("charge tap -> QR on screen (ms)", q),
        row("of which: charge tap -> invoice made, checked and committed (ms)", i),
        row(f"LNbits alone: create invoice, {len(r.lnbits_create_ms)} calls (ms)", c),
        row("PAID -> last receipt byte at the printer (ms)", p),
        f"| cold start -> keypad drawn (s, {len(r.startup_s)} runs) | {s[0]:.2f} | {s[1]:.2f} | {s[2]:.2f} |",
        "",
        f"| resource | after {r.warm_after} sales (warm) | after {r.done} sales | change |",
        "|---|---|---|---|",
        f"| RSS (MiB) | {rss} |",
        f"| threads (kiosk) | {r.warm.threads} | {r.end.threads} | {r.end.threads - r.warm.threads:+d} |",
        f"| open file descriptors | {r.warm.fds} | {r.end.fds} | {r.end.fds - r.warm.fds:+d} |",
        f"| the threads | {r.warm.names} | {r.end.names} | |",
        f"| cold start peak RSS (MiB) | {min(r.startup_rss_mib):.0f}-{max(r.startup_rss_mib):.0f} | | |",
        *(f"\nMissed: {m}" for m in r.missed),
    ]
