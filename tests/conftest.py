"""Shared test fixtures: where the read-only shared corpus lives, and small helpers."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TICKMIG_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "kapacitor"
FIXTURES = ROOT / "fixtures"


def _require_corpus() -> Path:
    if not (CORPUS / "ORACLE.jsonl").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared corpus is missing at {CORPUS}")
        pytest.skip(f"the shared corpus is not at {CORPUS} (set TICKMIG_SHARED)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return _require_corpus()


def corpus_params(values: list[Any], ids: list[str]) -> list[Any]:
    """Parameters over the corpus; without it, one placeholder, so that the test still runs
    and its `corpus_dir` fixture skips it with the reason (or, in CI, fails)."""
    if not values:
        return [pytest.param(None, id="no-shared-corpus")]
    return [pytest.param(v, id=i) for v, i in zip(values, ids, strict=True)]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus_oracle() -> list[dict[str, Any]]:
    """ORACLE.jsonl rows, or [] when the corpus is absent (the tests then skip or fail)."""
    path = CORPUS / "ORACLE.jsonl"
    return load_jsonl(path) if path.is_file() else []


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_bytes().decode("utf-8")


# --- golden files -------------------------------------------------------------------------

UPDATE_HINT = "outdated golden file: run `pytest --update-goldens` and review the diff"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the golden files under fixtures/ from the current output instead of "
        "comparing with them (then review the diff before committing).",
    )


class Goldens:
    """Compares an output with its golden file, or rewrites the file (--update-goldens)."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, path: Path, actual: str | bytes) -> None:
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if self.update:
            if not path.is_file() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            return
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing: {UPDATE_HINT}"
        expected = path.read_bytes()
        if isinstance(actual, str):  # compared as text first, for a readable diff
            assert actual == expected.decode("utf-8"), UPDATE_HINT
        assert data == expected, UPDATE_HINT

    def check_tree(self, folder: Path, actual: Path) -> None:
        """Every file below `actual` equals the one below `folder`, and no file is missing."""
        if self.update:
            import shutil

            if tree(folder) != tree(actual):
                shutil.rmtree(folder, ignore_errors=True)
                shutil.copytree(actual, folder)
            return
        assert tree(actual) == tree(folder), UPDATE_HINT


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def goldens(request: pytest.FixtureRequest) -> Goldens:
    return Goldens(bool(request.config.getoption("--update-goldens")))
