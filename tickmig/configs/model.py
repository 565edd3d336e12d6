"""What the Telegraf and kapacitor.conf checks know and find: the facts about the tasks they
are given (stream inputs, clusters, how each DBRP resolves) and their results per file. The
report (tickmig.report) carries these results; nothing here holds a secret from a
configuration file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from tickmig.configs.kapacitor_facts import KapacitorConf
from tickmig.mappings import MappingSet
from tickmig.settings import Settings


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


#: Mapping statuses under which a pair lands in a bucket.
RESOLVED_STATUSES = ("exact", "default", "virtual")


class ResolvedPair(Protocol):
    """How a DBRP resolves against the mappings (the report's PairReport is one)."""

    @property
    def status(self) -> str: ...

    @property
    def bucket(self) -> str | None: ...

    @property
    def renamed_to(self) -> Pair | None: ...


@dataclass
class StreamInput:
    """A (db, rp) that stream tasks take as input, with the measurements they read."""

    pair: Pair
    tasks: set[str] = field(default_factory=set)
    measurements: set[str] = field(default_factory=set)
    all_known: bool = True
    #: The database the writers send today when a plan renames it (the migrated tasks read
    #: `pair`): the output to Kapacitor goes into the files that write this one.
    source_database: str | None = None
    #: With source_database: the retention policy the writers send today.
    source_retention_policy: str | None = None


#: The URL written into a Telegraf output to Kapacitor when tickmig does not know Kapacitor's
#: address (no --kapacitor-conf with a port, no --kapacitor-url): Telegraf substitutes
#: environment variables in its configuration, so the placeholder is explicit and fails
#: loudly when left unset. Never a guessed http://localhost:9092.
KAPACITOR_URL_PLACEHOLDER = "${KAPACITOR_URL}"


@dataclass(frozen=True)
class KapacitorTarget:
    """Where Telegraf reaches Kapacitor's write API, and where tickmig learned it."""

    url: str
    #: "--kapacitor-url", the kapacitor.conf path, or "placeholder".
    source: str

    @property
    def placeholder(self) -> bool:
        return self.source == "placeholder"

    @classmethod
    def choose(
        cls, option: str | None, conf_url: str | None, conf_path: str | None
    ) -> KapacitorTarget:
        """--kapacitor-url wins, then the URL kapacitor.conf gives Kapacitor (hostname and
        [http] bind-address), else the placeholder."""
        if option:
            return cls(option, "--kapacitor-url")
        if conf_url and conf_path:
            return cls(conf_url, conf_path)
        return cls(KAPACITOR_URL_PLACEHOLDER, "placeholder")


@dataclass
class Facts:
    """What the configuration checks need to know about the tasks."""

    mappings: MappingSet
    settings: Settings
    stream_inputs: list[StreamInput]
    #: cluster name (None: a value tickmig cannot follow) -> task files using it.
    clusters: dict[str | None, set[str]]
    #: task files that use queryFlux(), with the cluster they name (None: the default).
    flux_tasks: dict[str, str | None]
    pairs: Mapping[Pair, ResolvedPair]
    #: Pairs that kapacitorLoopback writes (their data never leaves Kapacitor).
    loopback: set[Pair]
    #: Where Telegraf reaches Kapacitor (None: the placeholder).
    kapacitor: KapacitorTarget = field(
        default_factory=lambda: KapacitorTarget(KAPACITOR_URL_PLACEHOLDER, "placeholder")
    )
    #: The kapacitor.conf given, when it parses (its listeners feed stream tasks directly).
    kapacitor_conf: KapacitorConf | None = None
    #: Set urls of the outputs/sections to InfluxDB 2 to this (only when asked; never the
    #: address tickmig itself used to read the mappings).
    patch_influx_url: str | None = None
    #: Where each Telegraf output's writes land after the migration's actions, as the
    #: migration model proves it: "FILE [[outputs.influxdb]] #N" -> (lands, where/why).
    writer_landing: Mapping[str, tuple[bool, str]] = field(default_factory=dict)


@dataclass
class ConfigFinding:
    severity: str
    message: str
    line: int | None = None
    section: str | None = None
    #: The TM3xx rule that found it.
    code: str | None = None


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
    #: A kapacitor.conf listener (e.g. "[[udp]] #1") already writes it into Kapacitor.
    fed_by: str | None = None
    #: The pair the migrated tasks read when the plan renames it (the output sends that).
    renamed_to: Pair | None = None

    @property
    def sends(self) -> Pair:
        """The (db, rp) the output to Kapacitor writes: what the migrated tasks read."""
        return self.renamed_to or self.pair

    @property
    def written(self) -> Pair:
        """The (db, rp) the agents write today (before a plan's rename)."""
        if self.source_database is not None:
            return Pair(self.source_database, self.source_retention_policy)
        return self.pair

    #: The database the agents write today when a plan renames it (see StreamInput).
    source_database: str | None = None
    source_retention_policy: str | None = None


@dataclass
class TelegrafReport:
    kapacitor_url: str
    #: Where kapacitor_url comes from: "--kapacitor-url", a kapacitor.conf, or "placeholder".
    kapacitor_url_source: str = "placeholder"
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
