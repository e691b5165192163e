"""BTCPay Server's Greenfield OpenAPI (../shared/specs/btcpay, when it is there) in the form of
contracts/btcpay.toml, so test_contract_tables.py can hold the table against it.

The files are BTCPayServer/wwwroot/swagger/v1/swagger.template.{json,invoices.json,api-keys.json,health.json}
of btcpayserver/btcpayserver, copied as they are.
"""

from __future__ import annotations

import json
from typing import Any

from tests.doubles.upstream import SPECS

BTCPAY = SPECS / "btcpay"
FILES = (
    "swagger.template.json",
    "swagger.template.invoices.json",
    "swagger.template.api-keys.json",
    "swagger.template.health.json",
)
_SCALARS = {
    ("string", None): "string",
    ("string", "decimal"): "decimal",
    ("boolean", None): "bool",
    ("number", None): "number",
    ("number", "double"): "double",
    ("number", "int32"): "int32",
    ("integer", None): "int",
}


class _Spec:
    def __init__(self) -> None:
        self.files = [json.loads((BTCPAY / name).read_text(encoding="utf-8")) for name in FILES]
        self.schemas = {
            k: v for f in self.files for k, v in f.get("components", {}).get("schemas", {}).items()
        }
        self.objects: dict[str, dict[str, str]] = {}
        self.enums: dict[str, list[str]] = {}

    def type_of(self, schema: dict) -> str:
        nullable = "?" if schema.get("nullable") else ""
        if "$ref" in schema:
            return self.named(schema["$ref"].rsplit("/", 1)[-1]) + nullable
        parts = schema.get("allOf", [])
        if len(parts) == 1 and "$ref" in parts[0] and not schema.get("properties"):  # a described ref
            return self.named(parts[0]["$ref"].rsplit("/", 1)[-1]) + nullable
        kind = schema.get("type")
        if kind == "array":
            return f"[{self.type_of(schema['items'])}]" + nullable
        if kind == "object" or "anyOf" in schema:
            return "object" + nullable
        return _SCALARS[(kind, schema.get("format"))] + nullable

    def named(self, name: str) -> str:
        schema = self.schemas[name]
        if "enum" in schema:
            self.enums[name] = list(schema["enum"])
            return name
        items = schema.get("items", {})
        if schema.get("type") == "array" and len(items.get("allOf", [])) > 1:  # InvoiceDataList
            self.objects[f"{name}[]"] = self.fields(items)
            return f"[{name}[]]"
        alias = len(schema.get("allOf", [])) <= 1 and schema.get("type") != "object"
        if alias and "properties" not in schema and "anyOf" not in schema:
            return self.type_of(schema)  # an alias of a scalar: StoreId, UnixTimestamp, TimeSpanMinutes
        if name not in self.objects:
            self.objects[name] = {}
            self.objects[name] = self.fields(schema)
        return name

    def fields(self, schema: dict) -> dict[str, str]:
        """Every property, from allOf parts and anyOf alternatives; "*" when others are allowed."""
        fields: dict[str, str] = {}
        for part in schema.get("allOf", []):
            sub = self.schemas[part["$ref"].rsplit("/", 1)[-1]] if "$ref" in part else part
            fields |= self.fields(sub)
        for part in schema.get("anyOf", []):
            fields |= {k: self.type_of(v) for k, v in part.get("properties", {}).items()}
        fields |= {k: self.type_of(v) for k, v in schema.get("properties", {}).items()}
        if schema.get("additionalProperties") is True:
            fields["*"] = "any"
        return fields

    def operation(self, method: str, path: str) -> dict[str, Any]:
        for spec in self.files:
            operation = spec.get("paths", {}).get(path, {}).get(method.lower())
            if operation is None:
                continue
            row: dict[str, Any] = {"operation": operation["operationId"]}
            answer = operation["responses"]["200"].get("content", {}).get("application/json")
            if answer is not None:
                row["response"] = self.type_of(answer["schema"])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                row["body"] = self.type_of(body["schema"])
            row["statuses"] = sorted(operation["responses"])
            security = (operation.get("security") or [{}])[0]  # [] for the health check: no key
            row["permission"] = security.get("API_Key", [])
            return row
        raise AssertionError(f"{method} {path} is not in BTCPay's OpenAPI")


def btcpay_table(endpoints: list[dict]) -> dict[str, Any]:
    """What the OpenAPI says for these endpoints (method and path), and every type they reach."""
    spec = _Spec()
    rows = [spec.operation(e["method"], e["path"]) for e in endpoints]
    spec.named("ProblemDetails")
    spec.objects["ValidationProblemDetails[]"] = spec.fields(
        spec.schemas["ValidationProblemDetails"]["items"]
    )
    return {"endpoints": rows, "object": spec.objects, "enum": spec.enums}


def present() -> bool:
    return all((BTCPAY / name).is_file() for name in FILES)
