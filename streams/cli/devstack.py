"""The dev stack: ``up`` (servers, workers, API and dashboard in one process) and ``env`` (its servers)."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import click

from streams.cli.common import err, need, settings_of, sigterm_as_interrupt


def _port_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@click.command()
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


@click.command()
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
