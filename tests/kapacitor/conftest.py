"""Fixtures of the Kapacitor export/apply tests: a stand-in server seeded from a directory
laid out as a Kapacitor load directory, and a way to run the CLI in-process."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tickmig.cli.app import app

from .server import KapacitorServer, KapacitorState, dbrps_in

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "migration" / "kapacitor"


def seed_from_dir(state: KapacitorState, directory: Path, status: str = "enabled") -> None:
    """Define every template and task of a load directory, as `kapacitor define` would:
    `tasks/<id>.tick` with the DBRPs of `tasks/<id>.yaml` when the script has none."""
    for path in sorted((directory / "templates").glob("*.tick")):
        state.add_template(path.stem, path.read_text(encoding="utf-8"))
    definitions: dict[str, dict[str, Any]] = {}
    for path in sorted((directory / "tasks").iterdir()):
        if path.suffix in (".yaml", ".yml"):
            definitions[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        elif path.suffix == ".json":
            definitions[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((directory / "tasks").glob("*.tick")):
        script = path.read_text(encoding="utf-8")
        data = definitions.pop(path.stem, {})
        state.add_task(
            path.stem,
            script,
            dbrps=None if dbrps_in(script) else data.get("dbrps"),
            variables=data.get("vars"),
            status=status,
        )
    for ident, data in sorted(definitions.items()):
        state.add_task(
            ident,
            template_id=data["template-id"],
            dbrps=data.get("dbrps"),
            variables=data.get("vars"),
            status=status,
        )


@pytest.fixture
def kapacitor() -> Iterator[KapacitorServer]:
    with KapacitorServer() as server:
        yield server


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run tickmig in-process: exit status, standard output, standard error."""
    runner = CliRunner()
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        result = runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return result.exit_code, result.stdout, result.stderr
