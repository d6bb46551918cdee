"""The reading commands: ``events`` and ``event`` (the state in Redis), ``alerts`` (topic `alerts`)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import click
from pydantic import ValidationError

from agents.core.summary import EventQuery
from schemas import Alert, EventState, EventSummary
from streams.cli.common import err, need, settings_of, show_events
from streams.settings import Settings


def _load_event(settings: Settings, event_id: str) -> EventState | None:
    from streams.store.redis import connected

    async def go() -> EventState | None:
        async with connected(settings) as store:
            return await store.get_event(event_id)

    return asyncio.run(go())


def _load_summaries(settings: Settings, query: EventQuery, everything: bool) -> list[EventSummary]:
    """Event summaries from the summary index in Redis: one page, or every page when ``everything``."""
    from streams.store.redis import connected

    async def go() -> list[EventSummary]:
        rows: list[EventSummary] = []
        async with connected(settings) as store:
            q = query
            while True:
                page = await store.query_events(q)
                rows += page.rows
                if not everything or len(page.rows) < q.limit:
                    return rows
                q = dataclasses.replace(q, offset=q.offset + q.limit)

    return asyncio.run(go())


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md format).")
@click.option("--archived", is_flag=True, help="Include archived events (idle, no longer matched).")
@click.option("--q", "q", default=None, help="Only events with all these words (title, sources, claims).")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="Only events updated at or after this time (UTC).",
)
@click.option(
    "--contradictions/--no-contradictions",
    "has_contradictions",
    default=None,
    help="Only events with (or without) contradictions.",
)
@click.option(
    "--severity",
    type=click.Choice(["low", "medium", "high"]),
    default=None,
    help="Only events with a contradiction of at least this severity.",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many (newest first); default all.")
@click.pass_context
def events(
    ctx: click.Context,
    as_json: bool,
    archived: bool,
    q: str | None,
    since: datetime | None,
    has_contradictions: bool | None,
    severity: str | None,
    limit: int | None,
) -> None:
    """List the live events in Redis, newest update first (with --archived, the archived ones too), from the
    summary index (one small record per event)."""
    settings = settings_of(ctx)
    need(settings, "redis")
    query = EventQuery(
        q=q,
        since=since.replace(tzinfo=UTC) if since else None,
        has_contradictions=has_contradictions,
        severity=severity,
        archived=archived,
        limit=min(limit or 500, 500),
    )
    rows = _load_summaries(settings, query, everything=limit is None or limit > 500)
    rows = rows[:limit] if limit else rows
    if not rows:  # on stderr: stdout stays what a script reads (`[]` with --json)
        err.print(nothing_yet("events", settings, filtered=any((q, since, has_contradictions is not None, severity))))
    if as_json:
        click.echo(json.dumps([r.model_dump(mode="json") for r in rows]))
        return
    for r in rows:
        click.echo(
            f"{r.id}  {r.contradiction_count:>2} contradiction(s)  {len(r.article_ids):>3} article(s)  {r.title[:80]}"
        )


@click.command()
@click.argument("event_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (CONTRACT.md format).")
@click.pass_context
def event(ctx: click.Context, event_id: str, as_json: bool) -> None:
    """Show one event's state."""
    settings = settings_of(ctx)
    need(settings, "redis")
    found = _load_event(settings, event_id)  # archived or merged away: still readable by id
    if found is None:
        raise click.ClickException(f"no event {event_id!r}")
    if as_json:
        click.echo(found.model_dump_json())
    else:
        show_events([found])


@click.command()
@click.option("--follow", "-f", is_flag=True, help="Keep waiting for new alerts.")
@click.option("--json", "as_json", is_flag=True, help="One JSON alert per line.")
@click.pass_context
def alerts(ctx: click.Context, follow: bool, as_json: bool) -> None:
    """Print the alerts on topic `alerts`, oldest first."""
    from streams.kafka_io import read_topic
    from streams.render import alert_line

    settings = settings_of(ctx)
    need(settings, "kafka")
    if follow:
        err.print(f"waiting for alerts on topic {settings.topics.alerts} (Ctrl-C stops)")
    shown = 0
    try:
        for alert in valid_alerts(read_topic(settings, settings.topics.alerts, follow=follow)):
            click.echo(alert.model_dump_json() if as_json else alert_line(alert))
            shown += 1
    except KeyboardInterrupt:
        pass
    if not shown and not follow:  # on stderr: with --json, stdout stays JSON lines (here none)
        err.print(nothing_yet("alerts", settings))


def nothing_yet(what: str, settings: Settings, filtered: bool = False) -> str:
    """Why a listing is empty and where its rows would come from, so that silence does not look like failure."""
    if what == "events":
        if filtered:
            return "no events match these filters (without them: `contraflow events`)"
        return (
            f"no events yet in Redis {settings.redis_url_redacted} (prefix {settings.redis_prefix!r}): events are "
            "made by workers from published articles: `contraflow publish FILE...` with a `contraflow worker` "
            "running, or `contraflow up` (archived events: --archived)"
        )
    return (
        f"no alerts yet on topic {settings.topics.alerts} at {settings.kafka_bootstrap}: a worker publishes one when "
        "an article contradicts another source on the same event (`contraflow publish FILE...` with a worker "
        "running; `--follow` waits for them)"
    )


def valid_alerts(raws: Iterable[bytes]) -> Iterator[Alert]:
    """The alerts among ``raws``; a malformed record is skipped with a warning on stderr (the n-th record)."""
    for n, raw in enumerate(raws, start=1):
        try:
            yield Alert.model_validate_json(raw)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            err.print(f"warning: skipped malformed record #{n} on the alerts topic: {first}")
