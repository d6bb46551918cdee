"""The worker's log level for its polling Kafka clients: warnings only above DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from streams.worker import POLLING_LOGGERS, quiet_polling_clients


@pytest.fixture
def fresh_levels() -> Iterator[None]:
    saved = {name: logging.getLogger(name).level for name in POLLING_LOGGERS}
    for name in POLLING_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_kafka_python_connects_and_closes_are_not_logged_at_info(fresh_levels: None) -> None:
    quiet_polling_clients("info")
    for name in ("kafka.net.connection", "kafka.net.manager", "kafka.client_async", "kafka.cluster"):
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.INFO), name
        assert logger.isEnabledFor(logging.WARNING), f"{name}: its warnings still tell what went wrong"


def test_at_debug_the_polling_clients_log_everything(fresh_levels: None) -> None:
    quiet_polling_clients("debug")
    assert all(logging.getLogger(name).level == logging.NOTSET for name in POLLING_LOGGERS)
