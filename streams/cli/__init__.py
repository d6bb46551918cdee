"""The ``contraflow`` command line."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import click

from streams.cli.common import err, need, settings_of, sigterm_as_interrupt
from streams.cli.ingest import feeds, publish
from streams.cli.oneshot import demo, run, run_settings, run_stack
from streams.cli.reading import alerts, event, events, valid_alerts
from streams.cli.replay import rebuild
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


for _command in (publish, feeds, events, event, alerts, run, demo, rebuild):
    main.add_command(_command)


@main.command()
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--no-webhooks", is_flag=True, help="Do not deliver webhooks from this process.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, no_webhooks: bool) -> None:
    """The HTTP API and dashboard (OpenAPI at /docs); needs KAFKA_BOOTSTRAP and REDIS_URL."""
    import contextlib

    import uvicorn

    from streams.api.app import build_api
    from streams.kafka_io import ensure_topics

    settings = settings_of(ctx)
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


def _port_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="API port on 127.0.0.1.")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
@click.pass_context
def up(ctx: click.Context, port: int, workers: int) -> None:
    """The whole dev stack: embedded broker and Redis (unless configured), workers, API and dashboard.

    Stops everything on Ctrl-C or SIGTERM.
    """
    from streams import upstate
    from streams.api.app import build_api
    from streams.api.serving import Server
    from streams.runner import Stack

    if not _port_free(port):
        raise click.UsageError(f"port {port} on 127.0.0.1 is in use (pass --port)")
    sigterm_as_interrupt()
    stopping: list[str] = []
    try:
        with Stack(settings_of(ctx), workers=workers) as stack:
            s = stack.settings
            err.print(
                f"broker {s.kafka_bootstrap}  redis {s.redis_url_redacted}  {workers} worker(s); logs in {stack.logdir}"
            )
            server = Server(build_api(s), host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=3)
            click.echo(
                f"contraflow is up: dashboard http://127.0.0.1:{port}/dashboard/  "
                f"API http://127.0.0.1:{port}/docs  (Ctrl-C stops)",
                err=False,
            )
            sys.stdout.flush()
            watcher = threading.Thread(target=_watch, args=(stack, server, stopping), daemon=True)
            watcher.start()
            written = upstate.write(s)
            try:
                server.run()
            finally:
                upstate.remove(written)
    except KeyboardInterrupt:
        pass
    if stopping:
        err.print(f"error: {stopping[0]}; stopped everything")
        sys.exit(1)
    err.print("stopped")


def _watch(stack: Any, server: Any, stopping: list[str], every: float = 1.0) -> None:
    """Watch the servers and workers ``up`` started: restart what can be, else stop the API (and so all)."""
    while not server.should_exit:
        time.sleep(every)
        try:
            why = stack.supervise(say=lambda msg: err.print(f"warning: {msg}"))
        except Exception as exc:  # a restart failed
            why = f"could not restart a server: {exc}"
        if why:
            stopping.append(why)
            server.stop()
            return


@main.command()
@click.pass_context
def env(ctx: click.Context) -> None:
    """Print `export` lines for the servers in use (those of a running `contraflow up`, else the configured)."""
    import shlex

    settings = settings_of(ctx)
    need(settings, "kafka")
    need(settings, "redis")
    click.echo(
        f"export KAFKA_BOOTSTRAP={shlex.quote(settings.kafka_bootstrap or '')} "
        f"REDIS_URL={shlex.quote(settings.redis_url or '')}"
    )
