"""The README documents every command, and the data README every reference file."""

from __future__ import annotations

from pathlib import Path

import pytest

from occugraph.build.reference import DATA_FILES
from occugraph.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"occugraph {command}" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_reference_file_is_attributed(name: str) -> None:
    assert f"`{name}`" in (ROOT / "data" / "README.md").read_text()


def test_every_runtime_dependency_is_explained() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    readme = (ROOT / "README.md").read_text()
    for requirement in project["dependencies"]:
        name = requirement.split(">")[0].split("=")[0].split("<")[0].strip()
        assert f"| {name} |" in readme, name
