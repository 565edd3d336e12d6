"""The rule interface: each rule is a class in its own module with a stable code, a name, a
severity, a fix safety, and a docstring that says what, why and how to fix."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from tickmig.diagnostics import Applicability, Diagnostic, Fix, Location, Severity
from tickmig.mappings import MappingSet, Resolution
from tickmig.rules.info import RuleInfo
from tickmig.targets.cloudplan import CloudBuckets
from tickmig.targets.plan import V3Plan
from tickmig.tasks.model import Task, Value
from tickmig.text.spans import LineIndex


@dataclass(frozen=True)
class FlowFailure:
    """A data flow of this task that the migration proof says does not land (computed over
    the whole deployment by tickmig.model; see TM130)."""

    path: str
    start: int
    end: int
    message: str


@dataclass
class Context:
    """What a rule sees: the task, the mappings, and the texts of the files involved."""

    task: Task
    mappings: MappingSet
    texts: dict[str, str]
    #: Extra facts from the engine (e.g. "bom" when the file starts with a UTF-8 BOM).
    facts: set[str] = field(default_factory=set)
    #: The InfluxDB 3 databases the whole migration reaches (v3 targets only).
    plan: V3Plan | None = None
    #: The proof's failing flows of this task (only `tickmig check` computes them).
    flow_failures: tuple[FlowFailure, ...] = ()
    #: (database, retention policy) -> who already writes it into Kapacitor, from the
    #: migration model's flows (a kapacitor.conf listener, a Telegraf output to Kapacitor),
    #: and by the kapacitorLoopback() of the other tasks checked.
    fed: Mapping[tuple[str, str | None], str] = field(default_factory=dict)
    #: InfluxDB Cloud: the buckets the whole migration needs, against the plan's limits
    #: (computed by tickmig.model.limits; TM420, TM421).
    cloud: CloudBuckets | None = None
    _indexes: dict[str, LineIndex] = field(default_factory=dict)

    def location(self, path: str, start: int, end: int) -> Location:
        index = self._indexes.get(path)
        if index is None:
            index = self._indexes[path] = LineIndex(self.texts.get(path, ""))
        line, column = index.line_column(start)
        end_line, end_column = index.line_column(end)
        return Location(path, start, end, line, column, end_line, end_column)

    def at(self, value: Value) -> Location:
        return self.location(value.path, value.start, value.end)

    def resolve(
        self, database: str, retention_policy: str | None, direction: str | None = None
    ) -> Resolution:
        return self.mappings.resolve(database, retention_policy, direction)


class Rule:
    """Base class; subclasses set the class attributes and implement check().

    The docstring's `## Example` is run by the tests: each ```tick block before `Use instead`
    is a whole script the rule fires on, each one after it a script it does not fire on
    (```tick bom: stored with a byte order mark; ```tick templates/x.tick, ```yaml
    tasks/x.yaml: the files of a load directory)."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    fix_safety: ClassVar[Applicability | None] = None
    #: `tickmig migrate --annotate` marks its findings that this run does not fix with a
    #: `// TICKMIG-TODO(code)` comment above the statement (changes a script needs).
    annotate: ClassVar[bool] = False
    #: Its findings are about a configuration file; its fix patches the copy `report` writes.
    patches_config: ClassVar[bool] = False

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        raise NotImplementedError

    @classmethod
    def info(cls) -> RuleInfo:
        doc = inspect.cleandoc(cls.__doc__ or "")
        summary = " ".join(doc.split("\n\n", 1)[0].split())
        return RuleInfo(
            cls.code, cls.name, summary, doc, cls.severity, cls.fix_safety, cls.patches_config
        )

    def diagnostic(
        self,
        location: Location,
        message: str,
        *,
        fix: Fix | None = None,
        notes: tuple[str, ...] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            self.code, self.name, message, severity or self.severity, location, fix, notes
        )


def quote_string(text: str) -> str:
    """A TICKscript single-quoted string for `text` (only `'` is escaped)."""
    return "'" + text.replace("'", "\\'") + "'"
