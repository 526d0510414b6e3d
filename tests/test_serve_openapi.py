"""doclint serve: schemathesis generates requests from /openapi.json and checks every answer against it."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install schemathesis)")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from doclint.serve import Service, create_app  # noqa: E402

APP = None


def _schema():
    global APP  # noqa: PLW0603
    if APP is None:
        APP = create_app(Service(pipeline="blank"))
    return schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.mark.parametrize("label", ["POST /v1/check", "POST /v1/stats", "GET /v1/rules", "GET /v1/rules/{rule_id}",
                                   "GET /healthz"])
def test_every_operation_answers_as_documented(label):
    operations = {op.ok().label: op.ok() for op in _schema().get_all_operations()}
    assert set(operations) == {"POST /v1/check", "POST /v1/stats", "GET /v1/rules", "GET /v1/rules/{rule_id}",
                               "GET /healthz"}
    operation = operations[label]

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate()

    run()
