"""Our contract tables (contracts/*.toml) say what the upstream specs say, row by row.

The specs are not part of the repository: they are read from ../shared/specs beside the clone,
when it is there. A bare clone skips these tests and says why; the doubles are still checked
against the committed tables (test_spec_conformance.py).
"""

from __future__ import annotations

import pytest

from tests.doubles import upstream, upstream_btcpay, upstream_phoenixd
from tests.doubles.specs import table

pytestmark = pytest.mark.skipif(
    not upstream.SPECS.is_dir(),
    reason=f"no upstream specs at {upstream.SPECS} (not part of the repository) to compare the tables with",
)

DERIVED_KEYS = ("response", "body", "stream", "path_params", "query")


@pytest.fixture(scope="module")
def lnd_from_specs() -> dict:
    return upstream.lnd_table(table("lnd")["endpoint"])


@pytest.fixture(scope="module")
def cln_from_specs() -> dict:
    return upstream.cln_table(table("cln")["rest"]["methods"])


def test_every_lnd_endpoint_row_matches_the_swagger(lnd_from_specs):
    for row, spec in zip(table("lnd")["endpoint"], lnd_from_specs["endpoints"], strict=True):
        ours = {key: row[key] for key in DERIVED_KEYS if key in row}
        assert ours == spec, f"{row['method']} {row['path']}"


def test_lnd_messages_and_enums_are_the_swaggers_and_all_it_reaches(lnd_from_specs):
    ours = table("lnd")
    assert sorted(ours["message"]) == sorted(lnd_from_specs["message"])
    for name, fields in lnd_from_specs["message"].items():
        assert ours["message"][name] == fields, name
    assert ours["enum"] == lnd_from_specs["enum"]


def test_lnd_errors_are_the_swaggers_default_answer(lnd_from_specs):
    assert table("lnd")["rest"]["error"] in lnd_from_specs["message"]


def test_every_cln_object_matches_its_schema_file(cln_from_specs):
    ours = table("cln")["object"]
    assert sorted(ours) == sorted(cln_from_specs)
    for name, spec in cln_from_specs.items():
        assert ours[name] == spec, name


# phoenixd: no schema upstream, its Kotlin source is the spec (see upstream_phoenixd).

PHOENIXD = table("phoenixd")
PHOENIXD_FILES = {
    key: upstream_phoenixd.read(PHOENIXD["source"]["commit"], path)
    for key, path in {
        "api": PHOENIXD["source"]["api"],
        "json": PHOENIXD["source"]["json"],
        "main": upstream_phoenixd.PHOENIXD_KT,
    }.items()
}
needs_phoenixd = pytest.mark.skipif(
    None in PHOENIXD_FILES.values(),
    reason=f"no fetched copy of ACINQ/phoenixd at {upstream_phoenixd.SOURCE} (set KIOSK_PHOENIXD_SOURCE)",
)


@needs_phoenixd
def test_every_phoenixd_type_is_its_kotlin_data_class():
    fields, discriminators = upstream_phoenixd.types(PHOENIXD_FILES["json"], list(PHOENIXD["type"]))
    for name, row in PHOENIXD["type"].items():
        # bolt11 is the table's name for the String that holds an invoice
        ours = {key: kind.replace("bolt11", "string") for key, kind in row.items()}
        assert ours == fields[name], name
    assert PHOENIXD["discriminator"] == discriminators


@needs_phoenixd
def test_every_phoenixd_endpoint_row_is_its_route_in_api_kt():
    names = list(PHOENIXD["type"])
    for row in PHOENIXD["endpoint"]:
        derived = upstream_phoenixd.endpoint(PHOENIXD_FILES["api"], PHOENIXD_FILES["main"], row, names)
        ours = {key: row[key] for key in ("access", "form", "path_params", "response", "typed") if key in row}
        assert ours == derived, f"{row['method']} {row['path']}"


@needs_phoenixd
def test_phoenixd_error_texts_limits_and_defaults_are_api_kts():
    said = upstream_phoenixd.texts(PHOENIXD_FILES["api"])
    assert PHOENIXD["http"]["errors"] == said["errors"]
    create = PHOENIXD["createinvoice"]
    assert create["max_description"] == said["max_description"]
    assert [create["description_too_long"], create["description_missing"]] == said["refusals"]
    websocket = PHOENIXD["websocket"]
    assert (websocket["ping_period_ms"], websocket["timeout_ms"]) == (
        said["ping_period_ms"],
        said["timeout_ms"],
    )
    assert PHOENIXD["http"]["bind"] == upstream_phoenixd.bind(PHOENIXD_FILES["main"])


def test_the_nwc_table_is_what_nip_47_says():
    ours = table("nwc")
    spec = upstream.nwc_table(list(ours["method"]), list(ours["notification"]))
    for part in ("kinds", "errors", "encryption", "uri", "method", "notification"):
        assert ours[part] == spec[part], part


def test_every_nwc_fact_quotes_nip_47():
    text = upstream.nwc_spec_text()
    for fact in table("nwc")["fact"]:
        assert fact["quote"] in text, fact["says"]


@pytest.fixture(scope="module")
def btcpay_from_specs() -> dict:
    if not upstream_btcpay.present():
        pytest.skip(f"no BTCPay OpenAPI at {upstream_btcpay.BTCPAY} (not part of the repository)")
    return upstream_btcpay.btcpay_table(table("btcpay")["endpoint"])


def test_every_btcpay_endpoint_row_matches_the_openapi(btcpay_from_specs):
    keys = ("operation", "body", "response", "statuses", "permission")
    for row, spec in zip(table("btcpay")["endpoint"], btcpay_from_specs["endpoints"], strict=True):
        assert {key: row[key] for key in keys if key in row} == spec, f"{row['method']} {row['path']}"


def test_btcpay_objects_and_enums_are_the_openapis_and_all_it_reaches(btcpay_from_specs):
    ours = table("btcpay")
    assert ours["object"] == btcpay_from_specs["object"]
    assert ours["enum"] == btcpay_from_specs["enum"]
