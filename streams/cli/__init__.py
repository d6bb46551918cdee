"""The ``contraflow`` command line."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress

from streams.cli.common import err, need, settings_of, sigterm_as_interrupt
from streams.cli.oneshot import demo, run, run_settings, run_stack
from streams.cli.reading import alerts, event, events, valid_alerts
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


for _command in (events, event, alerts, run, demo):
    main.add_command(_command)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", help="Outlet name for .txt files (they carry none).")
@click.pass_context
def publish(ctx: click.Context, paths: tuple[Path, ...], source: str | None) -> None:
    """Publish articles (.json, .jsonl, .txt files or folders) to topic `articles`."""
    from streams.files import read_articles
    from streams.kafka_io import ensure_topics
    from streams.kafka_io import publish as do_publish

    settings = settings_of(ctx)
    need(settings, "kafka")
    records = list(read_articles(list(paths), source))
    ensure_topics(settings)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("publishing", total=len(records))
        n = do_publish(settings, records, on_sent=lambda i: progress.update(task, completed=i))
    err.print(f"published {n} article(s) to {settings.topics.articles}")


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
@click.option(
    "--clear",
    is_flag=True,
    help="Delete this prefix's projection in Redis first (events, index, "
    "alert log); subscriptions, feed memory and counters stay.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Clear even a state the log cannot rebuild (the log is missing, empty or shorter than the state).",
)
@click.pass_context
def rebuild(ctx: click.Context, clear: bool, force: bool) -> None:
    """Replay the log (topic `claims`) into Redis; gives the state the workers built."""
    from streams.rebuild import clear_projection, unrebuildable
    from streams.rebuild import rebuild as do_rebuild
    from streams.store.redis import connected

    settings = settings_of(ctx)
    need(settings, "kafka")
    need(settings, "redis")

    async def go() -> tuple[int, int]:
        async with connected(settings) as store:
            if await store.list_events():
                if not clear:
                    raise click.ClickException("Redis already holds events under this prefix; pass --clear")
                why = await unrebuildable(settings, store)
                if why and not force:
                    raise click.ClickException(
                        f"refusing to clear: {why}; the log cannot rebuild this state. "
                        "Restore the broker's log, or pass --force to clear anyway."
                    )
                if why:
                    err.print(f"warning: clearing although {why} (--force)")
                await clear_projection(store)
            return await do_rebuild(settings, store)

    applied, skipped = asyncio.run(go())
    err.print(f"rebuilt the state from {applied} record(s)" + (f"; skipped {skipped} invalid" if skipped else ""))


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


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--interval", type=float, default=None, help="Seconds between polls (default: $CONTRAFLOW_FEED_INTERVAL, else 300)."
)
@click.option("--once", is_flag=True, help="Poll every feed once, then exit.")
@click.pass_context
def feeds(ctx: click.Context, file: Path, interval: float | None, once: bool) -> None:
    """Poll the RSS/Atom feeds listed in FILE (`URL [source name]` per line) and publish new or changed pages."""
    from streams.api.sink import KafkaSink
    from streams.feeds import FeedPoller, PollReport, read_feeds_file, run_feeds
    from streams.kafka_io import ensure_topics
    from streams.store.redis import RedisStore

    settings = settings_of(ctx)
    need(settings, "kafka")
    need(settings, "redis")
    try:
        listed = read_feeds_file(file)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if not listed:
        raise click.UsageError(f"{file} lists no feeds")
    ensure_topics(settings)

    def report(r: PollReport) -> None:
        err.print(
            f"{r.feeds} feed(s), {r.items} item(s): {r.published} published ({r.versions} new version(s)), "
            f"{r.unchanged} unchanged, {r.failed} failed"
        )

    async def go() -> None:
        assert settings.redis_url
        store = RedisStore.from_url(settings.redis_url, settings.redis_prefix)
        sink = KafkaSink(settings)
        poller = FeedPoller(store, sink)
        try:
            await run_feeds(poller, listed, interval or settings.feed_interval, once, report)
        finally:
            await poller.close()
            sink.close()
            await store.close()

    sigterm_as_interrupt()
    try:
        asyncio.run(go())
    except KeyboardInterrupt:
        err.print("stopped")
