"""What the commands of ``contraflow`` share: the settings, the checks for servers, stderr, SIGTERM."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from streams.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
err = Console(stderr=True)


def settings_of(ctx: click.Context) -> Settings:
    """The settings the group ``main`` put on the context."""
    settings: Settings = ctx.obj
    return settings


def sigterm_as_interrupt() -> None:
    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def need(settings: Settings, what: str) -> None:
    if what == "kafka" and not settings.kafka_bootstrap:
        raise click.UsageError(
            "KAFKA_BOOTSTRAP is not set (or pass --kafka-bootstrap), and no `contraflow up` "
            "is running: `contraflow up` starts the servers (the other commands then find them)."
        )
    if what == "redis" and not settings.redis_url:
        raise click.UsageError(
            "REDIS_URL is not set (or pass --redis-url), and no `contraflow up` is running: "
            "`contraflow up` starts the servers (the other commands then find them)."
        )
