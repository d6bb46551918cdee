"""The ``rebuild`` command: the state in Redis, replayed from the log (topic `claims`)."""

from __future__ import annotations

import asyncio

import click

from streams.cli.common import err, need, settings_of


@click.command()
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
    from streams.rebuild import clear_projection, holds_events, unrebuildable
    from streams.rebuild import rebuild as do_rebuild
    from streams.store.redis import connected

    settings = settings_of(ctx)
    need(settings, "kafka")
    need(settings, "redis")

    async def go() -> tuple[int, int]:
        async with connected(settings) as store:
            if await holds_events(store):
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
