"""Event features of one article: entities, places, incident type, date (see issue 4)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from spacy.tokens import Doc

from schemas import ArticleRef, EventFeatures

_INCIDENTS = ("attack", "bombing", "explosion", "shooting", "earthquake", "quake", "crash", "derail",
              "missile", "fire", "flood", "storm", "riot", "kidnap", "assault", "strike")


def features_from_doc(doc: Doc, ref: ArticleRef, received_at: datetime) -> EventFeatures:
    """What event matching uses of one article."""
    ents = Counter(e.text.lower() for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP", "FAC"))
    places = Counter(e.text.lower() for e in doc.ents if e.label_ in ("GPE", "LOC"))
    text = doc.text.lower()
    incident = [w for w in _INCIDENTS if w in text]
    date, source = (ref.published_at, "published") if ref.published_at else (received_at, "arrival")
    return EventFeatures(
        entities=[e for e, _ in ents.most_common(15)],
        places=[p for p, _ in places.most_common(8)],
        incident=incident,
        keywords=[],
        date=date,
        date_source=source,
        title=ref.title or doc.text.split("\n", 1)[0][:160],
    )
