"""Benchmarks (not part of the product, not run by the tests except a small smoke test).

- ``python -m bench``: the pipeline against the spaCy ceiling (:mod:`bench.pipeline`).
"""
