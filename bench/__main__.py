"""``python -m bench``: the pipeline against the NLP ceiling (see :mod:`bench.pipeline`)."""

from bench.pipeline import main

main()
