"""The config and CLI fuzz runs (tests/config/fuzz.py): no input gives a traceback; the count is printed."""

import os

from tests.config.fuzz import fuzz_cli, fuzz_config

CONFIG_CASES = int(os.environ.get("KIOSK_FUZZ_CONFIG_CASES", "400"))
CLI_CASES = int(os.environ.get("KIOSK_FUZZ_CLI_CASES", "120"))


def test_no_config_gives_a_traceback(tmp_path, capsys):
    outcomes = fuzz_config(tmp_path, CONFIG_CASES)
    assert outcomes.total() >= CONFIG_CASES // 2  # hypothesis may stop early only on a tiny space
    assert outcomes["refused"] and outcomes["loaded"]  # both ends are reached
    with capsys.disabled():
        print(f"\nconfig fuzz: {outcomes.total()} cases, no traceback ({dict(outcomes)})")


def test_no_command_line_gives_a_traceback(tmp_path, capsys):
    outcomes = fuzz_cli(tmp_path, CLI_CASES)
    assert outcomes.total() >= CLI_CASES // 2
    assert outcomes["exit 0"] and outcomes["exit 2"]
    with capsys.disabled():
        print(f"\nCLI fuzz: {outcomes.total()} cases, no traceback ({dict(sorted(outcomes.items()))})")
