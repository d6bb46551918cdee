"""Readable terminal output of event states and alerts (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from schemas import Alert, EventState


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def print_events(console: Console, events: list[EventState]) -> None:
    """One block per event: its articles, then its contradictions side by side."""
    for ev in events:
        sources = ", ".join(sorted({a.source for a in ev.articles}))
        console.rule(f"[bold]{_short(ev.title or ev.id, 90)}[/bold]")
        console.print(f"[dim]{ev.id}[/dim]  {len(ev.articles)} article(s): {sources}")
        if not ev.contradictions:
            console.print("  no contradictions\n")
            continue
        claims = {c.id: c for c in ev.claims}
        table = Table(show_lines=True, expand=True)
        table.add_column("slot", style="bold", max_width=18)
        table.add_column("kind", max_width=9)
        table.add_column("value", style="yellow", max_width=18)
        table.add_column("who says so, and where", ratio=1)
        for con in ev.contradictions:
            for i, side in enumerate(con.sides):
                evidence = []
                for cid in side.claim_ids:
                    c = claims.get(cid)
                    if c is None:
                        continue
                    who = f" (per {c.attributed_to})" if c.attributed_to else ""
                    evidence.append(f"[cyan]{c.source}[/cyan]{who}: “{_short(c.quote)}”")
                table.add_row(con.slot if i == 0 else "", con.kind if i == 0 else "", side.value,
                              "\n".join(evidence))
        console.print(table)
        console.print()


def alert_line(alert: Alert) -> str:
    """One line per alert."""
    con = alert.contradiction
    sides = " vs ".join(f"{s.value} ({', '.join(s.sources)})" for s in con.sides)
    return f"{alert.created_at:%Y-%m-%d %H:%M:%S} [{con.kind}] {alert.event_id} {con.slot}: {sides}"
