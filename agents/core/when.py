"""Days from an article's text and dates (issue 21): its own date (published, URL, dateline), and
the days its lead names: full dates, month-day, holidays, weekdays and "yesterday" resolved against a
reference day, and the weekday names themselves (which need no reference).

The reference day is the publication date unless the text contradicts it: a full date in the
article's first lines (a dateline, "9 September 2013 Last updated") more than ``CONTRADICTED_DAYS``
from ``published_at`` (a crawl date weeks late) wins, and an undated article with a dateline uses it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from agents.core.lexicon import MONTH_NAMES
from schemas import ArticleRef

LEAD_CHARS = 1500
"""Mentions in the title and the first characters of the body weigh more; days are read from here."""
TEXT_DATE_CHARS = 1200
"""Where a date in the text may stand for the article's own date (a dateline, a caption)."""
DATELINE_CHARS = 400
"""Where a full date is read as the article's dateline (the reference day when ``published_at`` disagrees)."""
CONTRADICTED_DAYS = 3.0
"""A dateline this far before ``published_at`` overrides it as the reference day."""
CRAWL_DAYS = 366.0
"""... unless it is further back than this (a date of the past the article recalls)."""

_MONTHS = {m[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)}
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+((?:19|20)\d\d)\b", re.I)
# a lookahead on the first letters: the engine tries the alternatives only where one can start
_MDY = re.compile(rf"\b(?=[adfjmnos]){_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)
_MD = re.compile(rf"\b(?=[adfjmnos]){_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d\d)", re.I)
_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?!,?\s*(?:19|20)\d\d)", re.I)
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_URL_YMD = re.compile(
    r"/((?:19|20)\d\d)[/-](\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[/-](\d\d)(?:/|\b)",
    re.I,
)
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_WEEKDAY_RE = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_URL_IN_TEXT = re.compile(r"https?://\S+")
_HOLIDAYS = {
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "new year's day": (1, 1),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "bastille day": (7, 14),
    "independence day": (7, 4),
    "fourth of july": (7, 4),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
}
_HOLIDAY_RE = re.compile(
    "(?=["
    + "".join(sorted({h[0] for h in _HOLIDAYS}))
    + "])(?:"
    + "|".join(sorted((re.escape(h) for h in _HOLIDAYS), key=len, reverse=True))
    + ")",
    re.I,
)


def _year_for(month: int, day: int, ref: datetime) -> datetime | None:
    """The date with this month and day nearest before ``ref`` (or just after it)."""
    for year in (ref.year, ref.year - 1, ref.year + 1):
        try:
            d = datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            return None
        if -timedelta(days=3) <= ref - d <= timedelta(days=330):
            return d
    return None


def _full_dates(text: str) -> list[datetime]:
    out: list[tuple[int, datetime]] = []
    for m in _DMY.finditer(text):
        d = _mk(int(m.group(3)), _MONTHS[m.group(2).lower()[:3]], int(m.group(1)))
        if d:
            out.append((m.start(), d))
    for m in _MDY.finditer(text):
        d = _mk(int(m.group(3)), _MONTHS[m.group(1).lower()[:3]], int(m.group(2)))
        if d:
            out.append((m.start(), d))
    for m in _ISO.finditer(text):
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            out.append((m.start(), d))
    return [d for _, d in sorted(out, key=lambda x: x[0])]


def _mk(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def url_date(url: str | None) -> datetime | None:
    """A date written in a URL path (``/2017/10/02/``, ``/2017/feb/25/``, ``/2016-07/15/``)."""
    if not url:
        return None
    m = _URL_YMD.search(url)
    if m:
        mon = m.group(2)
        month = int(mon) if mon.isdigit() else _MONTHS.get(mon.lower()[:3], 0)
        d = _mk(int(m.group(1)), month, int(m.group(3)))
        if d:
            return d
    return None


def article_date(text: str, ref: ArticleRef, received_at: datetime) -> tuple[datetime, str]:
    """The article's date and where it came from: published, else text or URL, else arrival."""
    if ref.published_at:
        return ref.published_at, "published"
    d = url_date(ref.url)
    if d:
        return d, "url"
    lead = text[:TEXT_DATE_CHARS]
    for m in _URL_IN_TEXT.finditer(lead):
        d = url_date(m.group(0))
        if d:
            return d, "url"
    dates = _full_dates(lead)
    if dates:
        return max(dates), "text"
    when = received_at if received_at.tzinfo else received_at.replace(tzinfo=UTC)
    return when, "arrival"


def explicit_days(text: str, date: datetime) -> Counter[datetime]:
    """Full dates, month-day and holidays in the lead of ``text`` (the year from ``date``), with how often each is
    named: what :func:`named_days` and :func:`mentioned_dates` share (computed once, passed to both)."""
    return _explicit(text[:LEAD_CHARS], date)


def _explicit(lead: str, date: datetime) -> Counter[datetime]:
    found: Counter[datetime] = Counter()
    d: datetime | None
    for d in _full_dates(lead):
        found[d] += 1
    for rx, mi, di in ((_MD, 1, 2), (_DM, 2, 1)):
        for m in rx.finditer(lead):
            day = int(m.group(di))
            if not 1 <= day <= 31:
                continue
            d = _year_for(_MONTHS[m.group(mi).lower()[:3]], day, date)
            if d:
                found[d] += 1
    for m in _HOLIDAY_RE.finditer(lead):
        month, day = _HOLIDAYS[m.group(0).lower().replace("\u2019", "'")]
        d = _year_for(month, day, date)
        if d:
            found[d] += 1
    return found


def _most(found: Counter[datetime]) -> list[datetime]:
    return [d for d, c in found.most_common(6) for _ in range(min(c, 3))]


def named_days(text: str, date: datetime, explicit: Counter[datetime] | None = None) -> list[datetime]:
    """Days the lead names outright: full dates, month-day and holidays (the year from ``date``),
    each as often as named (at most 3 times), the six most named. No weekdays: those need a reference.
    ``explicit``: :func:`explicit_days` of the same text and date, when already known."""
    return _most(explicit if explicit is not None else explicit_days(text, date))


def mentioned_dates(
    text: str, date: datetime, resolve_weekdays: bool, explicit: Counter[datetime] | None = None
) -> list[datetime]:
    """Days the lead of the text names: full dates, month-day and holidays (year from ``date``), weekdays
    and "yesterday", "this morning".

    Weekdays ("on Saturday") are resolved against ``date`` (the last such day on or before it,
    or the next day, for time zones) and only when ``date`` is a real reference day (:func:`reference_day`).
    ``explicit``: :func:`explicit_days` of the same text and date, when already known (it is not changed).
    """
    lead = text[:LEAD_CHARS]
    found = Counter(explicit) if explicit is not None else _explicit(lead, date)
    if resolve_weekdays:
        base = datetime(date.year, date.month, date.day, tzinfo=UTC)
        for m in _WEEKDAY_RE.finditer(lead):
            wd = _WEEKDAYS[m.group(1).lower()]
            back = (base.weekday() - wd) % 7
            d = base + timedelta(days=1) if back == 6 else base - timedelta(days=back)
            found[d] += 1
        for d in relative_days(text, date):
            found[d] += 1
    return _most(found)


_RELATIVE = {
    "yesterday": -1,
    "last night": -1,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
}
_RELATIVE_RE = re.compile(r"\b(" + "|".join(sorted(_RELATIVE, key=len, reverse=True)) + r")\b", re.I)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def dateline(text: str) -> datetime | None:
    """The latest full date in the article's first lines (its dateline), or ``None``."""
    dates = _full_dates(text[:DATELINE_CHARS])
    return max(dates) if dates else None


def reference_day(text: str, date: datetime, source: str) -> datetime | None:
    """The day that weekdays and "yesterday" resolve against (``None``: none known).

    ``date``/``source`` are :func:`article_date`'s. A dateline earlier than the publication date by more
    than ``CONTRADICTED_DAYS`` (and at most ``CRAWL_DAYS``: a crawl date, not a background date) wins; an
    article dated only by its arrival has its dateline or none.
    """
    line = dateline(text)
    if source == "arrival":
        return line
    if line is not None and contradicts(line, date):
        return line
    return date


def contradicts(line: datetime, published: datetime) -> bool:
    """Whether a dateline shows the publication date to be a late crawl date."""
    late = (_midnight(published) - line).total_seconds() / 86400.0
    return CONTRADICTED_DAYS < late <= CRAWL_DAYS


def _midnight(d: datetime) -> datetime:
    d = d if d.tzinfo else d.replace(tzinfo=UTC)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def relative_days(text: str, ref: datetime) -> list[datetime]:
    """Days the lead names relative to ``ref`` ("yesterday", "this morning", "last night")."""
    base = _midnight(ref)
    return [base + timedelta(days=_RELATIVE[m.group(1).lower()]) for m in _RELATIVE_RE.finditer(text[:LEAD_CHARS])]


def weekdays(text: str, n: int = 3) -> list[str]:
    """The weekday names the lead uses, most often first (ties: first named), at most ``n``."""
    found = Counter(m.group(1).lower() for m in _WEEKDAY_RE.finditer(text[:LEAD_CHARS]))
    return [d for d, _ in found.most_common(n)]


def weekday_of(d: datetime) -> str:
    """The weekday name of a day."""
    return WEEKDAY_NAMES[d.weekday()]
