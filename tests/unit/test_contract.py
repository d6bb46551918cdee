"""The outside contract (docs/contract.md, a copy of ../shared/CONTRACT.md): every field it names exists."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from schemas import Alert, Article, ArticleRef, Claim, Contradiction, ContradictionSide, EventState, EventSummary

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract.md"

FIELDS: list[tuple[type[BaseModel], set[str]]] = [
    (Article, {"body", "source", "id", "url", "title", "published_at"}),
    (EventState, {"id", "title", "updated_at", "articles", "claims", "contradictions"}),
    (ArticleRef, {"id", "source", "url", "title", "published_at", "published_date_only"}),
    (Claim, {"id", "article_id", "source", "slot", "value", "attributed_to", "quote"}),
    (Contradiction, {"id", "slot", "detected_at", "detected_by_article", "sides", "kind", "severity", "subject"}),
    (ContradictionSide, {"value", "claim_ids", "sources"}),
    (EventSummary, {"id", "title", "updated_at", "article_ids", "sources", "contradiction_count"}),
    (Alert, {"id", "event_id", "created_at", "article_id", "contradiction", "change"}),
]


def test_every_field_of_the_contract_is_in_the_schemas() -> None:
    for model, names in FIELDS:
        assert names <= set(model.model_fields), f"{model.__name__} lacks {sorted(names - set(model.model_fields))}"


def test_the_contract_names_the_fields_checked_here() -> None:
    text = DOC.read_text(encoding="utf-8")
    for _, names in FIELDS:
        for name in names:
            assert f'"{name}"' in text or f"`{name}`" in text, name
