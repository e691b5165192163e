"""Our contract tables (contracts/*.toml) say what the upstream specs say, row by row.

The specs are not part of the repository: they are read from ../shared/specs beside the clone,
when it is there. A bare clone skips these tests and says why; the doubles are still checked
against the committed tables (test_spec_conformance.py).
"""

from __future__ import annotations

import pytest

from tests.doubles import upstream
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
