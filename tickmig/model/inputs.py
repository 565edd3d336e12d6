"""What the migration model reads besides the tasks: the writers of the Telegraf files
(`[[outputs.influxdb]]`, `[[outputs.influxdb_v2]]`) and the facts of kapacitor.conf (its
listeners, where its HTTP API is, the default retention policy, config overrides).

These are plain typed facts. A file that cannot be read gives no facts here: the
configuration checks (tickmig.configs) report it with its line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tickmig.configs.kapacitor_facts import LISTENER_DEFAULT_DATABASE
from tickmig.configs.model import Pair

#: Telegraf's metric filters (docs/CONFIGURATION.md "Metric Filtering"), copied onto the
#: output to Kapacitor that mirrors an output.
FILTER_KEYS = (
    "namepass",
    "namepass_separator",
    "namedrop",
    "namedrop_separator",
    "tagpass",
    "tagdrop",
    "metricpass",
    "fieldinclude",
    "fieldexclude",
    "fieldpass",
    "fielddrop",
    "taginclude",
    "tagexclude",
)
#: Kapacitor's input services that write points into its stream (kapacitor.conf).
LISTENER_SECTIONS = ("udp", "collectd", "opentsdb", "graphite")
KAPACITOR_PORT = 9092
#: The Telegraf placeholder when no kapacitor.conf or --kapacitor-url says where Kapacitor
#: is: Telegraf substitutes environment variables in its configuration.
KAPACITOR_URL_PLACEHOLDER = "http://${KAPACITOR_HOST}:9092"


@dataclass(frozen=True)
class TelegrafOutput:
    """One output of a Telegraf file that writes through an InfluxDB write API."""

    path: str
    #: "influxdb" (1.x write API: database/retention_policy) or "influxdb_v2" (bucket).
    plugin: str
    index: int
    urls: tuple[str, ...]
    pair: Pair | None
    bucket: str | None
    #: Where the output writes: "kapacitor" (port 9092 or the Kapacitor URL) or "influxdb".
    destination: str
    #: database_tag / bucket_tag: the (db, rp) comes from each metric.
    dynamic: bool
    filters: tuple[tuple[str, Any], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.path} [[outputs.{self.plugin}]] #{self.index + 1}"


@dataclass(frozen=True)
class Listener:
    """A kapacitor.conf input service that writes into Kapacitor's stream."""

    path: str
    kind: str
    index: int
    bind: str
    pair: Pair

    @property
    def label(self) -> str:
        return f"{self.path} [[{self.kind}]] #{self.index + 1} ({self.bind or 'no bind-address'})"


@dataclass
class KapacitorFacts:
    path: str | None = None
    hostname: str | None = None
    bind_address: str | None = None
    https: bool = False
    default_retention_policy: str = ""
    #: [config-override] enabled (default true) and skip-config-overrides.
    config_override_enabled: bool = True
    skip_config_overrides: bool = False
    listeners: list[Listener] = field(default_factory=list)
    cluster_names: list[str] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        """Where writers reach Kapacitor's HTTP API, when the file says so."""
        if self.path is None:
            return None
        host = self.hostname or "localhost"
        bind = self.bind_address if self.bind_address is not None else f":{KAPACITOR_PORT}"
        bind_host, _, port = bind.rpartition(":")
        if bind_host not in ("", "0.0.0.0", "[::]", "::"):
            host = bind_host
        scheme = "https" if self.https else "http"
        return f"{scheme}://{host}:{port or KAPACITOR_PORT}"


def _str(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _tables(value: object) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def read_kapacitor(path: str | None) -> KapacitorFacts:
    """The facts of a kapacitor.conf (empty facts when there is none or it does not parse)."""
    if path is None:
        return KapacitorFacts()
    from tickmig.configs.tomlfile import TomlProblem, read_toml

    try:
        _text, data = read_toml(path)
    except TomlProblem:
        return KapacitorFacts()
    facts = KapacitorFacts(path)
    facts.hostname = _str(data.get("hostname"), "localhost")
    http = data.get("http") if isinstance(data.get("http"), dict) else {}
    assert isinstance(http, dict)
    facts.bind_address = _str(http.get("bind-address"), f":{KAPACITOR_PORT}")
    facts.https = http.get("https-enabled") is True
    facts.default_retention_policy = _str(data.get("default-retention-policy"))
    override = data.get("config-override")
    facts.config_override_enabled = not (
        isinstance(override, dict) and override.get("enabled") is False
    )
    facts.skip_config_overrides = data.get("skip-config-overrides") is True
    for kind in LISTENER_SECTIONS:
        for index, table in enumerate(_tables(data.get(kind))):
            database = _str(table.get("database")) or LISTENER_DEFAULT_DATABASE[kind]
            if table.get("enabled") is not True or not database:
                continue
            rp = _str(table.get("retention-policy")) or None
            pair = Pair(database, rp)
            facts.listeners.append(
                Listener(path, kind, index, _str(table.get("bind-address")), pair)
            )
    facts.cluster_names = [_str(t.get("name"), "default") for t in _tables(data.get("influxdb"))]
    return facts


def to_kapacitor(url: str, kapacitor_url: str | None) -> bool:
    """Whether a writer's URL is Kapacitor's (its URL, or the port Kapacitor listens on)."""
    if kapacitor_url and url.rstrip("/") == kapacitor_url.rstrip("/"):
        return True
    try:
        return urlsplit(url).port == KAPACITOR_PORT
    except ValueError:
        return False


def read_telegraf(paths: list[str], kapacitor_url: str | None) -> list[TelegrafOutput]:
    """The outputs of the Telegraf files that parse, in file order."""
    from tickmig.configs.telegraf_facts import telegraf_refuses
    from tickmig.configs.tomlfile import TomlProblem, read_toml

    out: list[TelegrafOutput] = []
    for path in paths:
        try:
            _text, data = read_toml(path)
        except TomlProblem:
            continue
        if telegraf_refuses(data) is not None:
            continue  # Telegraf does not start with it: no output of it writes anything
        outputs = data.get("outputs") if isinstance(data.get("outputs"), dict) else {}
        assert isinstance(outputs, dict)
        for plugin in ("influxdb", "influxdb_v2"):
            for index, table in enumerate(_tables(outputs.get(plugin))):
                out.append(_output(path, plugin, index, table, kapacitor_url))
    return out


def _output(
    path: str, plugin: str, index: int, table: dict[str, Any], kapacitor_url: str | None
) -> TelegrafOutput:
    default_url = "http://localhost:8086"
    raw_urls = table.get("urls", [default_url])
    urls = tuple(str(u) for u in (raw_urls if isinstance(raw_urls, list) else [raw_urls]))
    filters = tuple((k, table[k]) for k in FILTER_KEYS if k in table)
    destination = "kapacitor" if any(to_kapacitor(u, kapacitor_url) for u in urls) else "influxdb"
    if plugin == "influxdb":
        pair = Pair(
            _str(table.get("database"), "telegraf"), _str(table.get("retention_policy")) or None
        )
        dynamic = bool(table.get("database_tag")) or bool(table.get("retention_policy_tag"))
        return TelegrafOutput(path, plugin, index, urls, pair, None, destination, dynamic, filters)
    bucket = _str(table.get("bucket")) or None
    dynamic = bool(table.get("bucket_tag"))
    return TelegrafOutput(path, plugin, index, urls, None, bucket, destination, dynamic, filters)
