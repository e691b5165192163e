"""The upstream specs (../shared/specs, when it is there) read into the compact form of contracts/.

test_contract_tables.py compares the committed tables with what this derives, so a table row that
drifts from lnd's swagger or CLN's JSON schemas fails there. The bare repository does not need it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"
LND_FILES = ("lnd/lightning.swagger.json", "lnd/invoices.swagger.json")
_SWAGGER_SCALARS = {
    ("string", None): "string",
    ("string", "byte"): "bytes",
    ("string", "int64"): "int64",
    ("string", "uint64"): "uint64",
    ("integer", "int32"): "int32",
    ("integer", "uint32"): "uint32",
    # What lnd's swagger calls integer/int64 (counts, heights, delays) are JSON numbers; its
    # 64-bit fields proper are string/int64.
    ("integer", "int64"): "int",
    ("number", "double"): "double",
    ("number", "float"): "float",
    ("boolean", None): "bool",
}


def _load(relative: str) -> dict:
    return json.loads((SPECS / relative).read_text(encoding="utf-8"))


# LND ---------------------------------------------------------------------------------


class _Lnd:
    def __init__(self) -> None:
        self.specs = [_load(name) for name in LND_FILES]
        self.definitions = {k: v for spec in self.specs for k, v in spec["definitions"].items()}
        self.messages: dict[str, dict[str, str]] = {}
        self.enums: dict[str, list[str]] = {}

    def type_of(self, schema: dict) -> str:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            self.visit(name)
            return name
        kind = schema.get("type")
        if kind == "array":
            return f"[{self.type_of(schema['items'])}]"
        if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            return f"{{{self.type_of(schema['additionalProperties'])}}}"
        return _SWAGGER_SCALARS[(kind, schema.get("format"))]

    def visit(self, name: str) -> None:
        if name in self.messages or name in self.enums:
            return
        definition = self.definitions[name]
        if "enum" in definition:
            self.enums[name] = list(definition["enum"])
            return
        self.messages[name] = {}
        fields = {key: self.type_of(sub) for key, sub in definition.get("properties", {}).items()}
        if "additionalProperties" in definition:
            fields["*"] = "any"
        self.messages[name] = fields

    def endpoint(self, method: str, path: str) -> dict[str, Any]:
        for spec in self.specs:
            operation = spec["paths"].get(path, {}).get(method.lower())
            if operation is None:
                continue
            schema = operation["responses"]["200"]["schema"]
            row: dict[str, Any] = {}
            if "$ref" in schema:
                row["response"] = self.type_of(schema)
            else:  # a stream: {"result": T} or {"error": rpcStatus} per line
                row["response"] = self.type_of(schema["properties"]["result"])
                row["stream"] = True
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "body":
                    row["body"] = self.type_of(parameter["schema"])
                else:  # in the path or the query
                    where = "path_params" if parameter["in"] == "path" else "query"
                    row.setdefault(where, {})[parameter["name"]] = self.type_of(parameter)
            self.type_of(operation["responses"]["default"]["schema"])
            return row
        raise AssertionError(f"{method} {path} is not in lnd's swagger")


def lnd_table(endpoints: list[dict]) -> dict[str, Any]:
    """What the swagger says for these endpoints (method and path), and every type they reach."""
    lnd = _Lnd()
    rows = [lnd.endpoint(e["method"], e["path"]) for e in endpoints]
    return {"endpoints": rows, "message": lnd.messages, "enum": lnd.enums}


# Core Lightning -----------------------------------------------------------------------


def _cln_type(schema: dict, name: str, objects: dict[str, dict]) -> str:
    if "oneOf" in schema:
        return "|".join(_cln_type(s, name, objects) for s in schema["oneOf"])
    kind = schema.get("type")
    if "enum" in schema and kind in ("string", None):
        return "enum(" + ",".join(schema["enum"]) + ")"
    if kind == "array":
        return f"[{_cln_type(schema['items'], name + '[]', objects)}]"
    if kind == "object":
        _cln_object(schema, name, objects)
        return name
    if kind is None:
        return "any"
    return kind if isinstance(kind, str) else "|".join(kind)


def _condition(rule: dict) -> str | dict:
    if rule.get("required"):
        (present,) = rule["required"]
        return present
    ((key, sub),) = rule["properties"].items()
    (value,) = sub["enum"]
    return {key: value}


def _cln_object(schema: dict, name: str, objects: dict[str, dict]) -> None:
    required = set(schema.get("required", []))
    fields = {
        key: _cln_type(sub, f"{name}.{key}", objects) + ("" if key in required else "?")
        for key, sub in schema.get("properties", {}).items()
    }
    # Closed: no other keys, said at the top or in both branches of an if (listinvoices' paid/unpaid).
    closed = schema.get("additionalProperties") is False or any(
        part.get("then", {}).get("additionalProperties") is False
        and part.get("else", {}).get("additionalProperties") is False
        for part in schema.get("allOf", [])
    )
    row: dict[str, Any] = {"closed": closed, "fields": fields}
    objects[name] = row
    rules = []
    for part in schema.get("allOf", []):
        then = part.get("then", {})
        extra = {k: v for k, v in then.get("properties", {}).items() if v and k not in fields}
        needed = set(then.get("required") or []) - required
        if not extra and not needed:
            continue
        typed = {
            k: _cln_type(v, f"{name}.{k}", objects) + ("" if k in needed else "?") for k, v in extra.items()
        }
        rules.append({"if": _condition(part["if"]), "required": sorted(needed), "fields": typed})
    if rules:
        row["when"] = rules


def cln_table(methods: list[str]) -> dict[str, dict]:
    """The request and response objects of these RPC methods, as their schema files give them."""
    objects: dict[str, dict] = {}
    for method in methods:
        spec = _load(f"cln/{method}.json")
        for part in ("request", "response"):
            _cln_object(spec[part], f"{method}.{part}", objects)
    return objects


# Nostr Wallet Connect (NIP-47) -------------------------------------------------------

NWC_FILE = "nostr/nip-47.md"
_NWC_FIELD = re.compile(r'^\s*"(\w+)":\s*(.*?)\s*(?://\s*(.*))?$')


def _nwc_type(value: str) -> str:
    if value.startswith('"'):
        return "string"
    if value.startswith("{"):
        return "object"
    if value.startswith("["):
        return "list"
    return "timestamp" if value.startswith("unixtimestamp") else "integer"


def _nwc_fields(block: str, key: str) -> dict[str, str]:
    """The fields one level inside `"key": {` of a yaml example, typed from the example values."""
    fields: dict[str, str] = {}
    depth = None
    for line in block.splitlines():
        code = line.split("//")[0]
        if depth is None:
            if re.match(rf'^\s*"{key}":\s*{{', code):
                depth = 0
            continue
        match = _NWC_FIELD.match(line)
        if depth == 0 and match and not code.strip().startswith("}"):
            name, value, comment = match.groups()
            fields[name] = _nwc_type(value) + ("?" if comment and "optional" in comment else "")
        depth += code.count("{") + code.count("[") - code.count("}") - code.count("]")
        if depth < 0:
            break
    return fields


def _nwc_section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = re.search(r"^#{2,3} ", text[start + len(heading) :], re.M)
    return text[start : start + len(heading) + end.start()] if end else text[start:]


def nwc_spec_text() -> str:
    return (SPECS / NWC_FILE).read_text(encoding="utf-8")


def nwc_table(methods: list[str], notifications: list[str]) -> dict[str, Any]:
    """What NIP-47 says of its kinds, codes, URI and of these methods and notifications."""
    text = nwc_spec_text()
    kinds = {}
    for name, kind, legacy in re.findall(r"- `NIP-47 ([a-z ]+?)(?: event)?`: (\d+)(?: \((\d+) for)?", text):
        kinds[name] = int(kind)
        if legacy:
            kinds[f"{name} nip04"] = int(legacy)
    codes = re.findall(r"^- `([A-Z_]+)`:", _nwc_section(text, "### Error codes"), re.M)
    uri = _nwc_section(text, "## Nostr Wallet Connect URI")
    params = dict(re.findall(r"^- `(\w+)` (Required|Recommended)", uri, re.M))
    table: dict[str, Any] = {
        "kinds": kinds,
        "errors": {"codes": codes},
        "encryption": {"codes": re.findall(r"^\| `(\w+)` +\|", text, re.M)},
        "uri": {"params": {k: v.lower() for k, v in params.items()}},
        "method": {},
        "notification": {},
    }
    for method in methods:
        section = _nwc_section(text, f"### `{method}`")
        blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
        row = {"params": _nwc_fields(blocks[0], "params"), "result": _nwc_fields(blocks[1], "result")}
        errors = re.findall(r"^- `([A-Z_]+)`:", section, re.M)
        if errors:
            row["errors"] = errors
        table["method"][method] = row
    for name in notifications:
        (block,) = re.findall(r"```yaml\n(.*?)```", _nwc_section(text, f"### `{name}`"), re.S)
        table["notification"][name] = _nwc_fields(block, "notification")
    return table
