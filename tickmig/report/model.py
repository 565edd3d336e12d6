"""The migration report as data: what `tickmig report` found, proposes and checked. The
builder (tickmig.report.build) fills it; every renderer reads only this model, so the four
formats say the same things. Lists are sorted when they are built; nothing here holds a
secret from a configuration file."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Mapping statuses of a DBRP, in the order reports list them. "kapacitor": only
#: kapacitorLoopback writes it, so the points never reach InfluxDB.
STATUSES = ("exact", "default", "virtual", "assumed", "missing", "ambiguous", "system", "kapacitor")
#: Task kinds, in the order reports list them.
KINDS = ("stream", "batch", "template", "invalid", "syntax-error", "task-definition")


@dataclass(frozen=True, order=True)
class Pair:
    """A (database, retention policy) reference; retention_policy None means unset."""

    database: str
    retention_policy: str | None

    @property
    def label(self) -> str:
        if self.retention_policy is None:
            return f'"{self.database}"'
        return f'"{self.database}"."{self.retention_policy}"'

    def sort_key(self) -> tuple[str, str]:
        return (self.database, self.retention_policy or "")


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
class ConfigFinding:
    severity: str
    message: str
    line: int | None = None
    section: str | None = None


@dataclass
class ConfigProblemInfo:
    """Why a configuration file could not be read or parsed (1-based line and column)."""

    message: str
    line: int | None
    column: int | None

    def where(self, path: str) -> str:
        if self.line is None:
            return path
        return f"{path}:{self.line}:{self.column or 1}"


@dataclass
class ConfigFileReport:
    """A --telegraf-conf or --kapacitor-conf file: what was checked and the patched copy."""

    path: str
    patched_name: str
    error: ConfigProblemInfo | None = None
    findings: list[ConfigFinding] = field(default_factory=list)
    #: Unified diff of the patched copy, secrets masked; "" when nothing changes.
    diff: str | None = None
    #: The patched copy with its secrets (written by --patched-dir, never rendered).
    patched_text: str | None = None


@dataclass
class KapacitorOutput:
    """An `[[outputs.influxdb]]` that sends one stream input to Kapacitor."""

    pair: Pair
    tasks: list[str]
    #: The measurements the tasks read, or None when one of them is not known.
    namepass: list[str] | None
    #: The InfluxDB 2 bucket the same data goes to (the pair's mapping), if known.
    bucket: str | None
    status: str
    #: kapacitorLoopback writes it: the data comes from Kapacitor itself, not from writers.
    loopback: bool = False


@dataclass
class TelegrafReport:
    kapacitor_url: str
    outputs: list[KapacitorOutput] = field(default_factory=list)
    snippet: str = ""
    files: list[ConfigFileReport] = field(default_factory=list)


@dataclass
class InfluxSection:
    """One `[[influxdb]]` section of kapacitor.conf (no secret values)."""

    index: int
    name: str
    enabled: bool
    default: bool
    urls: list[str]
    auth: str
    disable_subscriptions: bool
    used_by: list[str] = field(default_factory=list)


@dataclass
class ClusterUse:
    name: str
    used_by: list[str]
    #: True/False when a kapacitor.conf was checked, None otherwise.
    found: bool | None


@dataclass
class KapacitorReport:
    file: ConfigFileReport | None = None
    sections: list[InfluxSection] = field(default_factory=list)
    clusters: list[ClusterUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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

    @property
    def config_errors(self) -> list[tuple[str, ConfigProblemInfo]]:
        files = [*self.telegraf.files, *([self.kapacitor.file] if self.kapacitor.file else [])]
        return [(f.path, f.error) for f in files if f.error is not None]
