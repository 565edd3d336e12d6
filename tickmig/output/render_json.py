"""`--output-format json`: one document with every checked file, its diagnostics and a
summary, indented, with a fixed key order and a `version` for the shape."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from tickmig.diagnostics import FileResult, Severity
from tickmig.output.common import TOOL_NAME, diagnostic_dict, ordered, posix_path
from tickmig.rules.info import RuleInfo
from tickmig.text.jsonfmt import dumps_indented

#: The version of this document's shape; bump it when a key changes meaning or goes away.
FORMAT_VERSION = 1


def render(
    results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
) -> str:
    files: list[dict[str, Any]] = []
    by_code: Counter[str] = Counter()
    by_severity: Counter[str] = Counter()
    for result, diagnostics in ordered(results):
        files.append(
            {
                "path": posix_path(result.path),
                "task_type": result.task_type,
                "diagnostics": [diagnostic_dict(d) for d in diagnostics],
            }
        )
        by_code.update(d.code for d in diagnostics)
        by_severity.update(d.severity.value for d in diagnostics)
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "files": files,
        "summary": {
            "files": len(files),
            "diagnostics": sum(by_code.values()),
            "by_code": dict(sorted(by_code.items())),
            "by_severity": {s.value: by_severity[s.value] for s in Severity},
        },
    }
    return dumps_indented(document) + "\n"
