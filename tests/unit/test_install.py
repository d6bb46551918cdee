"""The install is locked: every dependency pyproject.toml names is pinned in requirements.lock, within its bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def _name(spec: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0]).lower()


def _wanted() -> list[str]:
    """Every dependency spec of pyproject.toml, runtime and dev."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return list(project["dependencies"] + project["optional-dependencies"]["dev"])


def _pins() -> dict[str, str]:
    """requirements.lock as {normalised name: version}; every line must pin one version."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pins[_name(name)] = version
    return pins


def test_every_dependency_is_pinned() -> None:
    wanted = {_name(s) for s in _wanted()}
    pins = _pins()
    assert wanted <= set(pins), f"not in requirements.lock (run make lock): {sorted(wanted - set(pins))}"


def test_the_lock_satisfies_every_bound() -> None:
    """The pins are what pyproject.toml allows (an upper bound added later holds for the tested versions)."""
    pins = _pins()
    outside = []
    for spec in _wanted():
        req = Requirement(spec)
        pinned = pins.get(_name(req.name))
        if pinned is not None and not req.specifier.contains(pinned, prereleases=True):
            outside.append(f"{req.name}=={pinned} (wants {req.specifier})")
    assert not outside, f"pinned outside pyproject.toml's bounds: {outside}"


def test_every_install_path_uses_the_lock() -> None:
    """make, CI (through make) and the container image install the locked versions."""
    assert "-r requirements.lock" in (ROOT / "Makefile").read_text()
    docker = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in docker and "-c requirements.lock" in docker
    assert "make" in (ROOT / ".ci" / "run").read_text()
