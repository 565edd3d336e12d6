"""What a Telegraf configuration says about where its metrics go, as typed facts: every
`[[outputs.influxdb]]` and `[[outputs.influxdb_v2]]` with its destination (urls, database,
retention policy, bucket, the tags that choose them) and its metric filters. Read once per
file; the checks (the TM3xx rules), the patches and the migration model read these values,
never the TOML again. No secret value is kept (only whether credentials are set).

Keys and defaults follow Telegraf's `plugins/outputs/influxdb/sample.conf`,
`plugins/outputs/influxdb_v2/sample.conf` and `docs/CONFIGURATION.md` (metric filtering)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from tickmig.configs.tomledit import TomlEditor
from tickmig.configs.tomlfile import TomlProblem, read_toml

#: `[[outputs.influxdb]]` writes here when `urls` is not set.
TELEGRAF_DEFAULT_URL = "http://localhost:8086"
#: `[[outputs.influxdb]]` writes this database when `database` is not set.
TELEGRAF_DEFAULT_DATABASE = "telegraf"
#: Kapacitor's HTTP port when kapacitor.conf does not say otherwise (`[http] bind-address`).
KAPACITOR_DEFAULT_PORT = 9092

#: Metric filter keys, in the order Telegraf documents them. `tagpass`/`tagdrop` are tables.
SELECTORS = ("namepass", "namedrop", "tagpass", "tagdrop", "metricpass")
MODIFIERS = ("fieldinclude", "fieldexclude", "fieldpass", "fielddrop", "taginclude", "tagexclude")
SEPARATORS = ("namepass_separator", "namedrop_separator")


@dataclass(frozen=True)
class MetricFilters:
    """The metric filters of one plugin (`docs/CONFIGURATION.md`, "Metric Filtering"). A
    field is None when the key is not set."""

    namepass: tuple[str, ...] | None = None
    namedrop: tuple[str, ...] | None = None
    namepass_separator: str | None = None
    namedrop_separator: str | None = None
    tagpass: Mapping[str, tuple[str, ...]] | None = None
    tagdrop: Mapping[str, tuple[str, ...]] | None = None
    metricpass: str | None = None
    fieldinclude: tuple[str, ...] | None = None
    fieldexclude: tuple[str, ...] | None = None
    fieldpass: tuple[str, ...] | None = None
    fielddrop: tuple[str, ...] | None = None
    taginclude: tuple[str, ...] | None = None
    tagexclude: tuple[str, ...] | None = None

    @property
    def empty(self) -> bool:
        return not self.as_toml()

    def as_toml(self) -> dict[str, object]:
        """The keys that are set, as TOML values, in Telegraf's documented order (tables last,
        because a `[x.tagpass]` sub-table must end its plugin's block)."""
        out: dict[str, object] = {}
        for key in (*SELECTORS[:2], *SEPARATORS, "metricpass", *MODIFIERS, *SELECTORS[2:4]):
            value = getattr(self, key)
            if value is None:
                continue
            if isinstance(value, tuple):
                out[key] = list(value)
            elif isinstance(value, Mapping):
                out[key] = {k: list(v) for k, v in value.items()}
            else:
                out[key] = value
        return out


@dataclass(frozen=True)
class TelegrafOutput:
    """One `[[outputs.influxdb]]` (1.x write API) or `[[outputs.influxdb_v2]]` of a file."""

    path: str
    #: "influxdb" or "influxdb_v2".
    plugin: str
    #: Its position among the file's outputs of the same plugin (0-based).
    index: int
    #: 1-based line of its header (None: tickmig cannot place it, e.g. an inline table).
    line: int | None
    urls: tuple[str, ...]
    #: influxdb: the database ("telegraf" when unset); influxdb_v2: None.
    database: str | None = None
    #: influxdb: "" when unset (Telegraf then sends no rp).
    retention_policy: str = ""
    skip_database_creation: bool = False
    database_tag: str = ""
    exclude_database_tag: bool = False
    retention_policy_tag: str = ""
    exclude_retention_policy_tag: bool = False
    #: influxdb_v2 only.
    bucket: str | None = None
    bucket_tag: str = ""
    exclude_bucket_tag: bool = False
    organization: str | None = None
    filters: MetricFilters = field(default_factory=MetricFilters)
    alias: str | None = None
    #: username/password (influxdb) or token (influxdb_v2) are set (values never kept).
    has_credentials: bool = False
    #: Keys set in the file (to tell "unset" from "set to the default").
    keys: frozenset[str] = frozenset()
    #: Written as one table (`[outputs.influxdb]`), which Telegraf reads as one plugin.
    single: bool = False

    @property
    def label(self) -> str:
        if self.single:
            return f"[outputs.{self.plugin}]"
        return f"[[outputs.{self.plugin}]] #{self.index + 1}"

    @property
    def dynamic(self) -> bool:
        """Whether a tag of each metric chooses the database, rp or bucket."""
        return bool(self.database_tag or self.retention_policy_tag or self.bucket_tag)

    def ports(self) -> set[int | None]:
        out: set[int | None] = set()
        for url in self.urls:
            try:
                out.add(urlsplit(url).port)
            except ValueError:
                out.add(None)
        return out

    def writes_to(self, url: str) -> bool:
        """Whether one of its urls is `url` (scheme, host and port; a trailing / ignored)."""
        want = _origin(url)
        return want is not None and any(_origin(u) == want for u in self.urls)

    def to_kapacitor(self, kapacitor_urls: tuple[str, ...] = ()) -> bool:
        """Whether it writes to Kapacitor: one of its urls is a known Kapacitor URL, or uses
        Kapacitor's default port 9092 (InfluxDB listens on 8086)."""
        if self.plugin != "influxdb":
            return False
        if any(self.writes_to(u) for u in kapacitor_urls):
            return True
        return KAPACITOR_DEFAULT_PORT in self.ports()


@dataclass(frozen=True)
class TelegrafConf:
    """The facts of one Telegraf configuration file."""

    path: str
    outputs: tuple[TelegrafOutput, ...]
    #: Plugins written as a single table (`[outputs.influxdb]`) instead of an array of tables:
    #: tickmig can read them but cannot add outputs next to them.
    single_tables: tuple[str, ...] = ()

    def influxdb(self) -> list[TelegrafOutput]:
        return [o for o in self.outputs if o.plugin == "influxdb"]

    def influxdb_v2(self) -> list[TelegrafOutput]:
        return [o for o in self.outputs if o.plugin == "influxdb_v2"]


def load_telegraf(path: str) -> TelegrafConf:
    """Read and parse a Telegraf configuration; raises TomlProblem (line and column)."""
    text, data = read_toml(path)
    return telegraf_conf(path, TomlEditor(path, text, data))


def telegraf_conf(path: str, editor: TomlEditor) -> TelegrafConf:
    """The facts of a parsed Telegraf configuration (its editor gives the lines)."""
    outputs: list[TelegrafOutput] = []
    singles: list[str] = []
    section_data = _outputs_section(path, editor)
    for plugin in ("influxdb", "influxdb_v2"):
        raw = section_data.get(plugin)
        if raw is None:
            continue
        array = isinstance(raw, list)
        if not array:
            singles.append(plugin)
        tables = raw if array else [raw]
        for index, table in enumerate(tables):
            section = editor.table(("outputs", plugin), index if array else None)
            line = editor.line_of(section) if section is not None else None
            output = _output(path, plugin, index, line, table)
            outputs.append(replace(output, single=not array))
    return TelegrafConf(path, tuple(outputs), tuple(singles))


def _outputs_section(path: str, editor: TomlEditor) -> dict[str, Any]:
    """The `outputs` table; raises TomlProblem where Telegraf's loader refuses the file."""
    refused = telegraf_refuses(editor.data)
    if refused is not None:
        message, plugin = refused
        section = editor.table(("outputs",)) if plugin else None
        line = editor.line_of(section) if section is not None else None
        raise TomlProblem(path, message, line)
    data: dict[str, Any] = editor.data.get("outputs", {})
    return data


def telegraf_refuses(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why Telegraf's loader refuses a configuration's outputs (config/config.go,
    LoadConfigData: `outputs` must be a table, and each of its plugins a table, the legacy
    `[outputs.influxdb]` read as one plugin, or an array of tables), with the plugin at
    fault ("" for `outputs` itself); None when it accepts them."""
    outputs = data.get("outputs", {})
    if not isinstance(outputs, dict):
        return (
            'Telegraf refuses this file: "outputs" must be a table ([[outputs.NAME]] '
            'sections): invalid configuration, error parsing field "outputs" as table',
            "",
        )
    for plugin, value in outputs.items():
        tables = value if isinstance(value, list) else [value]
        if not tables or not all(isinstance(t, dict) for t in tables):
            return (
                f"Telegraf refuses this file: outputs.{plugin} must be [[outputs.{plugin}]] "
                f"sections (or one [outputs.{plugin}] table): unsupported config format: "
                f"{plugin}",
                plugin,
            )
    return None


def _output(
    path: str, plugin: str, index: int, line: int | None, t: dict[str, Any]
) -> TelegrafOutput:
    urls = _strings(t.get("urls", [TELEGRAF_DEFAULT_URL]))
    common = {
        "path": path,
        "plugin": plugin,
        "index": index,
        "line": line,
        "urls": urls,
        "filters": metric_filters(t),
        "alias": _str(t.get("alias")),
        "keys": frozenset(t),
    }
    if plugin == "influxdb":
        return TelegrafOutput(
            database=str(t.get("database", TELEGRAF_DEFAULT_DATABASE)),
            retention_policy=str(t.get("retention_policy", "") or ""),
            skip_database_creation=t.get("skip_database_creation") is True,
            database_tag=str(t.get("database_tag", "") or ""),
            exclude_database_tag=t.get("exclude_database_tag") is True,
            retention_policy_tag=str(t.get("retention_policy_tag", "") or ""),
            exclude_retention_policy_tag=t.get("exclude_retention_policy_tag") is True,
            has_credentials=bool(t.get("username") or t.get("password")),
            **common,  # type: ignore[arg-type]
        )
    return TelegrafOutput(
        bucket=_str(t.get("bucket")),
        bucket_tag=str(t.get("bucket_tag", "") or ""),
        exclude_bucket_tag=t.get("exclude_bucket_tag") is True,
        organization=_str(t.get("organization")),
        has_credentials=bool(t.get("token")),
        **common,  # type: ignore[arg-type]
    )


def metric_filters(table: Mapping[str, Any]) -> MetricFilters:
    """The metric filters set in a plugin's table (`fieldpass`/`fielddrop` are the deprecated
    names of `fieldinclude`/`fieldexclude` and are kept as written)."""

    def names(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        return None if value is None else _strings(value)

    def tags(key: str) -> dict[str, tuple[str, ...]] | None:
        value = table.get(key)
        if not isinstance(value, Mapping):
            return None
        return {str(k): _strings(v) for k, v in value.items()}

    return MetricFilters(
        namepass=names("namepass"),
        namedrop=names("namedrop"),
        namepass_separator=_str(table.get("namepass_separator")),
        namedrop_separator=_str(table.get("namedrop_separator")),
        tagpass=tags("tagpass"),
        tagdrop=tags("tagdrop"),
        metricpass=_str(table.get("metricpass")),
        fieldinclude=names("fieldinclude"),
        fieldexclude=names("fieldexclude"),
        fieldpass=names("fieldpass"),
        fielddrop=names("fielddrop"),
        taginclude=names("taginclude"),
        tagexclude=names("tagexclude"),
    )


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, parts.hostname.lower(), port if port is not None else default)
