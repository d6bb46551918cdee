"""What the commands of ``contraflow`` share: the settings, the checks for servers, stderr, SIGTERM."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from streams.settings import Settings

if TYPE_CHECKING:
    from schemas import EventState

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
err = Console(stderr=True, soft_wrap=not sys.stderr.isatty())
"""Messages and progress. Into a file or a CI log, a message is one line, not cut at 80 columns."""


def settings_of(ctx: click.Context) -> Settings:
    """The settings the group ``main`` put on the context."""
    settings: Settings = ctx.obj
    return settings


def show_events(states: list[EventState]) -> None:
    """Events on stdout: a table on a terminal; plain lines on a file, a pipe or a CI log, where the table
    would be 80 columns wide and wrap each quote to about a word a line (``--json`` is for programs)."""
    from streams.render import plain_events, print_events

    if sys.stdout.isatty():
        print_events(Console(), states)
    else:
        click.echo(plain_events(states), nl=False)


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
