"""The incoming article (CONTRACT.md "In: an article") and the reference kept in event state."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_serializer,
    field_validator,
    model_validator,
)

from schemas.ids import digest

MAX_BODY_CHARS = 200_000
"""Longest accepted body (characters, after decoding); longer articles go to the dead-letter topic."""
MAX_FIELD_CHARS = 2_000
"""Longest accepted ``source``, ``title``, ``url`` and ``id``."""

_ID_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,256}$")
_URL_RE = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@\s\\]*[^/?#:@\s\\][^\x00-\x1f\x7f]*$")
"""An absolute ``http(s)`` URL with a host and no control characters: nothing a browser runs as script."""


def check_url(url: str) -> str:
    """``url`` when it is an absolute ``http://`` or ``https://`` URL; ``ValueError`` otherwise."""
    if not _URL_RE.match(url):
        raise ValueError("url must be an absolute http:// or https:// URL")
    return url


def parse_when(value: Any) -> datetime | None:
    """Parse an ISO 8601 date or datetime; naive values are taken as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"published_at is not an ISO 8601 date or datetime: {value!r}") from exc
    else:
        raise ValueError(f"published_at must be a string, got {type(value).__name__}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+05:00 is before year 1 in UTC
        raise ValueError(f"published_at is out of range in UTC: {value!r}") from None


UNKNOWN_SOURCE = "unknown"
"""The source of an article that names no outlet; a text file gets ``unknown (FILE NAME)`` (:func:`unknown_source`)."""


def unknown_source(label: str) -> str:
    """The source of an article that names no outlet, with something the user recognises: "unknown (story.txt)"."""
    return f"{UNKNOWN_SOURCE} ({label})"


def source_unknown(source: str) -> bool:
    """Whether ``source`` names no outlet ("unknown", "unknown (story.txt)"). Such an article is listed under
    that name, but is never an independent origin: nothing says whose reporting it carries."""
    s = source.strip().lower()
    return s == UNKNOWN_SOURCE or s.startswith(UNKNOWN_SOURCE + " (")


def date_only(value: Any) -> bool:
    """Whether a ``published_at`` as given is a calendar date without a time ("2017-02-25")."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return True
    if isinstance(value, str):
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            return False
        return True
    return False


class Article(BaseModel):
    """One article as published to topic ``articles``. ``id`` is derived when absent."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1, max_length=256)
    source: str = Field(min_length=1, max_length=MAX_FIELD_CHARS)
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    url: str | None = Field(default=None, max_length=MAX_FIELD_CHARS)
    title: str | None = Field(default=None, max_length=MAX_FIELD_CHARS)
    published_at: datetime | None = None
    published_date_only: bool = Field(default=False, exclude=True)
    """Derived, never read from the input: ``published_at`` was given as a date without a time (it is that
    day at 00:00 UTC). Not dumped: ``published_at`` is dumped as the date itself, so a re-published article
    keeps it."""

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("an article must be a JSON object")
        data = {**data, "published_date_only": date_only(data.get("published_at"))}  # derived, never taken
        if data.get("id") in (None, ""):
            data = dict(data)
            url, source = data.get("url"), data.get("source")
            title, body = data.get("title") or "", data.get("body")
            if isinstance(url, str) and url.strip():
                data["id"] = "u-" + digest(url.strip())
            elif isinstance(source, str) and isinstance(body, str) and isinstance(title, str):
                data["id"] = "a-" + digest(source, title, body)
        return data

    @field_validator("id")
    @classmethod
    def _id_chars(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError("id must be 1-256 characters with no control characters")
        return v

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        # a blank url means "no url" (the id then comes from the text); any other must be http(s)
        return v if v is None or not v.strip() else check_url(v)

    @field_validator("source", "body")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v

    @field_validator("published_at", mode="before")
    @classmethod
    def _when(cls, v: Any) -> datetime | None:
        return parse_when(v)

    @field_serializer("published_at", mode="wrap", when_used="json")
    def _dump_when(self, v: datetime | None, handler: SerializerFunctionWrapHandler) -> Any:
        return v.date().isoformat() if v is not None and self.published_date_only else handler(v)


class ArticleRef(BaseModel):
    """What an event's state keeps of each article (CONTRACT.md ``articles[]``)."""

    id: str
    source: str
    url: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    published_date_only: bool = False
    """The source gave a date without a time: ``published_at`` is that day at 00:00 UTC, to be shown as a date."""
    content_hash: str = ""
    received_at: datetime | None = None
    origin: str | None = None
    """The wire service or outlet whose reporting the article carries (``agents.core.origin``)."""
    copy_of: str | None = None
    """The id of the earlier article of the event that this one copies (near-duplicate text), if any."""
