"""The long-running processes over configured servers: ``worker`` (the stream agents) and ``serve`` (HTTP API)."""

from __future__ import annotations

import sys

import click

from streams.cli.common import err, need, settings_of, sigterm_as_interrupt


@click.command()
@click.option("--kafka-bootstrap", help="host:port of Kafka (default: $KAFKA_BOOTSTRAP).")
@click.option("--redis-url", help="Redis URL (default: $REDIS_URL).")
@click.pass_context
def worker(ctx: click.Context, kafka_bootstrap: str | None, redis_url: str | None) -> None:
    """Run the stream agents; more worker processes may join the same group."""
    from streams.worker import run_worker

    settings = settings_of(ctx)
    if kafka_bootstrap or redis_url:
        settings = settings.with_servers(
            kafka_bootstrap or settings.kafka_bootstrap or "", redis_url or settings.redis_url or ""
        )
    need(settings, "kafka")
    need(settings, "redis")
    sys.argv = [sys.argv[0], "worker"]  # faust's Worker reads argv
    run_worker(settings)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--no-webhooks", is_flag=True, help="Do not deliver webhooks from this process.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_webhooks: bool) -> None:
    """The HTTP API and dashboard (OpenAPI at /docs); needs KAFKA_BOOTSTRAP and REDIS_URL."""
    import contextlib

    import uvicorn

    from streams.api.app import build_api
    from streams.api.exposure import OpenExposure, check_exposure
    from streams.kafka_io import ensure_topics

    settings = settings_of(ctx)
    try:
        warning = check_exposure(settings, host)
    except OpenExposure as exc:
        raise click.UsageError(str(exc)) from exc
    if warning:
        err.print(warning)
    need(settings, "kafka")
    need(settings, "redis")
    ensure_topics(settings)
    err.print(f"dashboard: http://{host}:{port}/dashboard/   API docs: http://{host}:{port}/docs")
    sigterm_as_interrupt()  # uvicorn shuts down gracefully, then re-raises the signal: exit 0
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            build_api(settings, dispatch=not no_webhooks),
            host=host,
            port=port,
            log_level="info",
            timeout_graceful_shutdown=3,
        )
