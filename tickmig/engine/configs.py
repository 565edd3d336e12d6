"""The TM3xx rules over the Telegraf and kapacitor.conf files: each file is read once into its
typed facts, the enabled rules run on it, findings silenced by a `# tickmig: ignore[TM3xx]`
comment (on their line or the line above; `# tickmig: ignore-file[...]` for the whole file)
are dropped, and the patched copy applies the fixes of the findings that remain. `check`
shows the findings; `report` shows them with the patched copies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tickmig.configs.kapacitor_facts import KapacitorConf, kapacitor_conf
from tickmig.configs.model import (
    ClusterUse,
    ConfigFileReport,
    ConfigFinding,
    ConfigProblemInfo,
    Facts,
    InfluxSection,
    KapacitorReport,
    KapacitorTarget,
    TelegrafReport,
)
from tickmig.configs.patches import SetKey, apply
from tickmig.configs.secrets import mask_secrets, redact_url
from tickmig.configs.telegraf import kapacitor_outputs, patched_name, snippet
from tickmig.configs.telegraf_facts import telegraf_conf
from tickmig.configs.tomledit import PatchError, TomlEditor
from tickmig.configs.tomlfile import TomlProblem, read_toml
from tickmig.diagnostics import Diagnostic, FileResult, InputProblem, Severity
from tickmig.rules import config_rules
from tickmig.rules.helpers.config import ConfigContext, ConfigKind, ConfigRule, RuleFinding

SUPPRESSION = re.compile(r"#\s*tickmig:\s*(ignore-file|ignore)(?![\w-])(?:\[([A-Za-z0-9_, ]*)\])?")


@dataclass
class ConfigCheck:
    """The check of every configuration file given."""

    telegraf: TelegrafReport
    kapacitor: KapacitorReport
    #: One result per file that was read (its findings), for `check`'s output formats.
    results: list[FileResult] = field(default_factory=list)
    #: Files that could not be read or parsed (exit status 2).
    problems: list[InputProblem] = field(default_factory=list)
    #: The facts the rules saw (Kapacitor's URL and kapacitor.conf filled in).
    facts: Facts | None = None


def check_configs(
    facts: Facts,
    telegraf_paths: list[str],
    kapacitor_path: str | None,
    enabled: set[str] | None = None,
    kapacitor_url: str | None = None,
    *,
    target: KapacitorTarget | None = None,
) -> ConfigCheck:
    """Check (and patch copies of) the configuration files with the enabled TM3xx rules.
    `kapacitor_url` is --kapacitor-url; without it Kapacitor's URL comes from kapacitor.conf,
    else it is the placeholder."""
    rules = config_rules(enabled)
    results: list[FileResult] = []
    problems: list[InputProblem] = []
    kreport = KapacitorReport()
    kconf: KapacitorConf | None = None
    kfile: tuple[str, TomlEditor] | None = None
    if kapacitor_path is not None:
        kreport.file = ConfigFileReport(kapacitor_path, patched_name(kapacitor_path))
        try:
            text, data = read_toml(kapacitor_path)
        except TomlProblem as exc:
            kreport.file.error = ConfigProblemInfo(exc.message, exc.line, exc.column)
            problems.append(InputProblem(kapacitor_path, exc.message, exc.line, exc.column))
        else:
            editor = TomlEditor(kapacitor_path, text, data)
            kconf = kapacitor_conf(kapacitor_path, editor)
            kfile = (text, editor)
    if target is None:
        target = KapacitorTarget.choose(kapacitor_url, kconf.url if kconf else None, kapacitor_path)
    if target.placeholder and not facts.kapacitor.placeholder:
        target = facts.kapacitor  # the caller knew it already
    facts = replace(facts, kapacitor=target, kapacitor_conf=kconf)
    if kfile is not None and kconf is not None and kreport.file is not None:
        ctx = ConfigContext("kapacitor", kconf.path, kfile[0], kfile[1], facts, kapacitor=kconf)
        results.append(_check_file(ctx, rules, kreport.file))
    _kapacitor_summary(kreport, kconf, facts, kapacitor_path)
    outputs = kapacitor_outputs(facts)
    treport = TelegrafReport(redact_url(target.url), target.source, outputs)
    treport.snippet = mask_secrets(
        snippet(
            outputs,
            target.url,
            facts.settings.org,
            facts.patch_influx_url,
            v3=facts.mappings.profile.v3,
            product=facts.mappings.profile.product,
        )
    )
    for path in telegraf_paths:
        file = ConfigFileReport(path, patched_name(path))
        treport.files.append(file)
        try:
            text, data = read_toml(path)
            editor = TomlEditor(path, text, data)
            tconf = telegraf_conf(path, editor)  # refuses what Telegraf's loader refuses
        except TomlProblem as exc:
            file.error = ConfigProblemInfo(exc.message, exc.line, exc.column)
            problems.append(InputProblem(path, exc.message, exc.line, exc.column))
            continue
        ctx = ConfigContext("telegraf", path, text, editor, facts, telegraf=tconf, kapacitor=kconf)
        results.append(_check_file(ctx, rules, file))
    return ConfigCheck(treport, kreport, results, problems, facts)


def _check_file(ctx: ConfigContext, rules: list[ConfigRule], file: ConfigFileReport) -> FileResult:
    found = _suppress(_run(ctx, [r for r in rules if r.config == ctx.kind]), ctx.text)
    found.sort(key=lambda f: f.diagnostic.sort_key())
    file.findings = [
        ConfigFinding(
            f.diagnostic.severity.value,
            f.diagnostic.message,
            f.diagnostic.location.line,
            None,
            f.diagnostic.code,
        )
        for f in found
    ]
    editor = TomlEditor(ctx.path, ctx.text, ctx.editor.data)
    actions = [a for f in found for a in f.actions]
    for action in sorted(actions, key=lambda a: not isinstance(a, SetKey)):
        apply(editor, action)
    _finish(file, editor, ctx.text)
    return FileResult(ctx.path, [f.diagnostic for f in found], None, ctx.text)


def _run(ctx: ConfigContext, rules: list[ConfigRule]) -> list[RuleFinding]:
    out: list[RuleFinding] = []
    for rule in rules:
        try:
            out.extend(rule.check_config(ctx))
        except Exception as exc:  # a bug in one rule must not lose the other findings
            out.append(
                RuleFinding(
                    Diagnostic(
                        "TM000",
                        "internal-error",
                        f"internal error in {rule.code} ({rule.name}): {type(exc).__name__}: "
                        f"{exc} — please report it",
                        Severity.ERROR,
                        ctx.location(None),
                    )
                )
            )
    return out


def _suppress(found: list[RuleFinding], text: str) -> list[RuleFinding]:
    """Drop findings silenced by `# tickmig: ignore[TM3xx]` comments (no codes: all)."""
    lines: dict[int, set[str] | None] = {}
    file_codes: set[str] = set()
    whole_file = False
    for number, line in enumerate(text.splitlines(), start=1):
        for match in SUPPRESSION.finditer(line):
            codes = {c.strip().upper() for c in (match.group(2) or "").split(",") if c.strip()}
            if match.group(1) == "ignore-file":
                whole_file = whole_file or not codes
                file_codes |= codes
                continue
            for target in (number, number + 1):
                known = lines.get(target, set())
                lines[target] = None if not codes or known is None else known | codes
    kept = []
    for f in found:
        rule, row = f.diagnostic.code, f.diagnostic.location.line
        if whole_file or rule in file_codes:
            continue
        silenced = lines.get(row, set())
        if silenced is None or rule in silenced:
            continue
        kept.append(f)
    return kept


def _finish(file: ConfigFileReport, editor: TomlEditor, text: str) -> None:
    from tickmig.text.diffs import unified_diff

    try:
        patched = editor.result()
    except PatchError as exc:
        file.error = ConfigProblemInfo(
            f"tickmig could not patch it safely (a tickmig bug, not a problem of the file; "
            f"please report it): {exc}",
            None,
            None,
        )
        return
    file.patched_text = patched
    file.diff = unified_diff(file.path, mask_secrets(text), mask_secrets(patched))


def _kapacitor_summary(
    report: KapacitorReport, conf: KapacitorConf | None, facts: Facts, path: str | None
) -> None:
    """The report's view of kapacitor.conf: its sections, the clusters tasks use, and the
    warnings that stand without a readable file."""
    from tickmig.rules.kapacitor_config_overrides import override_warning

    if conf is not None:
        report.sections = [
            InfluxSection(
                c.index,
                c.name,
                c.enabled,
                c.default,
                list(c.urls),
                c.auth,
                c.disable_subscriptions,
                sorted(facts.clusters.get(c.name, set())),
            )
            for c in conf.influxdb
        ]
    enabled = {c.name for c in conf.enabled_clusters()} if conf is not None else set()
    for name, tasks in sorted(facts.clusters.items(), key=lambda x: (x[0] is None, x[0] or "")):
        found = None if conf is None or name is None else name in enabled
        report.clusters.append(ClusterUse(name or "<unknown>", sorted(tasks), found))
    if conf is None:
        report.warnings = [override_warning(facts.kapacitor.url, None)]
        report.warnings.append(
            "No --kapacitor-conf given: the [[influxdb]] sections were not checked."
            if path is None
            else f"{path} could not be read: the [[influxdb]] sections and the .cluster() "
            "names were not checked."
        )


__all__ = ["ConfigCheck", "ConfigKind", "check_configs"]
