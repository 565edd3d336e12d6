"""The review tests' fixtures (defined in helpers.py)."""

from __future__ import annotations

from .helpers import project

__all__ = ["project"]
