"""Fuzzing the config loader and the command line: a clear error or a correct result, never a traceback.

`fuzz_config` mutates every key of config/kiosk.example.toml (wrong types, NaN, huge
integers, odd text, paths to folders, files, binaries and nothing) and loads the result:
either a ConfigError with a message, or a config whose files all open; and the doctor's
findings agree with the load either way. `fuzz_cli` runs `python -m kiosk` in-process
with generated arguments of charge, sales, doctor and set-pin on the demo node. Both
return how many cases ran and how they ended. tests/config/test_fuzz.py runs them;
`python -m benchmarks.fuzz` runs more.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import math
import sqlite3
import threading
import tomllib
from collections import Counter
from pathlib import Path
from unittest import mock

import trustme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import cli, preflight
from kiosk import config as cfg
from kiosk.errors import ConfigError
from kiosk.preflight import findings
from kiosk.services.doctor import Status

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "kiosk.example.toml"
KEY = "4b1d5a3c8e0f49d7a2c6b8e1f0a3d5c7"
BACKENDS = ("demo", "lnd", "cln", "lnbits", "phoenixd", "nwc", "btcpay")


def lay_out(root: Path) -> list[str]:
    """Files of every kind beside the configs; returns the names a path value may take."""
    (root / "folder").mkdir()
    (root / "text.txt").write_text("hello\n")
    (root / "binary.bin").write_bytes(bytes(range(256)))
    (root / "empty").write_bytes(b"")
    (root / "key").write_text(KEY + "\n")
    (root / "key").chmod(0o600)
    (root / "two-keys").write_text(f"{KEY}\n{KEY}\n")
    (root / "open-key").write_text(KEY)
    (root / "open-key").chmod(0o644)
    (root / "macaroon").write_bytes(b"\x02\x01\x03lnd\x02\xff\x00")
    (root / "cert.pem").write_bytes(trustme.CA().cert_pem.bytes())
    (root / "catalog.toml").write_text('[[product]]\nname = "Tea"\nprice = "2.50"\n')
    (root / "bad-catalog.toml").write_text("[[product]]\nprice = 1\n")
    sqlite3.connect(root / "ledger.sqlite3").execute("CREATE TABLE t (x)").connection.close()
    (root / "file-as-folder").write_text("")
    names = [p.name for p in root.iterdir()]
    return [*names, "missing", "missing/deeper/ledger.sqlite3", "file-as-folder/ledger.sqlite3", "/", "~"]


def schema_keys() -> list[tuple[str, str]]:
    return [(s, f) for s, cls in cfg.SECTIONS.items() for f in cls.__dataclass_fields__]


def values(paths: list[str]) -> st.SearchStrategy[object]:
    return st.one_of(
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([0, -1, 1, 30, 65_535, 65_536, 2**63 - 1, 2**63, -(2**63)]),
        st.floats(),  # NaN and both infinities included
        st.sampled_from(["NaN", "Infinity", "-0", "1e999999", "0.000001", "12.50", "", " ", "0x10"]),
        st.sampled_from(paths),
        st.sampled_from(BACKENDS),
        st.sampled_from(["https://127.0.0.1:9", "http://[::1]:70000", "https://", "ftp://x", "127.0.0.1"]),
        st.text(max_size=40),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    )


@st.composite
def documents(draw: st.DrawFn, paths: list[str]) -> dict:
    """The example config with a few keys set to anything, removed, or made up."""
    doc = tomllib.loads(EXAMPLE.read_text())
    doc["ledger"]["path"] = "ledger.sqlite3"
    doc["demo"]["receipts_dir"] = "receipts"
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        section, key = draw(st.sampled_from(schema_keys()))
        action = draw(st.sampled_from(["set", "set", "set", "delete", "unknown key", "not a table"]))
        if not isinstance(doc.get(section, {}), dict):
            doc[section] = {}  # an earlier "not a table" is mutated back into a table
        table = doc.setdefault(section, {})
        if action == "set":
            table[key] = draw(values(paths))
        elif action == "delete":
            table.pop(key, None)
        elif action == "unknown key":
            table[key + draw(st.sampled_from(["s", "_x", "e"]))] = 1
        else:
            doc[section] = draw(values(paths))
    return doc


def to_toml(doc: dict) -> str:
    """TOML text for `doc` (tomllib only reads): top-level values first, then one table each."""
    plain = {k: v for k, v in doc.items() if not isinstance(v, dict)}
    lines = [f"{_key(k)} = {_value(v)}" for k, v in plain.items()]
    for name, table in doc.items():
        if isinstance(table, dict):
            lines.append(f"[{_key(name)}]")
            lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, str):
        return _key(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def fuzz_config(root: Path, examples: int) -> Counter[str]:
    """Load `examples` mutated configs written in `root`; returns the outcomes by kind."""
    paths = lay_out(root)
    outcomes: Counter[str] = Counter()
    path = root / "kiosk.toml"

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(documents(paths))
    def one(doc: dict) -> None:
        path.write_text(to_toml(doc), encoding="utf-8")
        try:
            loaded = preflight.load(path)
        except ConfigError as exc:
            assert exc.message.strip(), "an error without words"
            outcomes["refused"] += 1
            _agrees_with_doctor(path, exc)
            return
        assert not [f for f in findings(loaded) if f.status is Status.FAIL]
        outcomes["loaded"] += 1

    with _no_logged_tracebacks(), contextlib.chdir(root):
        one()
    return outcomes


def _agrees_with_doctor(path: Path, error: ConfigError) -> None:
    """A config load refuses is refused by the doctor too, with the same first message."""
    try:
        values_only = cfg.load(path)
    except ConfigError as exc:
        assert (exc.message, exc.hint) == (error.message, error.hint)
        return
    failed = [f for f in findings(values_only) if f.status is Status.FAIL]
    assert failed and (failed[0].message, failed[0].hint) == (error.message, error.hint)


FLAGS = ["--currency", "--memo", "--expiry", "--demo", "--demo-pay-after", "--json", "--limit", "--config"]


def tokens(configs: list[str]) -> st.SearchStrategy[str]:
    words = st.sampled_from(
        ["0", "-1", "1", "4.50", "1.234", "2100", "1e3", "NaN", "inf", "-0", "9" * 30, "0x10", "SAT", "usd"]
    )
    return st.one_of(st.sampled_from(FLAGS), words, st.sampled_from(configs), st.text(max_size=12))


def fuzz_cli(root: Path, examples: int) -> Counter[str]:
    """Run `examples` generated command lines in-process; returns the exit codes seen."""
    lay_out(root)
    good = root / "kiosk.toml"
    good.write_text('[shop]\nname = "Fuzz"\n[ledger]\npath = "ledger.sqlite3"\n[demo]\nreceipts_dir = "r"\n')
    configs = [str(good), str(root / "folder"), str(root / "binary.bin"), str(root / "missing.toml")]
    outcomes: Counter[str] = Counter()

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        st.sampled_from(["charge", "charge", "sales", "doctor", "set-pin"]),
        st.lists(tokens(configs), max_size=6),
        st.tuples(st.text(max_size=8), st.text(max_size=8)),
    )
    def one(command: str, args: list[str], pins: tuple[str, str]) -> None:
        argv = [command, "--config", str(good), *args]
        if command == "charge":
            argv += ["--demo-pay-after", "0"]  # the demo customer pays at once: no sale waits out its expiry
        out, err = io.StringIO(), io.StringIO()
        answers = iter(pins)
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            mock.patch("getpass.getpass", lambda _prompt: next(answers)),
        ):
            try:
                code = cli.main(argv)
            except SystemExit as exc:  # argparse: --help (0) or a bad argument (2)
                code = exc.code if isinstance(exc.code, int) else 2
        assert "Traceback" not in out.getvalue() + err.getvalue()
        assert code in (0, 1, 2, 3, 5), (argv, code, err.getvalue())
        if code == 2:
            assert "error" in err.getvalue(), (argv, err.getvalue())
        outcomes[f"exit {code}"] += 1

    with _no_logged_tracebacks(), contextlib.chdir(root):
        one()
    return outcomes


@contextlib.contextmanager
def _no_logged_tracebacks():
    """Fail on an exception a thread died of, or one logged with its traceback."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info:
                seen.append(self.format(record))

    handler = Collect()
    logging.getLogger().addHandler(handler)
    previous_hook = threading.excepthook
    threading.excepthook = lambda args: seen.append(
        f"{args.thread}: {args.exc_type.__name__}: {args.exc_value}"
    )
    try:
        yield
    finally:
        threading.excepthook = previous_hook
        logging.getLogger().removeHandler(handler)
    assert seen == [], seen[0]
