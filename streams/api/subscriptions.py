"""``/subscriptions``: webhooks to register, list, read (with their delivery status) and delete."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, field_validator

from agents.ports import StateStore
from schemas.subscription import AlertFilter, DeliveryStatus, Subscription
from streams.api.targets import TargetRefused, check_target
from streams.api.webhooks import SIGNATURE_HEADER
from streams.settings import Settings


class SubscriptionIn(BaseModel):
    """A webhook to register: alerts passing ``filter`` are POSTed to ``url``, signed with ``secret``."""

    url: str = Field(
        min_length=1,
        max_length=2000,
        examples=["https://hooks.example.com/contraflow"],
        pattern=r"^https?://([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(:[1-9][0-9]{0,4})?(/[A-Za-z0-9._~/%-]*)?(\?[A-Za-z0-9._~%&=+-]*)?$",
        description="Absolute http(s) URL of the receiver (a query string is kept; no fragment, no "
        "user:password@); it must resolve to public addresses unless "
        "CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE is set.",
    )
    filter: AlertFilter = Field(default_factory=AlertFilter)
    secret: str | None = Field(
        default=None,
        min_length=8,
        max_length=256,
        description="HMAC-SHA256 key; generated (and returned once) when absent.",
    )
    from_start: bool = Field(default=False, description="Deliver the alerts already logged too.")

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        import httpx

        try:
            url = httpx.URL(v)
        except Exception as exc:
            raise ValueError("url is not a valid URL") from exc
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError("url must be an absolute http:// or https:// URL")
        return v


class SubscriptionOut(BaseModel):
    """A registered webhook (its secret is shown only in the answer to ``POST /subscriptions``)."""

    id: str
    url: str
    filter: AlertFilter
    created_at: datetime
    secret: str | None = None
    signature_header: str = SIGNATURE_HEADER
    status: DeliveryStatus

    @classmethod
    def of(cls, sub: Subscription, status: DeliveryStatus, with_secret: bool = False) -> SubscriptionOut:
        return cls(
            id=sub.id,
            url=sub.url,
            filter=sub.filter,
            created_at=sub.created_at,
            secret=sub.secret if with_secret else None,
            status=status,
        )


def subscriptions_router(settings: Settings, store: StateStore) -> APIRouter:
    """The webhook routes over ``store`` (the dispatcher, run by the app, delivers)."""
    router = APIRouter(tags=["alerts"])

    @router.post("/subscriptions", status_code=201, response_model=SubscriptionOut)
    async def create_subscription(body: SubscriptionIn) -> Any:
        """Register a webhook; the answer shows the secret (the only time it is shown).

        422 when the url does not resolve to public addresses (unless private targets are allowed)."""
        try:
            await check_target(body.url, settings.webhook_allow_private)
        except TargetRefused as exc:
            raise RequestValidationError(
                [{"loc": ("body", "url"), "msg": str(exc), "type": "value_error", "input": body.url}]
            ) from None
        sub = Subscription(
            id="sub-" + uuid.uuid4().hex[:16],
            url=body.url,
            filter=body.filter,
            secret=body.secret or secrets.token_urlsafe(24),
            created_at=datetime.now(UTC),
            start="0" if body.from_start else await store.alert_head(),
        )
        await store.save_subscription(sub)
        return SubscriptionOut.of(sub, await store.delivery_status(sub.id), with_secret=True)

    @router.get("/subscriptions", response_model=list[SubscriptionOut])
    async def list_subscriptions() -> list[SubscriptionOut]:
        """Every webhook with its delivery status."""
        return [SubscriptionOut.of(s, await store.delivery_status(s.id)) for s in await store.list_subscriptions()]

    @router.get("/subscriptions/{sub_id}", response_model=SubscriptionOut, responses={404: {}})
    async def get_subscription(sub_id: str) -> SubscriptionOut:
        """One webhook: deliveries acknowledged, given up, and its recent failures (newest first)."""
        sub = await store.get_subscription(sub_id)
        if sub is None:
            raise HTTPException(404, f"no subscription {sub_id!r}")
        return SubscriptionOut.of(sub, await store.delivery_status(sub_id))

    @router.delete("/subscriptions/{sub_id}", status_code=204, responses={404: {}})
    async def delete_subscription(sub_id: str) -> Response:
        """Stop a webhook and forget its deliveries."""
        if not await store.delete_subscription(sub_id):
            raise HTTPException(404, f"no subscription {sub_id!r}")
        return Response(status_code=204)

    return router
