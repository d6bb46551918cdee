"""contraflow's settings: one frozen object, read once at the entry point.

Every environment variable the product reads is listed here (and in docs/operations.md):

==========================  ============================================================
``KAFKA_BOOTSTRAP``         ``host:port[,host:port]`` of a Kafka cluster; unset: embedded
``REDIS_URL``               ``redis://`` / ``rediss://`` / ``unix://`` URL; unset: embedded Redis
``CONTRAFLOW_APP_ID``       Kafka consumer group and faust app id (default ``contraflow``)
``CONTRAFLOW_PARTITIONS``   partitions of ``articles`` and ``assignments`` (default 4)
``CONTRAFLOW_BATCH_SIZE``   articles per ``nlp.pipe`` batch (default 16)
``CONTRAFLOW_BATCH_WINDOW`` seconds to wait to fill a batch (default 0.01)
``CONTRAFLOW_NLP_PROCESSES`` spaCy processes per worker (default 1; 0: a thread of the worker process)
``CONTRAFLOW_FETCH_WAIT``   seconds a fetch may wait on the broker for data, worker keeping up (default by broker:
                            0.01 on Tansu, 0.5 on Apache Kafka)
``CONTRAFLOW_FETCH_WAIT_BUSY`` the same while articles wait for the NLP process (default 0.1 on Tansu, 0.5 on Kafka)
``CONTRAFLOW_EVENT_LOOP``   the worker's asyncio loop: ``uvloop`` (default) or ``asyncio``
``CONTRAFLOW_REDIS_PREFIX`` key prefix in Redis (default ``cf:``)
``CONTRAFLOW_ARCHIVE_AFTER_DAYS`` days without a new article before an event is archived (default 7)
``CONTRAFLOW_ARCHIVE_RETENTION_DAYS`` days an archived event stays readable after its last article (default 30; 0: ever)
``CONTRAFLOW_STALL_SECONDS`` seconds before a stalled partition is sought back (default 30)
``CONTRAFLOW_WEB_PORT``     faust's web port for this worker (default 0: web off)
``CONTRAFLOW_SESSION_TIMEOUT`` / ``CONTRAFLOW_HEARTBEAT`` consumer group timings (s)
``CONTRAFLOW_KAFKA_SECURITY_PROTOCOL``  PLAINTEXT (default), SSL, SASL_PLAINTEXT, SASL_SSL
``CONTRAFLOW_KAFKA_SASL_MECHANISM`` / ``CONTRAFLOW_KAFKA_SASL_USERNAME`` / ``CONTRAFLOW_KAFKA_SASL_PASSWORD``
                            SASL credentials
``CONTRAFLOW_KAFKA_SSL_CAFILE``  CA bundle for SSL
``CONTRAFLOW_LOG_LEVEL``    worker log level (default ``info``)
``CONTRAFLOW_TOPIC_PREFIX`` prefix of every topic name (default none)
``CONTRAFLOW_API_TOKEN``    bearer token every API write needs (default none: open)
``CONTRAFLOW_API_READ_TOKEN`` bearer token every API read but /healthz needs (default none)
``CONTRAFLOW_API_OPEN``     let the API listen on a non-loopback address without a write token (default false)
``CONTRAFLOW_CORS_ORIGINS`` comma-separated origins allowed by CORS (default none: CORS off)
``CONTRAFLOW_ALERT_POLL``   seconds between the API's looks at the alert log (default 0.05)
``CONTRAFLOW_WEBHOOK_ATTEMPTS`` attempts per webhook delivery before it is given up (default 6)
``CONTRAFLOW_WEBHOOK_BACKOFF`` first retry delay in seconds, doubled each time up to 30 (default 0.5)
``CONTRAFLOW_WEBHOOK_TIMEOUT`` seconds a webhook receiver has to answer (default 5)
``CONTRAFLOW_FEED_INTERVAL`` seconds between two polls of the feeds (default 300)
``CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE`` let webhooks target loopback, link-local and private addresses (default false)
``CONTRAFLOW_SESSION_TTL``  seconds a dashboard session cookie stays valid (default 28800)
``CONTRAFLOW_MAX_TOKENS``   tokens in an article's body over which it is dead-lettered unparsed (default 60000)
``CONTRAFLOW_MAX_WORD_CHARS`` longer words are not parsed (default 100)
``CONTRAFLOW_MAX_SENTENCE_CHARS`` longer sentences are not parsed (default 3000)
``CONTRAFLOW_MAX_PARSE_CHARS`` characters of an article parsed at most (default 50000)
``CONTRAFLOW_NLP_BATCH_CHARS`` characters of text sent to an NLP process per batch at most (default 250000)
``CONTRAFLOW_NLP_MEMORY_MB`` resident memory past which an NLP process is replaced (default 1024)
``CONTRAFLOW_BROKER_KIND``  ``kafka``, ``tansu`` or ``auto`` (default: asked of the broker as the worker starts)
==========================  ============================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def redact_url(url: str) -> str:
    """``url`` with the password of its user-info part (``user:password@``) replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True)
class Topics:
    """Topic names: CONTRACT.md fixes ``articles``, ``articles.dlq`` and ``alerts`` (after the prefix)."""

    prefix: str = ""

    @property
    def articles(self) -> str:
        return self.prefix + "articles"

    @property
    def dlq(self) -> str:
        return self.prefix + "articles.dlq"

    @property
    def claims(self) -> str:
        return self.prefix + "claims"

    @property
    def assignments(self) -> str:
        return self.prefix + "assignments"

    @property
    def alerts(self) -> str:
        return self.prefix + "alerts"


class Settings(BaseSettings):
    """Everything configurable, from the environment (see the module docstring)."""

    model_config = SettingsConfigDict(frozen=True, env_prefix="CONTRAFLOW_", extra="ignore")

    kafka_bootstrap: str | None = Field(
        default=None, validation_alias=AliasChoices("KAFKA_BOOTSTRAP", "CONTRAFLOW_KAFKA_BOOTSTRAP")
    )
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL", "CONTRAFLOW_REDIS_URL"))
    app_id: str = "contraflow"
    partitions: int = Field(default=4, ge=1, le=256)
    batch_size: int = Field(default=16, ge=1, le=1024)
    batch_window: float = Field(default=0.01, ge=0.0, le=10.0)
    nlp_processes: int = Field(default=1, ge=0, le=64)
    fetch_wait: float | None = Field(default=None, gt=0.0, le=10.0)  # None: by broker kind (fetch_waits)
    fetch_wait_busy: float | None = Field(default=None, gt=0.0, le=10.0)
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"
    redis_prefix: str = "cf:"
    archive_after_days: float = Field(default=7.0, gt=0.0)
    archive_retention_days: float = Field(default=30.0, ge=0.0)
    web_port: int = Field(default=0, ge=0, le=65535)
    session_timeout: float = 6.0
    stall_seconds: float = Field(default=30.0, gt=0.0)
    heartbeat: float = 2.0
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str = "PLAIN"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None
    log_level: str = "info"
    topic_prefix: str = ""
    alert_poll: float = Field(default=0.05, gt=0.0, le=10.0)
    webhook_attempts: int = Field(default=6, ge=1, le=100)
    webhook_backoff: float = Field(default=0.5, ge=0.0, le=60.0)
    webhook_timeout: float = Field(default=5.0, gt=0.0, le=120.0)
    feed_interval: float = Field(default=300.0, gt=0.0)
    api_token: SecretStr | None = None
    api_read_token: SecretStr | None = None
    # an API on a public address without CONTRAFLOW_API_TOKEN is refused unless this says it is meant
    api_open: bool = False
    cors_origins: str = ""
    # web security
    webhook_allow_private: bool = False
    session_ttl: float = Field(default=8 * 3600.0, gt=0.0, le=30 * 86400.0)
    # per-article budgets (agents.core.budget, docs/limits.md)
    max_tokens: int = Field(default=60_000, ge=100)
    max_word_chars: int = Field(default=100, ge=10)
    max_sentence_chars: int = Field(default=3_000, ge=100)
    max_parse_chars: int = Field(default=50_000, ge=1_000)
    nlp_batch_chars: int = Field(default=250_000, ge=1_000)
    nlp_memory_mb: int = Field(default=1_024, ge=128)
    # kafka
    broker_kind: Literal["auto", "kafka", "tansu"] = "auto"
    """What the broker is: Apache Kafka answers a waiting fetch as soon as data arrives and gives
    aiokafka an idempotent producer; the embedded Tansu holds a fetch for much of its wait and has no
    idempotent producer for aiokafka. ``auto``: :func:`streams.kafka_io.resolve_broker` asks."""

    def fetch_waits(self) -> tuple[float, float]:
        """The consumer fetch waits (keeping up, busy): as set, else long on Kafka and short elsewhere."""
        light, busy = (0.5, 0.5) if self.broker_kind == "kafka" else (0.01, 0.1)
        return (self.fetch_wait or light, self.fetch_wait_busy or busy)

    @property
    def topics(self) -> Topics:
        """The topic names (with ``topic_prefix``)."""
        return Topics(self.topic_prefix)

    def as_env(self) -> dict[str, str]:
        """The process environment plus these settings as variables, for a child process."""
        env = dict(os.environ)
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            alias = field.validation_alias
            key = alias.choices[0] if isinstance(alias, AliasChoices) else f"CONTRAFLOW_{name.upper()}"
            env[str(key)] = str(value)
        return env

    @property
    def redis_url_redacted(self) -> str:
        """The Redis URL with any password replaced by ``***``, for logs and messages."""
        return redact_url(self.redis_url or "")

    def with_servers(self, kafka_bootstrap: str, redis_url: str) -> Settings:
        """A copy pointing at the given servers (used after starting embedded ones)."""
        return self.model_copy(update={"kafka_bootstrap": kafka_bootstrap, "redis_url": redis_url})
