"""Readable output of event states and alerts: a table for a terminal (rich), plain lines for a file or pipe."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from schemas import Alert, ArticleRef, Claim, Contradiction, ContradictionSide, EventState
from schemas.event import severity_rank


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def support(side: ContradictionSide) -> str:
    """ "3 outlets, 1 origin (AP)": a side's outlets and the independent origins among them."""
    outlets = len(side.sources)
    head = f"{outlets} outlet{'s' if outlets != 1 else ''}"
    if side.by_origin is None:
        return head
    if not side.by_origin:  # held only by articles that name no outlet
        return f"{head}, no known origin"
    n = len(side.by_origin)
    names = f" ({', '.join(side.by_origin)})" if n <= 3 else ""
    return f"{head}, {n} origin{'s' if n != 1 else ''}{names}"


def published(c: Claim, article: ArticleRef | None) -> str:
    """When the claim's report was published, as the source gave it: a date alone stays a date."""
    at = c.published_at or (article.published_at if article else None)
    if at is None:
        return ""
    return f"{at:%Y-%m-%d}" if article is not None and article.published_date_only else f"{at:%Y-%m-%d %H:%M}"


def _evidence(c: Claim, article: ArticleRef | None) -> str:
    who = f" (per {escape(c.attributed_to)})" if c.attributed_to else ""
    at = published(c, article)
    when = f" [dim]{at}[/dim]" if at else ""
    return f"[cyan]{escape(c.source)}[/cyan]{who}{when}: “{escape(' '.join(c.quote.split()))}”"


def _ordered(ev: EventState) -> list[Contradiction]:
    return sorted(ev.contradictions, key=lambda c: (-severity_rank(c.severity), c.slot))


def print_events(console: Console, events: list[EventState]) -> None:
    """One block per event: its articles, then its contradictions side by side, the most severe first, each
    side with its outlets and origins, who said it, when it was published and the whole quote (wrapped)."""
    for ev in events:
        sources = ", ".join(sorted({a.source for a in ev.articles}))
        console.rule(f"[bold]{escape(_short(ev.title or ev.id, 90))}[/bold]")
        console.print(f"[dim]{ev.id}[/dim]  {len(ev.articles)} article(s): {escape(sources)}")
        if not ev.contradictions:
            console.print("  no contradictions\n")
            continue
        claims = {c.id: c for c in ev.claims}
        articles = {a.id: a for a in ev.articles}
        table = Table(show_lines=True, expand=True)
        table.add_column("fact", style="bold", max_width=24)
        table.add_column("kind", max_width=9)
        table.add_column("value", style="yellow", max_width=26)
        table.add_column("who says so, when, and where", ratio=1)
        for con in _ordered(ev):
            kind = f"{con.kind}\n[dim]{con.severity or 'high'}[/dim]"
            for i, side in enumerate(con.sides):
                evidence = [
                    _evidence(c, articles.get(c.article_id))
                    for cid in side.claim_ids
                    if (c := claims.get(cid)) is not None
                ]
                table.add_row(
                    escape(con.label or con.slot) if i == 0 else "",
                    kind if i == 0 else "",
                    f"{escape(side.value)}\n[dim]{support(side)}[/dim]",
                    "\n".join(evidence),
                )
        console.print(table)
        console.print()


def plain_events(events: list[EventState]) -> str:
    """The events as plain lines for a file, a pipe or a CI log, where a table would be cut to 80 columns
    and wrap each quote to a word a line: no table, no colour, each report with its whole quote on one line.

    One block per event (title, id, articles), then per contradiction (most severe first) a line
    ``slot: kind, severity``, a line per side (value, outlets and origins) and a line per report."""
    out: list[str] = []
    for ev in events:
        sources = ", ".join(sorted({a.source for a in ev.articles}))
        out += [f"== {' '.join((ev.title or ev.id).split())}", f"{ev.id}  {len(ev.articles)} article(s): {sources}"]
        if not ev.contradictions:
            out += ["  no contradictions", ""]
            continue
        claims = {c.id: c for c in ev.claims}
        articles = {a.id: a for a in ev.articles}
        for con in _ordered(ev):
            out += ["", f"{con.label or con.slot}: {con.kind}, {con.severity or 'high'}"]
            for side in con.sides:
                out.append(f"  {side.value}  ({support(side)})")
                for cid in side.claim_ids:
                    c = claims.get(cid)
                    if c is None:
                        continue
                    who = f" (per {c.attributed_to})" if c.attributed_to else ""
                    at = published(c, articles.get(c.article_id))
                    out.append(f"    {c.source}{who}{', ' + at if at else ''}: “{' '.join(c.quote.split())}”")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def _side_text(side: ContradictionSide) -> str:
    """ "32 (Al Jazeera, per the governor)": the value, its outlets and the attributions of its claims."""
    said = sorted({c.attributed_to for c in side.claims or [] if c.attributed_to})
    per = f", per {' / '.join(said)}" if said else ""
    return f"{side.value} ({', '.join(side.sources)}{per})"


def alert_line(alert: Alert) -> str:
    """One line per alert, naming who said each value where the claims say so."""
    con = alert.contradiction
    sides = " vs ".join(_side_text(s) for s in con.sides)
    return f"{alert.created_at:%Y-%m-%d %H:%M:%S} [{con.kind}] {alert.event_id} {con.label or con.slot}: {sides}"
