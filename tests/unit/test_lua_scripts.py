"""The Redis stores' Lua scripts: every file the code names is there, loads, and ships in the wheel."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from streams.store import lua

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"""\blua\.source\(\s*["']([^"']+)["']\s*\)""")


def named_in_code() -> dict[str, list[str]]:
    """Script name -> the modules of ``streams/`` that load it (``lua.source("name")``)."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "streams").rglob("*.py")):
        for name in NAMED.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_script_named_in_code_exists_and_loads() -> None:
    named = named_in_code()
    assert len(named) >= 9, named  # the store's, the summary index's, the ledger's and the lease's
    for name, where in named.items():
        text = lua.source(name)
        assert text.strip(), (name, where)
        assert "redis.call" in text, (name, where)
        assert text == (ROOT / "streams" / "store" / "lua" / f"{name}.lua").read_text(encoding="utf-8")
        assert lua.source(name) is text  # read once per process


def test_every_script_file_is_named_in_code() -> None:
    assert lua.names() == sorted(named_in_code())


def test_the_scripts_ship_in_the_wheel() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "*.lua" in setuptools["package-data"]["streams.store.lua"]
    assert (ROOT / "streams" / "store" / "lua" / "__init__.py").is_file()  # a package: found by packages.find
