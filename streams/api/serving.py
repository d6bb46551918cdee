"""The HTTP server: uvicorn's, ending the open alert streams as soon as it is asked to stop."""

from __future__ import annotations

from types import FrameType

import uvicorn
from fastapi import FastAPI

from streams.api.hub import AlertHub


class Server(uvicorn.Server):
    """A uvicorn server whose stop (signal or :meth:`stop`) first ends every SSE stream, so that it waits
    only for the requests in flight, not for the graceful timeout, and cancels no stream mid-write."""

    def __init__(self, app: FastAPI, **config: object) -> None:
        super().__init__(uvicorn.Config(app, **config))  # type: ignore[arg-type]
        self.hub: AlertHub = app.state.hub

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.hub.close_streams()
        super().handle_exit(sig, frame)

    def stop(self) -> None:
        """Stop from another thread."""
        self.hub.close_streams()
        self.should_exit = True
