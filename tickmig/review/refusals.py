"""`--decisions FILE --check`: a review must not leave a task Kapacitor refuses. Hunks that
belong together are offered as one proposal, but a decisions file from an older tickmig, or a
change edited by hand, can still leave a `dbrp` statement renamed and its query not."""

from __future__ import annotations

from collections.abc import Iterable

from tickmig.diagnostics import Diagnostic
from tickmig.engine.define_checks import DEFINE_TIME_CODES
from tickmig.review.decisions import DecisionLog, file_key


def refusal_messages(diagnostics: Iterable[Diagnostic]) -> dict[str, list[str]]:
    """Per file, the findings that mean Kapacitor refuses the task, as `code message`."""
    out: dict[str, list[str]] = {}
    for d in diagnostics:
        if d.code in DEFINE_TIME_CODES:
            out.setdefault(file_key(d.location.path), []).append(f"{d.code} {d.message}")
    return out


def refused_after_review(refusals: dict[str, list[str]], log: DecisionLog) -> list[str]:
    """One problem line per file the review rewrote that Kapacitor would now refuse."""
    problems = []
    for path, messages in sorted(refusals.items()):
        record = log.files.get(path)
        if record is None or not record.writes:
            continue
        problems.append(
            f"{path}: the review left a task Kapacitor refuses: {messages[0]} (review it "
            "again: changes that go together are one proposal)"
        )
    return problems
