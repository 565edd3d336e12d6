"""Plan renames apply once: after the migration's first pass, a rename never applies to a pair
that another rename produced (issue 11). With `a->b, b->c` a reference to a ends at b (not c)
while one to b goes to c; a swap `a->b, b->a` settles instead of flipping back and forth."""

from __future__ import annotations

from dataclasses import replace

from tickmig.engine.checker import Checker
from tickmig.mappings.model import Rename


def unchained(checker: Checker) -> Checker:
    """`checker` without the plan renames whose source pair is another rename's result."""
    renames = checker.mappings.renames

    def produced(s: Rename) -> tuple[str, str | None] | None:
        if s.to_database is None:
            return None
        return s.to_database, s.to_retention_policy or s.retention_policy

    def fed(r: Rename) -> bool:
        for s in renames:
            pair = produced(s) if s is not r else None
            if pair is not None and (
                r.matches(*pair) if pair[1] is not None else r.database == pair[0]
            ):
                return True
        return False

    kept = tuple(r for r in renames if not fed(r))
    if kept == renames:
        return checker
    return replace(checker, mappings=replace(checker.mappings, renames=kept))
