"""phoenixd's own source (a fetched copy of ACINQ/phoenixd, when it is there) read into contracts/ form.

phoenixd publishes no schema: its answers are Kotlin data classes (json/JsonSerializers.kt) and
its routes a ktor routing block (Api.kt). This reads both at the commit contracts/phoenixd.toml
names, so test_contract_tables.py can hold the table's rows against them. The copy is a git
directory (the search tool's `fetch` of ACINQ/phoenixd) at ../.mirror/ACINQ+phoenixd/repo beside
the clone, or wherever KIOSK_PHOENIXD_SOURCE points; without it those tests skip.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

SOURCE = Path(
    os.environ.get(
        "KIOSK_PHOENIXD_SOURCE", Path(__file__).resolve().parents[3] / ".mirror" / "ACINQ+phoenixd" / "repo"
    )
)
PHOENIXD_KT = "src/commonMain/kotlin/fr/acinq/phoenixd/Phoenixd.kt"
KOTLIN_TYPES = {
    "Satoshi": "sat",
    "MilliSatoshi": "msat",
    "ByteVector32": "hex32",
    "PublicKey": "pubkey",
    "TxId": "txid",
    "UUID": "uuid",
    "String": "string",
    "Boolean": "bool",
    "Long": "long",
    "Int": "int",
}
FORM_GETTERS = {
    "getOptionalLong": "long?",
    "getOptionalByteVector32": "hex32?",
    "getOptionalUrl": "url?",
    "getInvoice": "bolt11",
    "getLong": "long",
}
STATUS_NAMES = {"Unauthorized": "401", "NotFound": "404", "MethodNotAllowed": "405", "NoContent": "not_found"}


def read(commit: str, path: str) -> str | None:
    """A file of the fetched copy at `commit`, or None when the copy (or that commit) is not here."""
    if not SOURCE.is_dir():
        return None
    try:
        shown = subprocess.run(
            ["git", "--git-dir", str(SOURCE), "show", f"{commit}:{path}"],
            capture_output=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return shown.stdout.decode()


def _blank_strings(code: str) -> str:
    """String literals and line comments blanked (same length): braces in them are not blocks."""
    code = re.sub(r"//[^\n]*", lambda m: " " * len(m[0]), code)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', lambda m: '"' + " " * (len(m[0]) - 2) + '"', code)


def _block(code: str, start: int) -> str:
    """From `start` to the brace that closes the first block opened after it (strings blanked)."""
    blank = _blank_strings(code)
    depth, i = 0, blank.index("{", start)
    while True:
        depth += {"{": 1, "}": -1}.get(blank[i], 0)
        if depth == 0:
            return code[start : i + 1]
        i += 1


def _parameters(code: str, start: int) -> str:
    """The text inside the parentheses opened at or after `start`."""
    depth, begin = 0, code.index("(", start)
    for i in range(begin, len(code)):
        depth += {"(": 1, ")": -1}.get(code[i], 0)
        if depth == 0:
            return code[begin + 1 : i]
    raise AssertionError("unbalanced parentheses")


def _kotlin_type(text: str) -> str:
    text = text.strip()
    nullable = text.endswith("?")
    text = text.removesuffix("?")
    if match := re.fullmatch(r"List<(\w+)>", text):
        inner = match[1]
        return f"[{KOTLIN_TYPES.get(inner, inner)}]" + ("?" if nullable else "")
    return KOTLIN_TYPES.get(text, text) + ("?" if nullable else "")


def _split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += {"(": 1, "<": 1, ")": -1, ">": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [p for p in (*parts, current) if p.strip()]


def types(json_kt: str, names: list[str]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Each data class's JSON fields (SerialName, type, "?" when it may be absent) and discriminators."""
    fields: dict[str, dict[str, str]] = {}
    discriminators: dict[str, str] = {}
    for name in names:
        match = re.search(rf'(?:@SerialName\("(\w+)"\)\s+)?data class {name}\b[^(]*', json_kt)
        assert match, f"data class {name} is not in JsonSerializers.kt"
        if match[1]:
            discriminators[name] = match[1]
        row: dict[str, str] = {}
        params = _parameters(json_kt, match.end())
        for param in _split_top(params):
            if "@Transient" in param:
                continue
            got = re.search(r'(?:@SerialName\("(\w+)"\)\s*)?val (\w+): ([^=]+)', param)
            assert got, param
            row[got[1] or got[2]] = _kotlin_type(got[3])
        after = json_kt[match.end() + len(params) + 2 :].lstrip()
        if after.startswith(": ApiEvent()"):  # ApiEvent's own properties have defaults: may be absent
            event = _block(json_kt, json_kt.index("sealed class ApiEvent"))
            for prop, kind in re.findall(r"val (\w+): (\w+) =", event):
                row = {prop: _kotlin_type(kind) + "?"} | row
        fields[name] = row
    return fields, discriminators


def _route(api_kt: str, method: str, path: str) -> int:
    if path == "/websocket":
        return api_kt.index('route("/websocket")')
    return api_kt.index(f'{method.lower()}("{path.lstrip("/")}")')


def _access(api_kt: str, at: int, block: str) -> str:
    """ "full" inside an `authenticate("full-access")` block, "limited" in any other authenticate
    (around the route, or first thing in it), "none" outside any."""
    blank, opened = _blank_strings(api_kt[:at]), []
    for i, ch in enumerate(blank):
        if ch == "{":
            opened.append(api_kt[blank.rfind("\n", 0, i) + 1 : i])
        elif ch == "}":
            opened.pop()
    guards = [line for line in opened if "authenticate" in line] + re.findall(r"authenticate\([^\n]*", block)
    if not guards:
        return "none"
    return "full" if '"full-access"' in guards[-1] else "limited"


def endpoint(api_kt: str, phoenixd_kt: str, row: dict, type_names: list[str]) -> dict[str, Any]:
    """What Api.kt says of one route: who may call it, its form and path fields, what it answers."""
    at = _route(api_kt, row["method"], row["path"])
    block = _block(api_kt, at)
    derived: dict[str, Any] = {"access": _access(api_kt, at, block)}
    form = {
        name: FORM_GETTERS[getter] for getter, name in re.findall(r'formParameters\.(\w+)\("(\w+)"\)', block)
    }
    form |= {name: "string?" for name in re.findall(r'formParameters\["(\w+)"\]', block)}
    if "getOptionalAmount()" in block:
        form |= {"amountSat": "long?", "sendAll": "string?"}  # the helper reads both
    if form:
        derived["form"] = form
    if params := re.findall(r'call\.parameters\.getByteVector32\("(\w+)"\)', block):
        derived["path_params"] = {name: "hex32" for name in params}
    source = phoenixd_kt if "eventsFlow" in block else block
    answers = re.findall(r"\b(" + "|".join(type_names) + r")\(", source)
    derived["response"] = "|".join(dict.fromkeys(answers))
    if "ApiType?" in block or "eventsFlow" in block:
        derived["typed"] = True
    return derived


def texts(api_kt: str) -> dict[str, Any]:
    """StatusPages' answers, createinvoice's limit and refusals, the websocket's ping settings."""
    errors = {
        STATUS_NAMES[status]: text
        for status, text in re.findall(
            r'status\(HttpStatusCode\.(\w+)\)\s*\{[^"]*?respondText\(text = "([^"]+)"', api_kt
        )
    }
    create = _block(api_kt, _route(api_kt, "POST", "/createinvoice"))
    limit = int(re.search(r"maxDescriptionSize = (\d+)", create)[1])
    refusals = [
        t.replace("$maxDescriptionSize", str(limit)) for t in re.findall(r'badRequest\("([^"]+)"\)', create)
    ]
    ping = re.search(r"pingPeriodMillis = ([\d_]+)", api_kt)[1]
    timeout = re.search(r"timeoutMillis = ([\d_]+)", api_kt)[1]
    return {
        "errors": errors,
        "max_description": limit,
        "refusals": refusals,
        "ping_period_ms": int(ping.replace("_", "")),
        "timeout_ms": int(timeout.replace("_", "")),
    }


def bind(phoenixd_kt: str) -> str:
    ip = re.search(r'"--http-bind-ip"[^\n]*\.default\("([^"]+)"\)', phoenixd_kt)[1]
    port = re.search(r'"--http-bind-port"[^\n]*\.default\((\d+)\)', phoenixd_kt)[1]
    return f"{ip}:{port}"
