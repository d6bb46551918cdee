"""The pure core: text normalisation, claim extraction, event matching and the state merge.

Nothing here does I/O; every function is a plain function over pydantic models (or spaCy Docs).
"""
