"""The commands that feed topic `articles`: ``publish`` (files) and ``feeds`` (polled RSS/Atom feeds)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from rich.progress import Progress

from streams.cli.common import err, need, settings_of, sigterm_as_interrupt


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--source",
    help="Outlet name for .txt files. Without it, the outlet the text names (a `Source: NAME` line, a link), "
    "else `unknown (FILE NAME)`, which never counts as an independent origin.",
)
@click.pass_context
def publish(ctx: click.Context, paths: tuple[Path, ...], source: str | None) -> None:
    """Publish articles (.json, .jsonl, .txt files or folders) to topic `articles`."""
    from streams.files import read_articles, unnamed_warning
    from streams.kafka_io import ensure_topics
    from streams.kafka_io import publish as do_publish

    settings = settings_of(ctx)
    need(settings, "kafka")
    records = list(read_articles(list(paths), source))
    if warning := unnamed_warning(records, option=True):
        err.print(warning)
    ensure_topics(settings)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("publishing", total=len(records))
        n = do_publish(settings, records, on_sent=lambda i: progress.update(task, completed=i))
    err.print(f"published {n} article(s) to {settings.topics.articles}")


@click.command()
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
