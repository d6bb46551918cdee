"""contraflow's settings: one frozen object, read once at the entry point.

Every environment variable the product reads is listed here (and in the README):

==========================  ============================================================
``KAFKA_BOOTSTRAP``         ``host:port[,host:port]`` of a Kafka cluster; unset: embedded
``REDIS_URL``               ``redis://`` / ``rediss://`` URL; unset: embedded Redis
``CONTRAFLOW_APP_ID``       Kafka consumer group and faust app id (default ``contraflow``)
``CONTRAFLOW_PARTITIONS``   partitions of ``articles`` and ``assignments`` (default 4)
``CONTRAFLOW_BATCH_SIZE``   articles per ``nlp.pipe`` batch (default 16)
``CONTRAFLOW_BATCH_WINDOW`` seconds to wait to fill a batch (default 0.05)
``CONTRAFLOW_REDIS_PREFIX`` key prefix in Redis (default ``cf:``)
``CONTRAFLOW_WEB_PORT``     faust's web port for this worker (default 0: web off)
``CONTRAFLOW_SESSION_TIMEOUT`` / ``CONTRAFLOW_HEARTBEAT`` consumer group timings (s)
``CONTRAFLOW_KAFKA_SECURITY_PROTOCOL``  PLAINTEXT (default), SSL, SASL_PLAINTEXT, SASL_SSL
``CONTRAFLOW_KAFKA_SASL_MECHANISM`` / ``_USERNAME`` / ``_PASSWORD``  SASL credentials
``CONTRAFLOW_KAFKA_SSL_CAFILE``  CA bundle for SSL
``CONTRAFLOW_LOG_LEVEL``    worker log level (default ``info``)
==========================  ============================================================
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Topics(BaseSettings):
    """Topic names (fixed by CONTRACT.md: ``articles``, ``articles.dlq``, ``alerts``)."""

    model_config = SettingsConfigDict(frozen=True)

    articles: str = "articles"
    dlq: str = "articles.dlq"
    claims: str = "claims"
    assignments: str = "assignments"
    alerts: str = "alerts"


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
    batch_window: float = Field(default=0.05, ge=0.0, le=10.0)
    redis_prefix: str = "cf:"
    web_port: int = Field(default=0, ge=0, le=65535)
    session_timeout: float = 6.0
    heartbeat: float = 2.0
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str = "PLAIN"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None
    log_level: str = "info"
    topics: Topics = Field(default_factory=Topics)

    def with_servers(self, kafka_bootstrap: str, redis_url: str) -> Settings:
        """A copy pointing at the given servers (used after starting embedded ones)."""
        return self.model_copy(update={"kafka_bootstrap": kafka_bootstrap, "redis_url": redis_url})
