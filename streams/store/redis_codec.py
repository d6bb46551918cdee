"""How the Redis store encodes what it keeps, and the slots it holds in process memory.

A compact (archived) state is one value (:data:`COLD`, :func:`freeze`, :func:`thaw`). A claim is kept in
its slot's hash as its position in the state's order, ``|``, and its JSON (:func:`position`,
:func:`parse_claim`); claims never change once stored, so each is parsed once per process.

The claims of a slot grow with the event (hundreds in a big one), and every article reads those of
the slots it touches. So a store keeps the slots it last read or wrote in process memory
(:class:`SlotCache`), each with the version token that its write left in ``ev:{id}:sv``; the view
script sends a slot's claims only when the version in Redis differs from the one held. The writer of
an article's change knows the slots' new content, so a worker that places every article of an event
reads its growing slots from Redis once. A write that does not go through an article (a merge of
events, archiving) drops the versions: the next view reads those slots whole.
"""

from __future__ import annotations

import base64
import itertools
import math
import uuid
import zlib
from collections import OrderedDict

from schemas import ArticleRef, Claim, EventState

COLD = "z:"
"""Prefix of a compact state in ``event:{id}``: base64 of the zlib-compressed EventState JSON."""


def freeze(state: EventState) -> str:
    """A state as one compact value (:data:`COLD`)."""
    return COLD + base64.b64encode(zlib.compress(state.model_dump_json().encode(), 6)).decode()


def thaw(raw: str) -> EventState:
    """The state in a compact value (``raw`` starts with :data:`COLD`)."""
    return EventState.model_validate_json(zlib.decompress(base64.b64decode(raw[len(COLD) :])))


def bound(x: float) -> str | float:
    """A posting score bound as Redis reads it ("-inf", "+inf" or the number)."""
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    return x


def url_key(ref: ArticleRef) -> str:
    """The key of an article's url in ``ev:{id}:u`` (source, LF, url; "" without url)."""
    return f"{ref.source}\n{ref.url}" if ref.url else ""


def position(n: int, i: int) -> str:
    """The position of claim ``i`` of article number ``n`` in the state's order (sorts as text)."""
    return f"{n:012d}.{i:06d}"


_CLAIMS: dict[str, Claim] = {}
"""Parsed claims by their JSON, for the whole process (cleared when it holds ``_CLAIMS_LIMIT``)."""
_CLAIMS_LIMIT = 100_000


def parse_claim(raw: str) -> tuple[str, Claim]:
    """A stored claim (position, Claim), parsed once per process: claims never change once stored."""
    pos, _, body = raw.partition("|")
    c = _CLAIMS.get(body)
    if c is None:
        if len(_CLAIMS) >= _CLAIMS_LIMIT:
            _CLAIMS.clear()
        c = _CLAIMS[body] = Claim.model_validate_json(body)
    return pos, c


def ordered_claims(raws: list[str]) -> list[Claim]:
    """Stored claims in state order."""
    return [c for _, c in sorted((parse_claim(r) for r in raws), key=by_position)]


def by_position(pc: tuple[str, Claim]) -> str:
    """Sort key of a (position, claim)."""
    return pc[0]


Placed = list[tuple[str, Claim]]
"""A slot's claims with their positions, in state order."""

SLOT_CACHE_SLOTS = 4096
"""Slots (of any events) whose claims a store holds in memory at most (:class:`SlotCache`)."""


class SlotCache:
    """The claims of the slots a store last read or wrote, by (event id, slot), each with the version
    token it had then (least recently used dropped first). Process memory only: a slot is used from
    here only when Redis still has the same token (:data:`~streams.store.redis_events.VIEW`)."""

    def __init__(self, limit: int = SLOT_CACHE_SLOTS) -> None:
        self.limit = limit
        self._held: OrderedDict[tuple[str, str], tuple[str, Placed]] = OrderedDict()
        self._prefix = uuid.uuid4().hex[:12]
        self._count = itertools.count(1)
        self.hits = 0
        """Slots a view took from here instead of from Redis."""

    def token(self) -> str:
        """A version token that no other write (of any process) has used."""
        return f"{self._prefix}.{next(self._count)}"

    def get(self, event_id: str, slot: str) -> tuple[str, Placed] | None:
        """The held version and claims of a slot, if any."""
        hit = self._held.get((event_id, slot))
        if hit is not None:
            self._held.move_to_end((event_id, slot))
        return hit

    def put(self, event_id: str, slot: str, token: str, placed: Placed) -> None:
        """Hold a slot's claims as of version ``token``."""
        self._held[(event_id, slot)] = (token, placed)
        self._held.move_to_end((event_id, slot))
        while len(self._held) > self.limit:
            self._held.popitem(last=False)
