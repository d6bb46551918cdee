"""The HTTP service: articles in; events, alerts (SSE and webhooks), metrics and a dashboard out."""

from streams.api.app import create_api

__all__ = ["create_api"]
