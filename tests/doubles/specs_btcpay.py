"""JSON Schemas from contracts/btcpay.toml, to check what the BTCPay double and the adapter send.

Objects are closed unless their row has "*"; a "?" type may be null or left out. Decimals are
JSON strings holding a decimal number, as BTCPay's NumericStringJsonConverter writes them.
"""

from __future__ import annotations

import re

import jsonschema

from tests.doubles.specs import table

_SCALARS: dict[str, dict] = {
    "string": {"type": "string"},
    "decimal": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
    "int32": {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    "bool": {"type": "boolean"},
    "double": {"type": "number"},
    "number": {"type": "number"},
    "object": {"type": "object"},
    "any": {},
}


def schema(type_text: str) -> dict:
    """The JSON Schema of a table type such as "InvoiceData" or "[InvoicePaymentMethodDataModel]"."""
    btcpay = table("btcpay")
    nullable = type_text.endswith("?")
    text = type_text.removesuffix("?")
    if match := re.fullmatch(r"\[(.*)\]", text):
        result: dict = {"type": "array", "items": schema(match[1])}
    elif text in _SCALARS:
        result = _SCALARS[text]
    elif text in btcpay["enum"]:
        result = {"type": "string", "enum": btcpay["enum"][text]}
    else:
        fields = btcpay["object"][text]
        result = {
            "type": "object",
            "properties": {key: schema(kind) for key, kind in fields.items() if key != "*"},
            "additionalProperties": "*" in fields,
        }
    return {"anyOf": [result, {"type": "null"}]} if nullable else result


def endpoint(method: str, path: str) -> dict:
    """The table's row for a call, by the OpenAPI path or the store path the kiosk uses."""
    path = path.split("?", 1)[0]
    for row in table("btcpay")["endpoint"]:
        for template in (row["path"], row.get("kiosk_path", row["path"])):
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/?]+", template) + "$"
            if row["method"] == method and re.match(pattern, path):
                return row
    raise AssertionError(f"{method} {path} is not a BTCPay call in contracts/btcpay.toml")


ERROR = {"anyOf": [schema("ProblemDetails"), schema("[ValidationProblemDetails[]]")]}


def validate(body: object, type_schema: dict) -> None:
    jsonschema.Draft7Validator(type_schema).validate(body)
