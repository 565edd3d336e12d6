"""The migration report as data: what `tickmig report` found, proposes and checked. The
builder (tickmig.report.build) fills it; every renderer reads only this model, so the four
formats say the same things. Lists are sorted when they are built; nothing here holds a
secret from a configuration file."""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmig.configs.model import ClusterUse as ClusterUse
from tickmig.configs.model import ConfigFileReport as ConfigFileReport
from tickmig.configs.model import ConfigFinding as ConfigFinding
from tickmig.configs.model import ConfigProblemInfo as ConfigProblemInfo
from tickmig.configs.model import InfluxSection as InfluxSection
from tickmig.configs.model import KapacitorOutput as KapacitorOutput
from tickmig.configs.model import KapacitorReport as KapacitorReport
from tickmig.configs.model import Pair as Pair
from tickmig.configs.model import TelegrafReport as TelegrafReport
from tickmig.model.actions import Action as Action
from tickmig.model.flows import Flow as Flow
from tickmig.model.proof import Verdict as Verdict
from tickmig.tasks.delivery import Delivery

#: Mapping statuses of a DBRP, in the order reports list them. "kapacitor": only
#: kapacitorLoopback writes it, so the points never reach InfluxDB.
STATUSES = ("exact", "default", "virtual", "assumed", "missing", "ambiguous", "system", "kapacitor")
#: Task kinds, in the order reports list them.
KINDS = ("stream", "batch", "template", "invalid", "syntax-error", "task-definition")


@dataclass
class PairReport:
    """One distinct DBRP the tasks use, resolved against the mappings."""

    pair: Pair
    status: str
    bucket: str | None
    reason: str
    #: The plan renames the scripts' reference to this pair (tickmig migrate edits them).
    renamed_to: Pair | None
    read_by: list[str] = field(default_factory=list)
    written_by: list[str] = field(default_factory=list)
    #: Stream tasks that take this pair as input (fed by writes to Kapacitor).
    stream_input_for: list[str] = field(default_factory=list)
    #: After the plan and the actions, as the proof sees the target: (status, bucket) of
    #: the pair the migrated scripts use (`renamed_to` or `pair`); None when InfluxDB 2 is
    #: not involved (system database, Kapacitor only, unknown).
    after: tuple[str, str | None] | None = None


@dataclass
class UseRow:
    """What one task does with one DBRP: every place it reads or writes it, merged."""

    direction: str
    label: str
    pair: Pair | None
    vias: list[str]
    #: "path:line" of each place (path is the task's own file unless it came from elsewhere).
    places: list[str]
    status: str
    bucket: str | None
    #: e.g. the plan renames the pair (tickmig migrate edits the script to follow).
    note: str | None = None


@dataclass
class FindingRow:
    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    #: "safe", "unsafe", "display-only", or None when the finding has no fix.
    fix: str | None


@dataclass
class TaskReport:
    """One file of the load directory: a task script, a template or a task definition."""

    path: str
    id: str
    kind: str
    #: For task definitions: the kind of the task created, and its template file.
    creates: str | None = None
    template: str | None = None
    uses: list[UseRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    diff: str | None = None
    safe_fixes: int = 0
    unsafe_fixes: int = 0
    migration_error: str | None = None
    #: How the migrated task reaches Kapacitor (tickmig.tasks.delivery); None: no task.
    delivery: Delivery | None = None


@dataclass
class Command:
    """One line of the shell script: a command, or (active False) a suggestion left as a
    comment; `comments` go above it."""

    kind: str
    pair: Pair | None
    command: str
    comments: list[str] = field(default_factory=list)
    active: bool = True


@dataclass
class Summary:
    files: int
    kinds: dict[str, int]
    definitions: dict[str, int]
    pairs_read: int
    pairs_written: int
    pairs: int
    by_status: dict[str, int]
    unknown_uses: int
    safe_fixes: int
    files_changed: int
    unsafe_fixes: int
    migration_failures: int
    todos: int
    findings: int
    by_code: dict[str, int]
    commands: int
    config_errors: int
    input_errors: int


@dataclass
class Report:
    paths: list[str]
    org: str | None
    target: str
    mapping_origin: str
    summary: Summary
    pairs: list[PairReport]
    tasks: list[TaskReport]
    commands: list[Command]
    script: str
    telegraf: TelegrafReport
    kapacitor: KapacitorReport
    input_errors: list[str] = field(default_factory=list)
    rule_names: dict[str, str] = field(default_factory=dict)
    #: The migration model's flows, the actions in operator order, and the proof's verdict.
    flows: list[Flow] = field(default_factory=list)
    verdict: Verdict | None = None
    actions: list[Action] = field(default_factory=list)
    #: Where the Kapacitor URL of the Telegraf outputs comes from: option, kapacitor.conf,
    #: placeholder.
    kapacitor_url_source: str = "option"

    @property
    def config_errors(self) -> list[tuple[str, ConfigProblemInfo]]:
        files = [*self.telegraf.files, *([self.kapacitor.file] if self.kapacitor.file else [])]
        return [(f.path, f.error) for f in files if f.error is not None]


@dataclass
class ReportOptions:
    telegraf_confs: list[str] = field(default_factory=list)
    kapacitor_conf: str | None = None
    #: --kapacitor-url; None: from kapacitor.conf, else a placeholder (never a guess).
    kapacitor_url: str | None = None
    #: --patch-influx-url: write this InfluxDB 2 URL into the patched copies.
    patch_influx_url: str | None = None
