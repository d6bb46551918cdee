"""contraflow's spaCy pipeline components, registered with ``@Language.component``/``factory``."""

from __future__ import annotations

from spacy.language import Language


def add_to(nlp: Language) -> None:
    """Add contraflow's components to a loaded pipeline (idempotent)."""
    return None
