"""Issue 37 point 9: docker-compose.yml runs what the tests prove and nothing open (parsed with PyYAML)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.api.exposure import is_loopback
from streams.kafka_jvm import kafka_version
from tests.conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    doc = yaml.safe_load(COMPOSE.read_text())
    return dict(doc["services"])


def env_of(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the "KEY=value" form
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def test_compose_runs_the_kafka_version_the_kafka_tier_proves(services: dict[str, Any]) -> None:
    image = services["kafka"]["image"]
    assert image == f"apache/kafka:{kafka_version()}", image


def test_compose_redis_requires_a_password_from_the_env_file(services: dict[str, Any]) -> None:
    redis = services["redis"]
    command = redis["command"]
    assert command[0] == "redis-server", "the image's entrypoint drops root only for redis-server itself"
    # required: compose stops with a message when .env leaves it empty, rather than running Redis open
    assert command[command.index("--requirepass") + 1].startswith("${REDIS_PASSWORD:?"), command
    assert command[command.index("--appendonly") + 1] == "yes", "AOF stays on"
    assert env_of(redis)["REDISCLI_AUTH"] == "${REDIS_PASSWORD}", "the healthcheck's redis-cli authenticates"
    for name in ("worker", "api"):
        url = env_of(services[name])["REDIS_URL"]
        assert re.fullmatch(r"redis://:\$\{REDIS_PASSWORD\}@redis:6379/\d+", url), (name, url)


def test_compose_api_has_a_write_token_from_the_env_file(services: dict[str, Any]) -> None:
    api = services["api"]
    command = api["command"]
    host = command[command.index("--host") + 1]
    assert not is_loopback(host), "it must listen beyond its container's loopback to be reached"
    env = env_of(api)
    assert env["CONTRAFLOW_API_TOKEN"].startswith("${CONTRAFLOW_API_TOKEN:?"), env
    assert env.get("CONTRAFLOW_API_OPEN", "false").lower() in ("false", "0", ""), "never opted out in compose"
    for service in services.values():  # no secret written into the file itself
        for key, value in env_of(service).items():
            if any(word in key for word in ("PASSWORD", "TOKEN", "AUTH")):
                assert value.startswith("${"), (key, value)


def test_env_example_names_every_variable_the_compose_file_requires() -> None:
    required = set(re.findall(r"\$\{([A-Z_]+):\?", COMPOSE.read_text()))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, flags=re.M))
    assert required == {"REDIS_PASSWORD", "CONTRAFLOW_API_TOKEN"}
    assert required <= listed, (required, listed)
    assert ".env" in (ROOT / ".gitignore").read_text().split(), "the filled-in .env stays out of git"
    assert "docker-compose" in Path(ROOT / "docs" / "operations.md").read_text()
    assert ".env.example" in (ROOT / "docs" / "operations.md").read_text(), "documented"
