"""What a kapacitor.conf says, as typed facts: its `[[influxdb]]` clusters, the listeners that
write points into Kapacitor without InfluxDB (`[[udp]]`, `[[graphite]]`, `[collectd]`,
`[opentsdb]`), the address Kapacitor serves on (`hostname`, `[http] bind-address`,
`https-enabled`), `default-retention-policy`, and whether stored config overrides apply
(`skip-config-overrides`, `[config-override] enabled`). Read once per file; the checks (the
TM3xx rules), the patches and the migration model read these values. No secret is kept.

Keys and defaults follow Kapacitor's `server/config.go`, `services/httpd/config.go`,
`services/udp/config.go`, `services/influxdb/config.go` and `etc/kapacitor/kapacitor.conf`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tickmig.configs.tomledit import TomlEditor
from tickmig.configs.tomlfile import read_toml

#: Kapacitor's built-in `[[influxdb]]` URL when a section sets no `urls`.
KAPACITOR_INFLUX_DEFAULT_URL = "http://localhost:8086"
KAPACITOR_DEFAULT_HOSTNAME = "localhost"
KAPACITOR_DEFAULT_BIND = ":9092"
#: Listener sections (`[[udp]]`, `[[graphite]]` are arrays of tables).
LISTENERS = ("udp", "graphite", "collectd", "opentsdb")
#: The database a listener writes when its section sets none: Kapacitor embeds InfluxDB
#: 1.x's collectd, opentsdb and graphite services (services/*/config.go DefaultDatabase);
#: its own `[[udp]]` (services/udp/config.go) has no default. The retention policy defaults
#: to "" everywhere (then Kapacitor applies default-retention-policy).
LISTENER_DEFAULT_DATABASE = {
    "udp": "",
    "graphite": "graphite",
    "collectd": "collectd",
    "opentsdb": "opentsdb",
}


@dataclass(frozen=True)
class InfluxDBCluster:
    """One `[[influxdb]]` section: an InfluxDB that Kapacitor queries and writes to."""

    index: int
    name: str
    enabled: bool
    default: bool
    #: Passwords inside URLs are masked.
    urls: tuple[str, ...]
    #: "token", "username/password" or "none".
    auth: str
    username: str
    has_token_key: bool
    disable_subscriptions: bool
    line: int | None
    #: Whether the file sets `urls` (else Kapacitor's default applies).
    urls_set: bool = True


@dataclass(frozen=True)
class Listener:
    """A service that writes the points it receives into Kapacitor (no InfluxDB involved)."""

    #: "udp", "graphite", "collectd" or "opentsdb".
    kind: str
    index: int
    enabled: bool
    bind_address: str
    database: str
    #: "" when unset: Kapacitor then applies default-retention-policy.
    retention_policy: str
    line: int | None

    @property
    def label(self) -> str:
        return (
            f"[[{self.kind}]] #{self.index + 1}"
            if self.kind in ("udp", "graphite")
            else (f"[{self.kind}]")
        )


@dataclass(frozen=True)
class HttpConf:
    bind_address: str = KAPACITOR_DEFAULT_BIND
    https_enabled: bool = False
    auth_enabled: bool = False
    line: int | None = None

    @property
    def port(self) -> int | None:
        _host, sep, port = self.bind_address.rpartition(":")
        if not sep or not port.isdigit():
            return None
        return int(port)


@dataclass(frozen=True)
class KapacitorConf:
    """The facts of one kapacitor.conf."""

    path: str
    hostname: str = KAPACITOR_DEFAULT_HOSTNAME
    #: Whether the file sets `hostname` (else Kapacitor's default "localhost").
    hostname_set: bool = False
    http: HttpConf = HttpConf()
    default_retention_policy: str = ""
    #: 1-based line of `default-retention-policy` (None: not in the file).
    default_retention_policy_line: int | None = None
    skip_config_overrides: bool = False
    #: `[config-override] enabled` (Kapacitor's default: true).
    config_override_enabled: bool = True
    influxdb: tuple[InfluxDBCluster, ...] = ()
    #: True when `influxdb` is a single table (`[influxdb]`), not an array of tables.
    influxdb_single_table: bool = False
    listeners: tuple[Listener, ...] = ()
    fluxtask_enabled: bool = False
    fluxtask_influxdb: str = ""

    @property
    def url(self) -> str | None:
        """Kapacitor's own URL as it computes it (`services/httpd/service.go`: scheme from
        https-enabled, `hostname`, the port of `[http] bind-address`); None without a port."""
        port = self.http.port
        if port is None:
            return None
        scheme = "https" if self.http.https_enabled else "http"
        return f"{scheme}://{self.hostname}:{port}"

    @property
    def overrides_apply(self) -> bool:
        """Whether settings stored through /kapacitor/v1/config replace the file's at start."""
        return self.config_override_enabled and not self.skip_config_overrides

    def enabled_clusters(self) -> list[InfluxDBCluster]:
        return [c for c in self.influxdb if c.enabled]

    def listener_pairs(self) -> dict[tuple[str, str | None], Listener]:
        """(database, retention policy) each enabled listener writes into Kapacitor, the rp
        completed by default-retention-policy as Kapacitor does (None: still empty)."""
        out: dict[tuple[str, str | None], Listener] = {}
        for listener in self.listeners:
            if not listener.enabled or not listener.database:
                continue
            rp = listener.retention_policy or self.default_retention_policy or None
            out.setdefault((listener.database, rp), listener)
        return out


def load_kapacitor_conf(path: str) -> KapacitorConf:
    """Read and parse a kapacitor.conf; raises TomlProblem (line and column)."""
    text, data = read_toml(path)
    return kapacitor_conf(path, TomlEditor(path, text, data))


def kapacitor_conf(path: str, editor: TomlEditor) -> KapacitorConf:
    data = editor.data
    root = editor.table(())
    http_data = _table(data.get("http"))
    http_section = editor.table(("http",))
    http = HttpConf(
        str(http_data.get("bind-address", KAPACITOR_DEFAULT_BIND)),
        http_data.get("https-enabled") is True,
        http_data.get("auth-enabled") is True,
        editor.line_of(http_section, "bind-address") if http_section else None,
    )
    override = _table(data.get("config-override"))
    flux = _table(data.get("fluxtask"))
    raw = data.get("influxdb", [])
    array = isinstance(raw, list)
    clusters: list[InfluxDBCluster] = []
    for index, section in enumerate(raw if array else [raw]):
        if isinstance(section, dict):
            table = editor.table(("influxdb",), index if array else None)
            clusters.append(_cluster(index, section, editor.line_of(table) if table else None))
    listeners: list[Listener] = []
    for kind in LISTENERS:
        value = data.get(kind)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        for index, section in enumerate(items):
            if not isinstance(section, dict):
                continue
            table = editor.table((kind,), index if isinstance(value, list) else None)
            listeners.append(
                Listener(
                    kind,
                    index,
                    section.get("enabled") is True,
                    str(section.get("bind-address", "") or ""),
                    str(section.get("database", "") or "") or LISTENER_DEFAULT_DATABASE[kind],
                    str(section.get("retention-policy", "") or ""),
                    editor.line_of(table) if table else None,
                )
            )
    return KapacitorConf(
        path=path,
        hostname=str(data.get("hostname", KAPACITOR_DEFAULT_HOSTNAME) or "")
        or KAPACITOR_DEFAULT_HOSTNAME,
        hostname_set="hostname" in data,
        http=http,
        default_retention_policy=str(data.get("default-retention-policy", "") or ""),
        default_retention_policy_line=(
            editor.line_of(root, "default-retention-policy") if root else None
        ),
        skip_config_overrides=data.get("skip-config-overrides") is True,
        config_override_enabled=override.get("enabled", True) is not False,
        influxdb=tuple(clusters),
        influxdb_single_table=bool(clusters) and not array,
        listeners=tuple(listeners),
        fluxtask_enabled=flux.get("enabled") is True,
        fluxtask_influxdb=str(flux.get("task-run-influxdb", "") or ""),
    )


def _cluster(index: int, data: dict[str, Any], line: int | None) -> InfluxDBCluster:
    from tickmig.configs.secrets import redact_url

    token = str(data.get("token", "") or "")
    username = str(data.get("username", "") or "")
    raw_urls = data.get("urls")
    urls = raw_urls if raw_urls is not None else [KAPACITOR_INFLUX_DEFAULT_URL]
    return InfluxDBCluster(
        index=index,
        name=str(data.get("name", "default")),
        enabled=data.get("enabled", True) is not False,
        default=data.get("default") is True,
        urls=tuple(redact_url(str(u)) for u in (urls if isinstance(urls, list) else [urls])),
        auth="token" if token else ("username/password" if username else "none"),
        username=username,
        has_token_key="token" in data,
        disable_subscriptions=data.get("disable-subscriptions") is True,
        line=line,
        urls_set=raw_urls is not None,
    )


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
