"""The config and command-line fuzz runs, bigger than the test suite's, with the number of cases.

    .venv/bin/python -m benchmarks.fuzz --config-cases 5000 --cli-cases 1000

Each case is a mutated config/kiosk.example.toml loaded as the kiosk loads it, or a
generated `python -m kiosk charge|sales|doctor|set-pin` command line run on the demo
node (tests/config/fuzz.py); a traceback fails the run with the case that caused it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.config.fuzz import fuzz_cli, fuzz_config


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config-cases", type=int, default=5000)
    parser.add_argument("--cli-cases", type=int, default=1000)
    args = parser.parse_args()
    for name, run, cases in (("config", fuzz_config, args.config_cases), ("CLI", fuzz_cli, args.cli_cases)):
        with tempfile.TemporaryDirectory(prefix=f"kiosk-fuzz-{name}-") as root:
            start = time.monotonic()
            outcomes = run(Path(root), cases)
            elapsed = time.monotonic() - start
        detail = ", ".join(f"{kind} {count}" for kind, count in sorted(outcomes.items()))
        print(f"{name} fuzz: {outcomes.total()} cases in {elapsed:.1f} s, no traceback ({detail})")


if __name__ == "__main__":
    main()
