"""What reports need to know about a rule: its code, name, one-line summary, documentation,
default severity and fix safety (None when it has no fix)."""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.diagnostics import Applicability, Severity


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    explanation: str
    severity: Severity
    fix: Applicability | None
    #: A TM3xx rule: its fix patches a Telegraf or kapacitor.conf copy (`report`), not a script.
    config: bool = False
