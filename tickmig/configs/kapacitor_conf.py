"""kapacitor.conf against InfluxDB 2: checks every `[[influxdb]]` section (URLs, credentials,
`disable-subscriptions`), the `.cluster('name')` references of the tasks, the top-level
`default-retention-policy`, and patches a copy (comments and layout kept). Secret values are
never copied into the report: the diff is computed on masked texts."""

from __future__ import annotations

from typing import Any

from tickmig.configs.model import (
    ClusterUse,
    ConfigFileReport,
    ConfigFinding,
    ConfigProblemInfo,
    Facts,
    InfluxSection,
    KapacitorReport,
)
from tickmig.configs.telegraf import patched_name
from tickmig.configs.tomledit import (
    PatchError,
    Section,
    TomlEditor,
    TomlProblem,
    mask_secrets,
    read_toml,
    redact_url,
)

KAPACITOR_DEFAULT_URL = "http://localhost:8086"


def override_warning(kapacitor_url: str, skip: bool | None) -> str:
    state = (
        "this file sets skip-config-overrides = true"
        if skip
        else "this file does not set skip-config-overrides = true"
        if skip is False
        else "unless skip-config-overrides = true"
    )
    return (
        "Settings saved through Kapacitor's API (/kapacitor/v1/config, e.g. by Chronograf) "
        f"override kapacitor.conf when Kapacitor starts ({state}): check them with "
        f"curl -s {redact_url(kapacitor_url)}/kapacitor/v1/config/influxdb and remove or "
        "update them, "
        "or the edits to the file may not take effect."
    )


def kapacitor_report(facts: Facts, path: str | None, kapacitor_url: str) -> KapacitorReport:
    report = KapacitorReport()
    clusters = {name: sorted(tasks) for name, tasks in facts.clusters.items()}
    if path is None:
        report.clusters = [
            ClusterUse(name or "<unknown>", tasks, None)
            for name, tasks in sorted(clusters.items(), key=_cluster_key)
        ]
        report.warnings = [
            override_warning(kapacitor_url, None),
            "No --kapacitor-conf given: the [[influxdb]] sections were not checked.",
        ]
        return report
    file = report.file = ConfigFileReport(path, patched_name(path))
    try:
        text, data = read_toml(path)
    except TomlProblem as exc:
        file.error = ConfigProblemInfo(exc.message, exc.line, exc.column)
        report.clusters = [
            ClusterUse(name or "<unknown>", tasks, None)
            for name, tasks in sorted(clusters.items(), key=_cluster_key)
        ]
        report.warnings = [
            override_warning(kapacitor_url, None),
            f"{path} could not be read: the [[influxdb]] sections and the .cluster() names "
            "were not checked.",
        ]
        return report
    skip = data.get("skip-config-overrides")
    report.warnings = [override_warning(kapacitor_url, skip is True)]
    editor = TomlEditor(path, text, data)
    _Check(facts, data, editor, report, file).run()
    _finish(file, editor, text)
    return report


def _cluster_key(item: tuple[str | None, list[str]]) -> tuple[bool, str]:
    return (item[0] is None, item[0] or "")


class _Check:
    def __init__(
        self,
        facts: Facts,
        data: dict[str, Any],
        editor: TomlEditor,
        report: KapacitorReport,
        file: ConfigFileReport,
    ) -> None:
        self.facts = facts
        self.data = data
        self.editor = editor
        self.report = report
        self.findings = file.findings
        raw = data.get("influxdb", [])
        self.array = isinstance(raw, list)
        self.sections: list[dict[str, Any]] = [
            s for s in (raw if isinstance(raw, list) else [raw]) if isinstance(s, dict)
        ]

    def add(
        self, severity: str, message: str, line: int | None = None, section: str | None = None
    ) -> None:
        self.findings.append(ConfigFinding(severity, message, line, section))

    def section(self, index: int) -> Section | None:
        return self.editor.table(("influxdb",), index if self.array else None)

    def path(self, index: int) -> list[str | int]:
        return ["influxdb", index] if self.array else ["influxdb"]

    def run(self) -> None:
        if not self.sections:
            self.add(
                "error",
                "no [[influxdb]] section: Kapacitor would use the built-in "
                f"default ({KAPACITOR_DEFAULT_URL}, no credentials), which InfluxDB 2 "
                "refuses; add one that points at InfluxDB 2 with a token",
            )
        for index, data in enumerate(self.sections):
            self.report.sections.append(self.check_section(index, data))
        self.check_defaults()
        self.check_clusters()
        self.check_urls_agree()
        self.check_flux()
        self.check_retention_policy()
        self.check_fluxtask()
        self.check_http_auth()

    def check_section(self, index: int, data: dict[str, Any]) -> InfluxSection:
        name = str(data.get("name", "default"))
        enabled = data.get("enabled", True) is not False
        where = f'[[influxdb]] "{name}"'
        section = self.section(index)
        header = self.editor.line_of(section) if section is not None else None
        urls = [redact_url(str(u)) for u in _strings(data.get("urls", [KAPACITOR_DEFAULT_URL]))]
        token = str(data.get("token", "") or "")
        username = str(data.get("username", "") or "")
        auth = "token" if token else ("username/password" if username else "none")
        disabled_subs = data.get("disable-subscriptions") is True
        used_by = sorted(self.facts.clusters.get(name, set()))
        info = InfluxSection(
            index, name, enabled, data.get("default") is True, urls, auth, disabled_subs, used_by
        )
        if not enabled:
            self.add("info", f"{where} is disabled (enabled = false): not checked", header, where)
            return info
        if section is None:
            self.add(
                "warning",
                f"{where}: tickmig cannot find its lines, so it is not patched",
                header,
                where,
            )
            return info
        path = self.path(index)
        if not disabled_subs:
            self.add(
                "error",
                f"{where}: disable-subscriptions must be true: InfluxDB 2 has no "
                "subscriptions and Kapacitor refuses to start (not implemented: SHOW "
                "SUBSCRIPTIONS); set to true in the patched copy",
                self.editor.line_of(section, "disable-subscriptions") or header,
                where,
            )
            self.editor.set_value(section, path, "disable-subscriptions", True)
        self.check_auth(index, section, path, where, token, username, "token" in data)
        influx_url = self.facts.settings.influx_url
        if influx_url:
            if urls != [influx_url]:
                self.add(
                    "warning",
                    f"{where}: urls {', '.join(urls)} set to InfluxDB 2 at "
                    f"{redact_url(influx_url)} (--influx-url); keep the section's name",
                    self.editor.line_of(section, "urls") or header,
                    where,
                )
                self.editor.set_value(section, path, "urls", [influx_url])
        else:
            self.add(
                "info",
                f"{where}: urls {', '.join(urls)} must be the URL of InfluxDB 2 "
                "(its 1.x compatibility API); tickmig cannot tell which server that is "
                "(give --influx-url to have it set)",
                self.editor.line_of(section, "urls") or header,
                where,
            )
        return info

    def check_auth(
        self,
        index: int,
        section: Section,
        path: list[str | int],
        where: str,
        token: str,
        username: str,
        has_token_key: bool,
    ) -> None:
        line = self.editor.line_of(section, "username") or self.editor.line_of(section)
        env = f"KAPACITOR_INFLUXDB_{index}_TOKEN"
        if token:
            self.add("info", f"{where} authenticates with a token", line, where)
            return
        if username:
            self.add(
                "warning",
                f'{where} authenticates as the 1.x user "{username}" with a '
                "password: influxd upgrade does not migrate admin users (Kapacitor needed "
                "one), so InfluxDB 2 may refuse it. Set token (Kapacitor >= 1.6; an empty "
                f"token is added to fill in, or set {env}), or use a v1 authorization "
                "(influx v1 auth create) as username/password; a username with an API "
                "token as password also works but some 2.x releases answered 401",
                line,
                where,
            )
        else:
            self.add(
                "error",
                f"{where} has no credentials, and InfluxDB 2 requires them: set "
                f"token (Kapacitor >= 1.6; an empty token is added to fill in, or set "
                f"{env})",
                line,
                where,
            )
        if has_token_key:
            return
        self.editor.set_value(
            section,
            path,
            "token",
            "",
            comments=[
                "InfluxDB 2 API token (Kapacitor >= 1.6), used instead of",
                f"username/password when set. Fill it in, or set {env}.",
            ],
            after=("password", "username", "urls"),
        )

    def enabled(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, s) for i, s in enumerate(self.sections) if s.get("enabled", True) is not False]

    def check_defaults(self) -> None:
        enabled = self.enabled()
        defaults = [str(s.get("name", "default")) for _, s in enabled if s.get("default") is True]
        if len(enabled) > 1 and len(defaults) != 1:
            names = ", ".join(f'"{n}"' for n in defaults) or "none"
            self.add(
                "error",
                f"{len(enabled)} [[influxdb]] sections are enabled and "
                f"{len(defaults)} is marked default = true ({names}): exactly one must be; "
                "nodes without .cluster() use it",
            )

    def check_clusters(self) -> None:
        names = {str(s.get("name", "default")): s for s in self.sections}
        for name, tasks in sorted(
            self.facts.clusters.items(), key=lambda x: (x[0] is None, x[0] or "")
        ):
            used = ", ".join(sorted(tasks))
            if name is None:
                self.report.clusters.append(ClusterUse("<unknown>", sorted(tasks), None))
                self.add(
                    "warning",
                    f"a .cluster() value tickmig cannot follow (in {used}): "
                    "check that it names an [[influxdb]] section",
                )
                continue
            section = names.get(name)
            found = section is not None and section.get("enabled", True) is not False
            self.report.clusters.append(ClusterUse(name, sorted(tasks), found))
            if section is None:
                self.add(
                    "error",
                    f".cluster('{name}') (in {used}) names no [[influxdb]] "
                    f'section: add a section named "{name}" that points at InfluxDB 2',
                )
            elif not found:
                self.add(
                    "error", f".cluster('{name}') (in {used}) names a disabled [[influxdb]] section"
                )
            else:
                self.add(
                    "info",
                    f".cluster('{name}') (in {used}) names an [[influxdb]] section: "
                    "keep its name when pointing it at InfluxDB 2",
                    None,
                    f'[[influxdb]] "{name}"',
                )

    def check_urls_agree(self) -> None:
        if self.facts.settings.influx_url:
            return
        enabled = self.enabled()
        servers = {
            tuple(redact_url(str(u)) for u in _strings(s.get("urls", [KAPACITOR_DEFAULT_URL])))
            for _, s in enabled
        }
        if len(servers) > 1:
            names = ", ".join(f'"{s.get("name", "default")}"' for _, s in enabled)
            self.add(
                "warning",
                f"the [[influxdb]] sections {names} point at different "
                "servers: after the migration the data is in one InfluxDB 2 "
                "organization, so point each at InfluxDB 2 and keep the names (tasks "
                "refer to them with .cluster())",
            )

    def check_flux(self) -> None:
        by_name = {str(s.get("name", "default")): s for _, s in self.enabled()}
        default = next((s for _, s in self.enabled() if s.get("default") is True), None)
        if default is None and len(by_name) == 1:
            default = next(iter(by_name.values()))
        for task, cluster in sorted(self.facts.flux_tasks.items()):
            section = by_name.get(cluster) if cluster is not None else default
            if section is None:
                continue
            if not section.get("token"):
                name = section.get("name", "default")
                self.add(
                    "warning",
                    f"{task} uses queryFlux(), which goes to /api/v2/query: "
                    f'[[influxdb]] "{name}" needs a token (username/password are not '
                    "enough), and the node an .org() or .orgID() of InfluxDB 2",
                )

    def check_retention_policy(self) -> None:
        value = self.data.get("default-retention-policy", "")
        rps = sorted(
            {
                i.pair.retention_policy or ""
                for i in self.facts.stream_inputs
                if i.pair not in self.facts.loopback
            }
        )
        root = self.editor.table(())
        line = self.editor.line_of(root, "default-retention-policy") if root else None
        if not rps:
            return
        if value:
            if value not in rps:
                self.add(
                    "info",
                    f'default-retention-policy is "{value}", which no stream task '
                    f"reads ({', '.join(rps)}): points written without a retention policy "
                    "reach no task",
                    line,
                )
            return
        if len(rps) == 1 and root is not None:
            self.add(
                "warning",
                "default-retention-policy is empty: points written to Kapacitor "
                "without a retention policy reach no stream task (tasks match the exact db "
                f'and rp); every stream task reads "{rps[0]}", set in the patched copy',
                line,
            )
            self.editor.set_value(
                root,
                [],
                "default-retention-policy",
                rps[0],
                comments=["Retention policy of points written to Kapacitor without one."],
            )
        else:
            self.add(
                "warning",
                "default-retention-policy is empty and stream tasks read "
                f"several retention policies ({', '.join(rps)}): every writer must send "
                "the rp (Telegraf: retention_policy)",
                line,
            )

    def check_fluxtask(self) -> None:
        flux = self.data.get("fluxtask")
        if not isinstance(flux, dict) or flux.get("enabled") is not True:
            return
        target = str(flux.get("task-run-influxdb", "") or "")
        names = {str(s.get("name", "default")) for _, s in self.enabled()}
        if target and target != "none" and target not in names:
            self.add(
                "error",
                f'[fluxtask] task-run-influxdb = "{target}" names no enabled [[influxdb]] section',
            )

    def check_http_auth(self) -> None:
        http = self.data.get("http")
        if isinstance(http, dict) and http.get("auth-enabled") is True:
            self.add(
                "info",
                "[http] auth-enabled = true: the Telegraf outputs to Kapacitor need "
                "the username and password of a Kapacitor user allowed to write",
            )


def _strings(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _finish(file: ConfigFileReport, editor: TomlEditor, text: str) -> None:
    from tickmig.text.diffs import unified_diff

    try:
        patched = editor.result()
    except PatchError as exc:
        file.error = ConfigProblemInfo(f"tickmig could not patch it safely: {exc}", None, None)
        return
    file.patched_text = patched
    file.diff = unified_diff(file.path, mask_secrets(text), mask_secrets(patched))
