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


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus_oracle() -> list[dict[str, Any]]:
    """ORACLE.jsonl rows, or [] when the corpus is absent (the tests then skip or fail)."""
    path = CORPUS / "ORACLE.jsonl"
    return load_jsonl(path) if path.is_file() else []


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_bytes().decode("utf-8")
