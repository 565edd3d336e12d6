"""`--output-format json-lines`: one compact JSON object per diagnostic, in report order, each
the `json` format's diagnostic with the checked file's `path` in front."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from tickmig.diagnostics import FileResult
from tickmig.output.common import diagnostic_dict, ordered, posix_path
from tickmig.rules.info import RuleInfo


def render(
    results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
) -> str:
    lines: list[str] = []
    for result, diagnostics in ordered(results):
        for diagnostic in diagnostics:
            row = {"path": posix_path(result.path), **diagnostic_dict(diagnostic)}
            lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    return "".join(lines)
