"""``POST /articles``: one article or a list of them, validated, published to topic ``articles``."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from agents.ports import StateStore
from schemas import Article
from streams.api.sink import ArticleSink, SinkUnavailable
from streams.settings import Settings

MAX_ARTICLES_PER_REQUEST = 1000
MAX_REQUEST_BYTES = 16 * 1024 * 1024
"""Largest body of ``POST /articles`` (the app's ``BodyGuard`` refuses more while reading)."""
log = logging.getLogger("contraflow.api")


class Accepted(BaseModel):
    """``POST /articles`` answer: the ids of the articles published to topic ``articles``."""

    ids: list[str]
    topic: str


class FieldError(BaseModel):
    index: int | None = Field(description="Position in the list (null for a single article).")
    field: str
    message: str


class Invalid(BaseModel):
    """A 4xx answer that names the field at fault."""

    detail: str
    errors: list[FieldError] = Field(default_factory=list)


def _field_errors(exc: ValidationError, index: int | None) -> list[FieldError]:
    out = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "article"
        out.append(FieldError(index=index, field=loc, message=e["msg"]))
    # ``id`` is derived from the other fields: its absence is a consequence, not the cause
    derived = [f for f in out if not (f.field == "id" and f.message == "Field required")]
    return derived or out


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_articles(data: Any) -> tuple[list[Article], list[FieldError]]:
    """Validate one article or a list of them; the errors name the index and field."""
    if isinstance(data, dict):
        items, single = [data], True
    elif isinstance(data, list):
        items, single = data, False
    else:
        return [], [FieldError(index=None, field="body", message="expected an article object or a list of them")]
    if not items:
        return [], [FieldError(index=None, field="body", message="the list is empty")]
    if len(items) > MAX_ARTICLES_PER_REQUEST:
        return [], [
            FieldError(index=None, field="body", message=f"at most {MAX_ARTICLES_PER_REQUEST} articles per request")
        ]
    good, errors = [], []
    for i, item in enumerate(items):
        idx = None if single else i
        if not isinstance(item, dict):
            errors.append(FieldError(index=idx, field="article", message="an article must be a JSON object"))
            continue
        try:
            article = Article.model_validate(item)
            bad = [k for k, v in article.model_dump().items() if isinstance(v, str) and not _is_unicode(v)]
            if bad:
                errors.append(FieldError(index=idx, field=bad[0], message="not valid Unicode (a lone surrogate)"))
                continue
            good.append(article)
        except ValidationError as exc:
            errors.extend(_field_errors(exc, idx))
        except (ValueError, RecursionError) as exc:
            errors.append(FieldError(index=idx, field="article", message=str(exc)))
    return good, errors


# The route reads its body itself (to name the index and field at fault), so FastAPI cannot derive the
# request schema: it is written here, and the app's OpenAPI adds ``ArticleIn`` to its components.
ARTICLE_BODY_SCHEMA: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/ArticleIn"},
                    {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ArticleIn"},
                        "minItems": 1,
                        "maxItems": MAX_ARTICLES_PER_REQUEST,
                    },
                ],
            }
        }
    },
}
ARTICLE_IN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "ArticleIn",
    "required": ["source", "body"],
    "description": "An article (CONTRACT.md). `id` is derived from `url`, else from source + title + body.",
    "properties": {
        "body": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200_000,
            "pattern": "\\S",
            "description": "Plain text (HTML is reduced to its text); not blank.",
        },
        "source": {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": "\\S", "examples": ["BBC News"]},
        "id": {
            "type": "string",
            "pattern": "^[^\\x00-\\x1f\\x7f]{1,256}$",
            "description": "Stable id: 1-256 characters, no control characters.",
        },
        "url": {"type": ["string", "null"], "maxLength": 2000},
        "title": {"type": ["string", "null"], "maxLength": 2000},
        "published_at": {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
                {"type": "null"},
            ],
            "description": "ISO 8601 date or datetime.",
        },
    },
}


def articles_router(settings: Settings, store: StateStore, sink: ArticleSink) -> APIRouter:
    """``POST /articles`` over ``sink`` (the topic) and ``store`` (the ``api_articles`` counter)."""
    router = APIRouter(tags=["articles"])

    @router.post(
        "/articles",
        status_code=202,
        response_model=Accepted,
        openapi_extra={"requestBody": ARTICLE_BODY_SCHEMA},
        responses={
            400: {"model": Invalid},
            413: {"model": Invalid},
            415: {"model": Invalid},
            422: {"model": Invalid},
            503: {"model": Invalid},
        },
    )
    async def post_articles(request: Request) -> Any:
        """Publish one article or a list of them to topic ``articles``; 202 with their ids."""
        raw = await request.body()  # BodyGuard: JSON only, refused at MAX_REQUEST_BYTES while read
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            msg = f"body is not JSON: {exc.msg if isinstance(exc, json.JSONDecodeError) else exc}"
            return JSONResponse(
                Invalid(detail=msg, errors=[FieldError(index=None, field="body", message=msg)]).model_dump(), 400
            )
        articles, errors = parse_articles(data)
        if errors:
            first = errors[0]
            where = f"[{first.index}]." if first.index is not None else ""
            detail = f"invalid article: {where}{first.field}: {first.message}"
            return JSONResponse(Invalid(detail=detail, errors=errors[:50]).model_dump(), 422)
        records = [a.model_dump(mode="json", exclude_none=True) for a in articles]
        try:
            await sink.send(records)
        except SinkUnavailable as exc:
            return JSONResponse(Invalid(detail=str(exc)).model_dump(), 503)
        try:  # the articles are on the topic: a counter Redis cannot take now is no error of the request
            await store.bump("api_articles", len(records))
        except Exception:
            log.warning("counting %d accepted articles failed", len(records), exc_info=True)
        return Accepted(ids=[a.id for a in articles], topic=settings.topics.articles)

    return router
