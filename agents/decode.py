"""Decoding a raw ``articles`` message into an :class:`Article`, or a clear reason why not."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from schemas import Article
from schemas.article import MAX_BODY_CHARS

MAX_MESSAGE_BYTES = 4 * MAX_BODY_CHARS + 64_000
"""Largest message decoded at all (bytes); anything larger is dead-lettered unread."""


class BadMessage(ValueError):
    """A message that is not a valid article; ``str(exc)`` is the reason for the dead-letter topic."""


def _reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "article"
        parts.append(f"{loc}: {err['msg']}")
    return "invalid article: " + "; ".join(parts)


def decode_article(raw: bytes | str | None) -> Article:
    """Parse and validate one message; raise :class:`BadMessage` with the reason otherwise."""
    if raw is None or len(raw) == 0:
        raise BadMessage("empty message")
    if len(raw) > MAX_MESSAGE_BYTES:
        raise BadMessage(f"message too large: {len(raw)} bytes (limit {MAX_MESSAGE_BYTES})")
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadMessage(f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    else:
        text = raw
    try:
        data: Any = json.loads(text)
    except RecursionError:
        raise BadMessage("not JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise BadMessage(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise BadMessage(f"not a JSON object: got {type(data).__name__}")
    try:
        return Article.model_validate(data)
    except ValidationError as exc:
        raise BadMessage(_reason(exc)) from None
    except RecursionError:
        raise BadMessage("invalid article: nested too deeply") from None
