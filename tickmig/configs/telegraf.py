"""Telegraf for stream tasks: InfluxDB 2 has no subscriptions, so every (db, rp) that stream
tasks read must be written to Kapacitor directly. Proposes one `[[outputs.influxdb]]` to
Kapacitor per pair (next to the output to InfluxDB 2) and patches the Telegraf configuration
files given with --telegraf-conf (comments and layout kept)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from tickmig.configs.model import (
    ConfigFileReport,
    ConfigFinding,
    ConfigProblemInfo,
    Facts,
    KapacitorOutput,
    Pair,
    TelegrafReport,
)
from tickmig.configs.tomledit import (
    CommentLine,
    PatchError,
    Section,
    TomlEditor,
    TomlProblem,
    mask_secrets,
    read_toml,
    redact_url,
    toml_value,
)

GLOB = frozenset("*?[]")
TELEGRAF_DEFAULT_URL = "http://localhost:8086"
RESOLVED = ("exact", "default", "virtual")


def telegraf_report(facts: Facts, confs: list[str], kapacitor_url: str) -> TelegrafReport:
    report = TelegrafReport(redact_url(kapacitor_url))  # shown: no password (issue 11)
    for item in facts.stream_inputs:
        pair_report = facts.pairs.get(item.pair)
        names = sorted(item.measurements)
        namepass = (
            names if item.all_known and names and not any(GLOB & set(n) for n in names) else None
        )
        report.outputs.append(
            KapacitorOutput(
                item.pair,
                sorted(item.tasks),
                namepass,
                pair_report.bucket if pair_report is not None else None,
                pair_report.status if pair_report is not None else "unknown",
                item.pair in facts.loopback,
                item.source_database,
            )
        )
    report.snippet = mask_secrets(
        snippet(
            report.outputs,
            kapacitor_url,
            facts.settings.org,
            facts.settings.influx_url,
            v3=facts.mappings.profile.v3,
        )
    )
    report.files = [patch_telegraf(path, report.outputs, facts, kapacitor_url) for path in confs]
    return report


def patched_name(path: str) -> str:
    """`telegraf.conf` -> `telegraf.patched.conf`."""
    stem, ext = os.path.splitext(os.path.basename(path))
    return f"{stem}.patched{ext}"


def kapacitor_table(output: KapacitorOutput, kapacitor_url: str) -> dict[str, object]:
    table: dict[str, object] = {
        "urls": [kapacitor_url],
        "database": output.pair.database,
        "retention_policy": output.pair.retention_policy or "",
        "skip_database_creation": True,
    }
    if output.namepass is not None:
        table["#"] = CommentLine("only the measurements the stream tasks read")
        table["namepass"] = list(output.namepass)
    return table


def _intro(output: KapacitorOutput) -> list[str]:
    count = len(output.tasks)
    return [
        f"Kapacitor stream input {output.pair.label} ({count} stream "
        f"task{'s' if count != 1 else ''}; added by tickmig report).",
        "InfluxDB 2 has no subscriptions: stream tasks only see what is written to Kapacitor.",
    ]


def _comment(text: str) -> list[str]:
    import textwrap

    return [
        "# " + line
        for line in textwrap.wrap(text, 96, break_long_words=False, break_on_hyphens=False)
    ]


def snippet(
    outputs: list[KapacitorOutput],
    kapacitor_url: str,
    org: str | None,
    influx_url: str | None,
    *,
    v3: bool = False,
) -> str:
    """Telegraf outputs for every stream input: to Kapacitor, and to InfluxDB 2 (or, with
    `v3`, to InfluxDB 3 through [[outputs.influxdb_v3]] and its db/rp database name)."""
    out: list[str] = []
    for output in outputs:
        pair = output.pair
        tasks = ", ".join(os.path.splitext(os.path.basename(t))[0] for t in output.tasks)
        out += _comment(f"--- {pair.label}, read by the stream tasks {tasks}")
        if output.loopback:
            out += _comment(
                "kapacitorLoopback writes this pair inside Kapacitor: no Telegraf output is needed."
            )
            out.append("")
            continue
        out += _comment(
            "For the Telegraf agents (or other writers) that write this database and "
            "retention policy. To Kapacitor:"
        )
        out.append("[[outputs.influxdb]]")
        for key, value in kapacitor_table(output, kapacitor_url).items():
            out.append(
                f"  ## {value.text}"
                if isinstance(value, CommentLine)
                else f"  {key} = {toml_value(value)}"
            )
        if v3:
            out += _v3_output(pair.database, pair.retention_policy, influx_url)
            continue
        bucket = output.bucket or f"{pair.database}/{pair.retention_policy}"
        state = (
            f"the {output.status} mapping of {pair.label}"
            if output.status in RESOLVED
            else f"{pair.label} is {output.status}: see the commands to run first"
        )
        out += _comment(
            f'To InfluxDB 2, bucket "{bucket}" ({state}); or keep the agent\'s '
            "[[outputs.influxdb]] pointed at InfluxDB 2 with "
            "skip_database_creation = true."
        )
        out += [
            "[[outputs.influxdb_v2]]",
            f"  urls = {toml_value([influx_url or '${INFLUX_URL}'])}",
            f"  token = {toml_value('${INFLUX_TOKEN}')}",
            f"  organization = {toml_value(org or '${INFLUX_ORG}')}",
            f"  bucket = {toml_value(bucket)}",
            "",
        ]
    if not outputs:
        out.append("# No stream task: Telegraf needs no output to Kapacitor.")
    return "\n".join(out).rstrip("\n") + "\n"


def _v3_output(database: str, retention_policy: str | None, influx_url: str | None) -> list[str]:
    """The output to InfluxDB 3 next to the one to Kapacitor: the database a v1 write of the
    pair reaches (influxdata/influxdb core/iox_http/src/write/v1.rs; Telegraf
    plugins/outputs/influxdb_v3)."""
    from tickmig.targets.v3names import write_database

    name = write_database(database, retention_policy)
    return [
        *_comment(f'To InfluxDB 3, database "{name}" (InfluxDB 3 has no retention policies).'),
        "[[outputs.influxdb_v3]]",
        f"  urls = {toml_value([influx_url or '${INFLUXDB3_URL}'])}",
        f"  token = {toml_value('${INFLUXDB3_TOKEN}')}",
        f"  database = {toml_value(name)}",
        "",
    ]


def _to_kapacitor(url: object, kapacitor_url: str) -> bool:
    if not isinstance(url, str):
        return False
    if url.rstrip("/") == kapacitor_url.rstrip("/"):
        return True
    try:
        return urlsplit(url).port == 9092
    except ValueError:
        return False


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


def patch_telegraf(
    path: str, outputs: list[KapacitorOutput], facts: Facts, kapacitor_url: str
) -> ConfigFileReport:
    """Check one Telegraf configuration and patch a copy: `skip_database_creation = true` on
    the outputs to InfluxDB (2 does not implement CREATE DATABASE), and one output to
    Kapacitor per stream input that this agent writes."""
    report = ConfigFileReport(path, patched_name(path))
    try:
        text, data = read_toml(path)
    except TomlProblem as exc:
        report.error = ConfigProblemInfo(exc.message, exc.line, exc.column)
        return report
    editor = TomlEditor(path, text, data)
    findings = report.findings
    section_data = data.get("outputs", {})
    raw_influx = section_data.get("influxdb") if isinstance(section_data, dict) else None
    influx = _list(raw_influx)
    written: set[str] = set()
    dynamic = False
    covered: set[Pair] = set()
    influx_url = facts.settings.influx_url
    for index, output in enumerate(influx):
        section = editor.table(
            ("outputs", "influxdb"), index if isinstance(raw_influx, list) else None
        )
        where = f"[[outputs.influxdb]] #{index + 1}"
        line = editor.line_of(section) if section is not None else None
        urls = output.get("urls", [TELEGRAF_DEFAULT_URL])
        database = str(output.get("database", "telegraf"))
        rp = str(output.get("retention_policy", ""))
        skip = output.get("skip_database_creation") is True
        if any(_to_kapacitor(u, kapacitor_url) for u in _list_of(urls)):
            covered.add(Pair(database, rp or None))
            if not rp:
                findings.append(
                    ConfigFinding(
                        "warning",
                        f"{where} writes {Pair(database, None).label} to Kapacitor "
                        "without retention_policy: stream tasks match the exact (db, rp), so the "
                        "points reach none unless kapacitor.conf sets default-retention-policy",
                        line,
                        where,
                    )
                )
            if not skip and section is not None:
                editor.set_value(
                    section, ["outputs", "influxdb", index], "skip_database_creation", True
                )
            continue
        if output.get("database_tag"):
            dynamic = True
        written.add(database)
        pair = Pair(database, rp or None)
        shown_urls = ", ".join(redact_url(str(u)) for u in _list_of(urls))
        proven = facts.writer_landing.get(f"{path} {where}")
        if proven is not None:
            lands, landing = proven
            findings.append(
                ConfigFinding(
                    "info" if lands else "warning",
                    f"{where} writes {pair.label} to {shown_urls}; after the migration's "
                    f"actions that {'lands in' if lands else 'does not land:'} {landing}",
                    line,
                    where,
                )
            )
        else:
            res = facts.mappings.resolve(database, rp or None)
            status = res.status.value
            text_status = (
                f'bucket "{res.bucket}" ({status} mapping)' if res.ok else f"{status}: {res.reason}"
            )
            findings.append(
                ConfigFinding(
                    "info" if res.ok else "warning",
                    f"{where} writes {pair.label} to {shown_urls}; "
                    f"through InfluxDB 2's 1.x API that is {text_status}",
                    line,
                    where,
                )
            )
        if section is None:
            continue
        if not skip:
            findings.append(
                ConfigFinding(
                    "warning",
                    f"{where}: InfluxDB 2 does not implement CREATE DATABASE (the "
                    "output logs an error at start): set skip_database_creation = true",
                    editor.line_of(section, "skip_database_creation") or line,
                    where,
                )
            )
            editor.set_value(
                section, ["outputs", "influxdb", index], "skip_database_creation", True
            )
        if influx_url and _list_of(urls) != [influx_url]:
            findings.append(
                ConfigFinding(
                    "info",
                    f"{where}: urls set to InfluxDB 2 at {redact_url(influx_url)} (--influx-url)",
                    editor.line_of(section, "urls") or line,
                    where,
                )
            )
            editor.set_value(section, ["outputs", "influxdb", index], "urls", [influx_url])
        elif not influx_url:
            findings.append(
                ConfigFinding(
                    "info",
                    f"{where}: keep it pointed at InfluxDB 2 (the same URL when InfluxDB "
                    "was upgraded in place); its username/password must be a v1 authorization "
                    "(influx v1 auth create) or any username with an API token as password",
                    line,
                    where,
                )
            )
    v2 = section_data.get("influxdb_v2") if isinstance(section_data, dict) else None
    for index, output in enumerate(_list(v2)):
        if output.get("bucket_tag"):
            dynamic = True
        bucket = output.get("bucket")
        if isinstance(bucket, str) and bucket:
            written.add(bucket.partition("/")[0])
            findings.append(
                ConfigFinding(
                    "info",
                    f'[[outputs.influxdb_v2]] #{index + 1} writes bucket "{bucket}"',
                    None,
                    f"[[outputs.influxdb_v2]] #{index + 1}",
                )
            )
    tables: list[tuple[list[str], dict[str, object]]] = []
    for output in outputs:
        if output.loopback or output.pair.retention_policy is None:
            continue
        label = output.pair.label
        if output.pair in covered:
            findings.append(
                ConfigFinding(
                    "info", f"{label} is already written to Kapacitor by this file", None, None
                )
            )
        elif (output.source_database or output.pair.database) in written or dynamic:
            tables.append((_intro(output), kapacitor_table(output, kapacitor_url)))
            findings.append(
                ConfigFinding(
                    "info",
                    f"added an [[outputs.influxdb]] that writes {label} to Kapacitor at "
                    f"{redact_url(kapacitor_url)}"
                    + (
                        f" (namepass: {', '.join(output.namepass)})"
                        if output.namepass
                        else " (every measurement)"
                    ),
                    None,
                    None,
                )
            )
        else:
            findings.append(
                ConfigFinding(
                    "info",
                    f'no output of this file writes database "{output.pair.database}": '
                    f"whoever writes {label} must also send it to Kapacitor",
                    None,
                    None,
                )
            )
    if tables:
        if raw_influx is not None and not isinstance(raw_influx, list):
            findings.append(
                ConfigFinding(
                    "error",
                    "[outputs.influxdb] is a single table, not [[outputs.influxdb]]: "
                    "tickmig cannot add outputs next to it",
                    None,
                    None,
                )
            )
        else:
            editor.add_tables(_after(editor, raw_influx), ["outputs", "influxdb"], tables)
    _finish(report, editor, text)
    return report


def _list_of(urls: object) -> list[object]:
    return list(urls) if isinstance(urls, list) else [urls]


def _after(editor: TomlEditor, raw_influx: object) -> Section | None:
    """Where new outputs go: after the last output to InfluxDB, else after the last output."""
    if isinstance(raw_influx, list) and raw_influx:
        return editor.table(("outputs", "influxdb"), len(raw_influx) - 1)
    outputs = [s for s in editor.sections if s.name[:1] == ("outputs",)]
    return outputs[-1] if outputs else None


def _finish(report: ConfigFileReport, editor: TomlEditor, text: str) -> None:
    from tickmig.text.diffs import unified_diff

    try:
        patched = editor.result()
    except PatchError as exc:
        report.error = ConfigProblemInfo(f"tickmig could not patch it safely: {exc}", None, None)
        return
    report.patched_text = patched
    report.diff = unified_diff(report.path, mask_secrets(text), mask_secrets(patched))
