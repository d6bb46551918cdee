"""Settings: environment names, child-process environment, secrets kept out of messages."""

from pathlib import Path

import pytest
from pydantic import AliasChoices

from streams.settings import Settings, redact_url


def test_env_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP", "k:9092")
    monkeypatch.setenv("REDIS_URL", "redis://r:6379/0")
    monkeypatch.setenv("CONTRAFLOW_PARTITIONS", "8")
    s = Settings()
    assert (s.kafka_bootstrap, s.redis_url, s.partitions) == ("k:9092", "redis://r:6379/0", 8)


def test_child_environment_round_trips() -> None:
    s = Settings(kafka_bootstrap="k:1", redis_url="redis://r/0", topic_prefix="t.", app_id="x")
    env = s.as_env()
    assert env["KAFKA_BOOTSTRAP"] == "k:1" and env["REDIS_URL"] == "redis://r/0"
    assert env["CONTRAFLOW_TOPIC_PREFIX"] == "t." and env["CONTRAFLOW_APP_ID"] == "x"


def test_redis_password_is_redacted() -> None:
    assert redact_url("redis://:s3cret@host:6379/0") == "redis://:***@host:6379/0"
    assert redact_url("rediss://user:s3cret@host/1") == "rediss://user:***@host/1"
    assert redact_url("redis://host:6379/0") == "redis://host:6379/0"
    s = Settings(redis_url="redis://u:pw@h:1/0")
    assert "pw" not in s.redis_url_redacted
    assert "pw" not in repr(Settings(kafka_sasl_password="pw"))


def test_every_variable_is_documented() -> None:
    """Each setting's variable is listed in the settings module and in docs/operations.md (one place each)."""
    import streams.settings as module

    table = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        key = alias.choices[0] if isinstance(alias, AliasChoices) else f"CONTRAFLOW_{name.upper()}"
        assert f"``{key}``" in (module.__doc__ or ""), f"{key} is not in streams/settings.py's docstring"
        assert f"`{key}`" in table, f"{key} is not in docs/operations.md's settings table"


def test_a_run_on_its_own_broker_takes_one_partition_per_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from streams.cli import run_settings

    for name in ("KAFKA_BOOTSTRAP", "CONTRAFLOW_PARTITIONS"):
        monkeypatch.delenv(name, raising=False)
    assert run_settings(Settings(), 1).partitions == 1  # one worker reads the files in their order
    assert run_settings(Settings(), 3).partitions == 3
    assert run_settings(Settings(kafka_bootstrap="k:1"), 1).partitions == 4  # a configured broker's topics
    monkeypatch.setenv("CONTRAFLOW_PARTITIONS", "8")
    assert run_settings(Settings(), 1).partitions == 8  # what the user set


def test_the_worker_leaves_no_data_directory_where_it_is_started() -> None:
    """faust makes "<app id>-data/v1/tables" even for in-memory tables; it goes to the temporary directory."""
    import tempfile

    from streams.app import create_app

    app, _ = create_app(Settings(kafka_bootstrap="127.0.0.1:1", app_id="cf-test"))
    assert app.conf.datadir.parent == Path(tempfile.gettempdir())
    assert not app.conf.datadir.is_relative_to(Path.cwd()) or Path.cwd() == Path(tempfile.gettempdir())
