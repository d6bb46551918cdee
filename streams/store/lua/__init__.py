"""The Redis stores' Lua scripts, one ``.lua`` file each beside this module (shipped as package data).

A module reads its scripts once, at import (:func:`source`), and registers them on its client
(``register_script``: run by SHA, loaded again if Redis lost them) or, where a script must run inside
a MULTI transaction, sends them whole with ``EVAL``. Each file's first line says where its KEYS and
ARGV are documented.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


def names() -> list[str]:
    """The names of every script file here (without ``.lua``), sorted."""
    return sorted(p.name[: -len(".lua")] for p in files(__name__).iterdir() if p.name.endswith(".lua"))


@cache
def source(name: str) -> str:
    """The text of script ``name`` (``lua/{name}.lua``), read once per process."""
    return (files(__name__) / f"{name}.lua").read_text(encoding="utf-8")
