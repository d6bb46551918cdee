"""What live feeds published of each page, in Redis (``page:{url}``: the content hash)."""

from __future__ import annotations

from streams.store.redis_base import RedisBase


class RedisPages(RedisBase):
    """The :class:`~agents.ports.PageMemory` in Redis."""

    async def page_hash(self, url: str) -> str | None:
        value = await self.r.get(self._k("page", url))
        return str(value) if value is not None else None

    async def remember_page(self, url: str, content_hash: str) -> None:
        await self.r.set(self._k("page", url), content_hash)
