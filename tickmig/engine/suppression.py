"""`// tickmig: ignore[TMnnn]` and `// tickmig: ignore-file[TMnnn]` comments in scripts: the
findings they silence are dropped after the rules ran (configuration files have their own
`# tickmig:` comments, in tickmig.engine.configs)."""

from __future__ import annotations

import re

from tickmig.diagnostics import Diagnostic
from tickmig.text.spans import LineIndex
from tickmig.tickscript.nodes import Script

SUPPRESSION = re.compile(r"//\s*tickmig:\s*(ignore-file|ignore)(?![\w-])(?:\[([A-Za-z0-9_, ]*)\])?")


def suppress(diagnostics: list[Diagnostic], scripts: dict[str, Script]) -> list[Diagnostic]:
    """Drop findings silenced by `// tickmig: ignore[TMnnn]` on their line or the line above,
    or by `// tickmig: ignore-file[TMnnn]` anywhere in the file (no codes: every code)."""
    rules: dict[str, tuple[dict[int, set[str] | None], set[str] | None, bool]] = {}
    for path, script in scripts.items():
        index = LineIndex(script.source)
        lines: dict[int, set[str] | None] = {}
        file_codes: set[str] | None = set()
        whole_file = False
        for comment in script.comments:
            for match in SUPPRESSION.finditer(comment.value):
                codes = {
                    c.strip().upper() for c in (match.group(2) or "").split(",") if c.strip()
                } or None
                if match.group(1) == "ignore-file":
                    if codes is None:
                        whole_file = True
                    elif file_codes is not None:
                        file_codes |= codes
                    continue
                line, _ = index.line_column(comment.start + match.start())
                for target in (line, line + 1):
                    known = lines.get(target, set())
                    lines[target] = None if codes is None or known is None else known | codes
        rules[path] = (lines, file_codes, whole_file)
    kept = []
    for d in diagnostics:
        entry = rules.get(d.location.path)
        if entry is not None:
            lines, file_codes, whole_file = entry
            if whole_file or (file_codes and d.code in file_codes):
                continue
            codes = lines.get(d.location.line, set())
            if codes is None or d.code in codes:
                continue
        kept.append(d)
    return kept
