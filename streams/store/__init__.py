"""The state store: one small interface (:class:`StateStore`), a Redis and an in-memory implementation."""

from agents.ports import Applied, StateStore
from streams.store.memory import MemoryStore

__all__ = ["Applied", "MemoryStore", "StateStore"]
