"""JSON Schemas built from our contract tables (tests/doubles/contracts/*.toml), to check the doubles.

The tables are the upstream facts in a compact form (their headers say how to read them);
test_contract_tables.py holds them against the upstream specs when ../shared/specs is there.
LND's are strict the way lnd's gateway writes JSON: every field present, no others, unset messages
null. CLN's keep the schema files' required fields and their if/then rules.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema

CONTRACTS = Path(__file__).resolve().parent / "contracts"

_BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
_HEX = r"^([0-9a-f]{2})*$"
_HASH = {"type": "string", "pattern": r"^[0-9a-f]{64}$"}
SCALARS: dict[str, dict] = {
    # lnd (proto3 JSON)
    "string": {"type": "string"},
    "bool": {"type": "boolean"},
    "int32": {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    "uint32": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
    "int": {"type": "integer"},
    "int64": {"type": "string", "pattern": r"^-?\d+$"},
    "uint64": {"type": "string", "pattern": r"^\d+$"},
    "bytes": {"type": "string", "pattern": _BASE64},
    "double": {"type": "number"},
    "float": {"type": "number"},
    # Core Lightning
    "u64": {"type": "integer", "minimum": 0},
    "u32": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
    "u16": {"type": "integer", "minimum": 0, "maximum": 2**16 - 1},
    "msat": {"type": "integer", "minimum": 0},
    "msat_or_any": {
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": r"^(\d+(msat|sat)?|any)$"},
        ]
    },
    "hash": _HASH,
    "secret": _HASH,
    "txid": _HASH,
    "pubkey": {"type": "string", "pattern": r"^0[23][0-9a-f]{64}$"},
    "hex": {"type": "string", "pattern": _HEX},
    "short_channel_id": {"type": "string", "pattern": r"^\d+x\d+x\d+$"},
    "outpoint": {"type": "string", "pattern": r"^[0-9a-f]{64}:\d+$"},
    # phoenixd
    "sat": {"type": "integer", "minimum": 0},
    "hex32": _HASH,
    "long": {"type": "integer"},
    "uuid": {"type": "string", "pattern": r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},
    "bolt11": {"type": "string", "pattern": r"^ln[a-z0-9]+$"},
    "url": {"type": "string"},
    # LNURL-withdraw: a Bolt Card's p and c, in either case
    "card_p": {"type": "string", "pattern": r"^[0-9A-Fa-f]{32}$"},
    "card_c": {"type": "string", "pattern": r"^[0-9A-Fa-f]{16}$"},
    "boolean": {"type": "boolean"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "null": {"type": "null"},
    "any": {},
}


@functools.cache
def table(name: str) -> dict[str, Any]:
    """contracts/NAME.toml, parsed."""
    with (CONTRACTS / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def _type(text: str, named: Any) -> dict:
    """A table's type string as JSON Schema; `named(name)` gives the schema of a named type."""
    if "|" in text:
        return {"anyOf": [_type(part, named) for part in text.split("|")]}
    if text.startswith("[") and text.endswith("]"):
        return {"type": "array", "items": _type(text[1:-1], named)}
    if text.startswith("{") and text.endswith("}"):
        return {"type": "object", "additionalProperties": _type(text[1:-1], named)}
    if match := re.fullmatch(r"enum\((.*)\)", text):
        return {"type": "string", "enum": match[1].split(",")}
    if text in SCALARS:
        return SCALARS[text]
    return named(text)


# LND ---------------------------------------------------------------------------------


def _lnd_definitions(strict: bool) -> dict[str, dict]:
    """Messages and enums; `strict`: an answer (every field, unset messages null), else a request."""
    lnd = table("lnd")
    messages, enums = lnd["message"], lnd["enum"]

    def named(name: str) -> dict:
        ref = {"$ref": f"#/definitions/{name}"}
        return {"anyOf": [ref, {"type": "null"}]} if strict and name in messages else ref

    definitions: dict[str, dict] = {
        name: {"type": "string", "enum": values} for name, values in enums.items()
    }
    for name, fields in messages.items():
        properties = {key: _type(kind, named) for key, kind in fields.items() if key != "*"}
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        schema["additionalProperties"] = "*" in fields
        if strict:
            schema["required"] = sorted(properties)
        definitions[name] = schema
    return definitions


def _lnd_endpoint(method: str, path: str) -> dict:
    path = path.split("?", 1)[0]
    for row in table("lnd")["endpoint"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/?]+", row["path"]) + "$"
        if row["method"] == method.upper() and re.match(pattern, path):
            return row
    raise AssertionError(f"{method} {path} is not an lnd REST endpoint in contracts/lnd.toml")


def lnd_response_schema(method: str, path: str, status: int) -> dict:
    """The answer to this call with this HTTP status: its message (a stream's: one line of it), or
    the error body whose gRPC code maps to that status."""
    rest = table("lnd")["rest"]
    row = _lnd_endpoint(method, path)
    definitions = _lnd_definitions(strict=True)

    def ref(name: str) -> dict:
        return {"$ref": f"#/definitions/{name}"}

    if status == 200 and row.get("stream"):
        return {
            "type": "object",
            "properties": {"result": ref(row["response"]), "error": ref(rest["error"])},
            "additionalProperties": False,
            "oneOf": [{"required": ["result"]}, {"required": ["error"]}],
            "definitions": definitions,
        }
    if status == 200:
        return {**ref(row["response"]), "definitions": definitions}
    codes = [int(code) for code, http in rest["http_status"].items() if http == status and code != "0"]
    assert codes, f"no gRPC code maps to HTTP {status}"
    return {
        "allOf": [ref(rest["error"]), {"properties": {"code": {"enum": codes}}}],
        "definitions": definitions,
    }


def lnd_request_schema(method: str, path: str) -> dict:
    """The JSON body of this call: a message whose fields may be left out, but no others added."""
    row = _lnd_endpoint(method, path)
    return {"$ref": f"#/definitions/{row['body']}", "definitions": _lnd_definitions(strict=False)}


def validate_lnd(body: object, schema: dict) -> None:
    jsonschema.Draft7Validator(schema).validate(body)


# Core Lightning -----------------------------------------------------------------------


def _cln_object(row: dict) -> dict:
    fields, required = {}, []
    for key, kind in row["fields"].items():
        fields[key] = _cln_type(kind)
        if not kind.endswith("?"):
            required.append(key)
    schema: dict[str, Any] = {"type": "object", "required": required}
    rules = []
    for rule in row.get("when", []):
        condition = rule["if"]
        if isinstance(condition, str):
            holds: dict = {"required": [condition]}
        else:
            ((key, value),) = condition.items()
            holds = {"required": [key], "properties": {key: {"const": value}}}
        only_then = [{"required": [key]} for key in rule["fields"]]
        rules.append(
            {"if": holds, "then": {"required": rule["required"]}, "else": {"not": {"anyOf": only_then}}}
        )
        fields |= {key: _cln_type(kind) for key, kind in rule["fields"].items()}
    schema["properties"] = fields
    if row["closed"]:
        schema["additionalProperties"] = False
    if rules:
        schema["allOf"] = rules
    return schema


def _cln_type(text: str) -> dict:
    return _type(text.removesuffix("?"), lambda name: _cln_object(table("cln")["object"][name]))


CLN_ERROR = _cln_object(table("cln")["rest"]["error"])


def cln_schema(method: str, part: str) -> dict:
    """`part` is "request" or "response" of the RPC method."""
    assert method in table("cln")["rest"]["methods"], f"{method} is not in contracts/cln.toml"
    return _cln_object(table("cln")["object"][f"{method}.{part}"])


def validate_cln(body: object, schema: dict) -> None:
    jsonschema.Draft7Validator(schema).validate(body)


# phoenixd -----------------------------------------------------------------------------


def phoenixd_schema(name: str, typed: bool = False) -> dict:
    """A JSON answer of type `name` (contracts/phoenixd.toml): its fields and no others; null never
    (absent instead); `typed`: it carries its discriminator as "type"."""
    contract = table("phoenixd")

    def object_of(type_name: str, with_type: bool) -> dict:
        row = contract["type"][type_name]
        fields = {
            key: _type(kind.removesuffix("?"), lambda n: object_of(n, False)) for key, kind in row.items()
        }
        required = [key for key, kind in row.items() if not kind.endswith("?")]
        if with_type:
            fields["type"] = {"const": contract["discriminator"][type_name]}
            required.append("type")
        return {"type": "object", "properties": fields, "required": required, "additionalProperties": False}

    return {"anyOf": [object_of(part, typed) for part in name.split("|")]}


def phoenixd_endpoint(method: str, path: str) -> dict:
    path = path.split("?", 1)[0]
    for row in table("phoenixd")["endpoint"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/?]+", row["path"]) + "$"
        if row["method"] == method and re.match(pattern, path):
            return row
    raise AssertionError(f"{method} {path} is not a phoenixd endpoint in contracts/phoenixd.toml")


# LNURL-withdraw (a Bolt Card's service) -------------------------------------------------


def lnurlw_schema(name: str) -> dict:
    """An answer of contracts/lnurlw.toml (withdraw_request, ok, error), or "scan"/"callback"'s query."""
    contract = table("lnurlw")
    if name in ("scan", "callback"):
        return _cln_object({"fields": contract[name]["query"], "closed": True})
    return _cln_object(contract["object"][name])
