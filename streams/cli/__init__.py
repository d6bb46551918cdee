"""The ``contraflow`` command line: the group ``main`` here, the commands in the modules beside it.

``ingest`` (publish, feeds), ``services`` (worker, serve), ``reading`` (events, event, alerts), ``oneshot``
(run, demo), ``replay`` (rebuild), ``devstack`` (up, env); what they share is in ``common``.
"""

from __future__ import annotations

import click

from streams.cli.devstack import env, up
from streams.cli.ingest import feeds, publish
from streams.cli.oneshot import demo, run, run_settings, run_stack
from streams.cli.reading import alerts, event, events, valid_alerts
from streams.cli.replay import rebuild
from streams.cli.services import serve, worker
from streams.settings import Settings

__all__ = ["main", "run_settings", "run_stack", "valid_alerts"]  # imported by tests and scripts


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--kafka-bootstrap", envvar=None, help="host:port of Kafka (default: $KAFKA_BOOTSTRAP).")
@click.option("--redis-url", envvar=None, help="Redis URL (default: $REDIS_URL).")
@click.pass_context
def main(ctx: click.Context, kafka_bootstrap: str | None, redis_url: str | None) -> None:
    """contraflow: where news sources disagree about a breaking event, live."""
    settings = Settings()
    if kafka_bootstrap or redis_url:
        settings = settings.with_servers(
            kafka_bootstrap or settings.kafka_bootstrap or "", redis_url or settings.redis_url or ""
        )
    if ctx.invoked_subcommand not in ("up", "run", "demo"):  # those start their own servers
        from streams.upstate import with_up

        settings = with_up(settings)  # the servers of a running `contraflow up`
    ctx.obj = settings


for _command in (publish, feeds, worker, serve, events, event, alerts, run, demo, rebuild, up, env):
    main.add_command(_command)
