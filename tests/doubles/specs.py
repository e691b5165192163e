"""Validators built from the upstream spec files in shared/specs (beside the repo clone).

LND's swagger 2 definitions say nothing about presence, so they are made
strict the way lnd's gateway writes JSON (EmitUnpopulated): every property
required, no others, unset messages as null, int64 as decimal strings, bytes
as base64. CLN's schemas use their own type names (u64, msat, hash, ...),
which are mapped to JSON Schema before validating.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

SPECS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs"


def spec_file(relative: str) -> dict:
    path = SPECS / relative
    if not path.exists():
        pytest.fail(
            f"Spec file {path.resolve()} is missing: the doubles are checked against the upstream specs "
            "in shared/specs beside the repo clone. Put shared/ next to the repository.",
            pytrace=False,
        )
    return json.loads(path.read_text(encoding="utf-8"))


# LND ---------------------------------------------------------------------------------

_INT = re.compile(r"^-?\d+$")


def _is_int64(value: object) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and bool(_INT.match(value)))


def _is_base64(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


LND_FORMATS = jsonschema.FormatChecker(formats=())
for _name in ("int64", "uint64"):
    LND_FORMATS.checks(_name)(_is_int64)
LND_FORMATS.checks("byte")(_is_base64)


def _strict_lnd(definitions: dict) -> dict:
    strict = copy.deepcopy(definitions)

    def nullable_refs(schema: dict) -> None:
        for key, sub in list(schema.get("properties", {}).items()):
            ref = sub.get("$ref")
            if ref and definitions[ref.rsplit("/", 1)[-1]].get("type") == "object":
                schema["properties"][key] = {"anyOf": [{"$ref": ref}, {"type": "null"}]}

    for schema in strict.values():
        if schema.get("type") == "object" and "properties" in schema:
            schema["required"] = sorted(schema["properties"])
            schema["additionalProperties"] = False
            nullable_refs(schema)
    return strict


@functools.cache
def _lnd_specs() -> list[dict]:
    return [spec_file("lnd/lightning.swagger.json"), spec_file("lnd/invoices.swagger.json")]


def _path_regex(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/?]+", template) + "$")


def lnd_response_schema(method: str, path: str, status: int) -> dict:
    """The schema lnd's swagger gives for this call's answer (`default` = rpcStatus for errors)."""
    path = path.split("?", 1)[0]
    for spec in _lnd_specs():
        for template, operations in spec["paths"].items():
            operation = operations.get(method.lower())
            if operation and _path_regex(template).match(path):
                responses = operation["responses"]
                schema = responses.get(str(status), responses["default"])["schema"]
                return {**schema, "definitions": _strict_lnd(spec["definitions"])}
    raise AssertionError(f"{method} {path} is not an lnd REST endpoint")


def lnd_request_schema(method: str, path: str) -> dict:
    for spec in _lnd_specs():
        for template, operations in spec["paths"].items():
            operation = operations.get(method.lower())
            if operation and _path_regex(template).match(path):
                body = next(p for p in operation["parameters"] if p["in"] == "body")
                definitions = copy.deepcopy(spec["definitions"])
                for schema in definitions.values():  # a request may leave fields out, but not add any
                    if schema.get("type") == "object" and "properties" in schema:
                        schema["additionalProperties"] = False
                return {**body["schema"], "definitions": definitions}
    raise AssertionError(f"{method} {path} is not an lnd REST endpoint")


def validate_lnd(body: object, schema: dict) -> None:
    jsonschema.Draft4Validator(schema, format_checker=LND_FORMATS).validate(body)


# Core Lightning -----------------------------------------------------------------------

_HEX = r"^([0-9a-f]{2})*$"
CLN_TYPES: dict[str, dict] = {
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
    "hash": {"type": "string", "pattern": r"^[0-9a-f]{64}$"},
    "secret": {"type": "string", "pattern": r"^[0-9a-f]{64}$"},
    "txid": {"type": "string", "pattern": r"^[0-9a-f]{64}$"},
    "pubkey": {"type": "string", "pattern": r"^0[23][0-9a-f]{64}$"},
    "hex": {"type": "string", "pattern": _HEX},
    "short_channel_id": {"type": "string", "pattern": r"^\d+x\d+x\d+$"},
    "outpoint": {"type": "string", "pattern": r"^[0-9a-f]{64}:\d+$"},
}
STANDARD_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}

# clnrest's error body (`RpcError`); the schema files describe RPC results only.
CLN_ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "additionalProperties": False,
    "properties": {"code": {"type": ["integer", "null"]}, "message": {"type": "string"}, "data": {}},
}


def _standard(schema: Any) -> Any:
    """Replace CLN's type names with JSON Schema; an unknown name fails instead of passing."""
    if isinstance(schema, list):
        return [_standard(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    # "description" is prose here, unless it names a property (then its value is a schema).
    out = {
        k: _standard(v)
        for k, v in schema.items()
        if k != "$schema" and not (k == "description" and isinstance(v, str | list))
    }
    kind = schema.get("type")
    if isinstance(kind, str) and kind not in STANDARD_TYPES:
        out.pop("type")
        out = {**out, **CLN_TYPES[kind]}
    return out


def cln_schema(method: str, part: str) -> dict:
    """`part` is "request" or "response" of the RPC's schema file."""
    return _standard(spec_file(f"cln/{method}.json")[part])


def validate_cln(body: object, schema: dict) -> None:
    jsonschema.Draft7Validator(schema).validate(body)
