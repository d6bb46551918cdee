"""Schemathesis against the OpenAPI schema of the API served over HTTP on real Redis and Kafka: no 5xx,
responses match the schema. The SSE stream (endless by design) is left out."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from streams.api.app import build_api
from streams.kafka_io import ensure_topics
from streams.settings import Settings
from tests.http_helpers import ApiServer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api_url(servers: Settings) -> Iterator[str]:
    tag = uuid.uuid4().hex[:8]
    s = servers.model_copy(update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"})
    ensure_topics(s)
    # no webhook dispatcher: generated subscriptions must never be called
    with ApiServer(build_api(s, dispatch=False)) as server:
        yield server.url


@pytest.fixture(scope="module")
def api_schema(api_url: str) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_url(f"{api_url}/openapi.json").exclude(path="/alerts/stream")


def test_api_conforms_to_its_schema(api_schema: schemathesis.schemas.BaseSchema) -> None:
    tested = []
    for result in api_schema.get_all_operations():
        assert isinstance(result, Ok), result  # the schema of every operation loads
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: schemathesis.Case) -> None:
            # positive_data_acceptance left out: JSON Schema cannot say everything the API rejects with a
            # clear 422 (lone surrogates, impossible dates); every other check runs
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
        tested.append(operation.label)
    print(f"schemathesis: {len(tested)} operations, no 5xx, responses match the schema: {tested}")
    assert "POST /articles" in tested and "GET /events/{event_id}/history" in tested
