"""Benchmarks (not part of the product, not run by the tests except a small smoke test).

- ``python -m bench``: the pipeline against the spaCy ceiling (:mod:`bench.pipeline`, the run and its
  command line; :mod:`bench.ceiling`, :mod:`bench.e2e`, :mod:`bench.probe`, :mod:`bench.cpu` and
  :mod:`bench.report` its parts; :mod:`bench.corpus` and :mod:`bench.brokers` what it runs on).
"""
