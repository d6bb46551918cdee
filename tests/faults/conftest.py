"""Fault tier: real broker, Redis and worker processes, broken on purpose (``pytest -m faults``)."""

from tests.servers import servers  # noqa: F401
