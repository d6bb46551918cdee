"""The one-shot commands: ``run`` (servers, workers, publish, wait, print, stop) and ``demo`` (on the seeds)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import click
from rich.progress import Progress

from schemas import EventState
from streams.cli.common import SEEDS, err, settings_of, show_events, sigterm_as_interrupt
from streams.settings import Settings


def run_settings(settings: Settings, workers: int) -> Settings:
    """The settings of a one-shot run: on a fresh embedded broker (none configured, partitions not set), one
    partition per worker, so that one worker takes the articles in the files' order, as a feed would deliver
    them, and a run gives the same events every time."""
    if settings.kafka_bootstrap or "partitions" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"partitions": max(1, workers)})


def run_stack(
    settings: Settings, paths: list[Path], workers: int = 1, timeout: float = 600.0, quiet: bool = False
) -> list[EventState]:
    """Servers (embedded unless configured), workers, publish, wait until processed, stop."""
    from streams.files import read_articles, unnamed_warning
    from streams.kafka_io import publish as do_publish
    from streams.runner import Stack, expected_ids, read_counters, wait_processed

    records = list(read_articles(paths))
    if not quiet and (warning := unnamed_warning(records, option=False)):
        err.print(warning)
    ids, bad = expected_ids(records)
    started = time.monotonic()
    with Stack(run_settings(settings, workers), workers=workers) as stack:
        s = stack.settings
        if not quiet:
            err.print(
                f"broker {s.kafka_bootstrap}  redis {s.redis_url_redacted}  {workers} worker(s); logs in {stack.logdir}"
            )
        baseline = asyncio.run(read_counters(s))
        do_publish(s, records)
        if not quiet:
            err.print(f"published {len(records)} article(s)" + (f" ({bad} invalid: dead-lettered)" if bad else ""))
        with Progress(console=err, transient=True, disable=quiet) as progress:
            task = progress.add_task("processing", total=len(records))
            states = asyncio.run(
                wait_processed(
                    s,
                    ids,
                    len(records),
                    baseline,
                    timeout,
                    stack.workers,
                    on_progress=lambda n: progress.update(task, completed=n),
                )
            )
    if not quiet:
        err.print(f"processed {len(records)} article(s) in {time.monotonic() - started:.1f}s")
    return states


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help='Print {"events": [...]} on stdout (logs go to stderr).')
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
@click.option("--timeout", default=900.0, show_default=True, help="Seconds to wait for processing.")
@click.pass_context
def run(ctx: click.Context, paths: tuple[Path, ...], as_json: bool, workers: int, timeout: float) -> None:
    """One shot: start servers and workers, publish PATHS, wait, print every event, stop."""
    sigterm_as_interrupt()
    try:
        states = run_stack(settings_of(ctx), list(paths), workers, timeout)
    except KeyboardInterrupt:
        err.print("interrupted; everything stopped")
        sys.exit(130)
    if as_json:
        click.echo(json.dumps({"events": [e.model_dump(mode="json") for e in states]}))
    else:
        show_events(states)


@click.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """`run` on the seed articles, with a readable table of events and contradictions."""
    ctx.invoke(run, paths=(SEEDS,), as_json=False, workers=1, timeout=900.0)
