"""The report as plain text (terminals, logs): sections in capitals, aligned columns, the
shell script, TOML and diffs verbatim so that they can be copied."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from tickmig.report import common, proof_view
from tickmig.report.model import ConfigFileReport, KapacitorReport, Report, TaskReport

WIDTH = 100


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging if hanging is not None else " " * len(indent) + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _heading(title: str) -> list[str]:
    return ["", title.upper(), "-" * len(title)]


def _verbatim(body: str) -> list[str]:
    return ["", *body.rstrip("\n").split("\n"), ""]


def render(report: Report) -> str:
    return "".join(render_pieces(report))


def render_pieces(report: Report) -> Iterator[str]:
    """The document in pieces, each task's when the one before is written (common.stream)."""
    return common.stream(render_lines(report))


def render_lines(report: Report) -> Iterator[str]:
    """The report's lines (a task's lines as one string), to be joined by common.stream; the
    tasks' lines are made as they are taken."""
    out = [common.TITLE, "=" * len(common.TITLE), ""]
    if report.verdict is not None:
        out += _wrap(proof_view.headline(report).upper(), "", "")
        out += [line for v in proof_view.verdict_lines(report) for line in _wrap(v, "- ")]
        out.append("")
    out += _wrap(common.intro(report), "", "")
    out += _heading("Summary")
    rows = common.summary_rows(report)
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        out += _wrap(value, f"{key.ljust(width)}  ", " " * (width + 2))
    if report.summary.by_code:
        out += _heading("Findings by rule")
        for c, n in report.summary.by_code.items():
            out.append(f"{c}  {report.rule_names.get(c, '').ljust(28)} {n}")
    if report.input_errors or report.config_errors:
        out += _heading("Errors")
        out += [line for m in report.input_errors for line in _wrap(m, "- ")]
        out += [
            line
            for p, e in report.config_errors
            for line in _wrap(f"{e.where(p)}: {e.message}", "- ")
        ]
    out += _heading("DBRPs")
    if not report.pairs:
        out.append("No task names a database and retention policy that tickmig can follow.")
    for p in report.pairs:
        users = [
            f"read by {common.task_count(p.read_by)}" if p.read_by else "",
            f"written by {common.task_count(p.written_by)}" if p.written_by else "",
        ]
        bucket = f" -> bucket {p.bucket}" if p.bucket else ""
        out += _wrap(
            f"{p.pair.label}: {common.STATUS_TEXT[p.status]}{bucket} "
            f"({', '.join(u for u in users if u)})"
            + (f"; after the plan and actions: {common.pair_after(p)}" if p.after else ""),
            "- ",
        )
        out += _wrap(p.reason, "    ", "    ")
    out += _flows(report)
    out += _heading("Commands to run first")
    out += _wrap(common.commands_intro(report.target), "", "")
    out += _verbatim(report.script)
    out += _telegraf(report)
    out += _kapacitor(report.kapacitor)
    out += _heading("Tasks")
    yield from out
    for task in report.tasks:  # one string per task: not one per line of every diff
        yield from common.joined(_task(task))


def _config_file(file: ConfigFileReport) -> list[str]:
    out = ["", f"{file.path}:"]
    if file.error is not None:
        out += _wrap(f"error: {file.error.where(file.path)}: {file.error.message}", "  ")
        out.append("  No patched copy: fix the file and run tickmig report again.")
        return out
    for f in file.findings:
        where = f" (line {f.line})" if f.line is not None else ""
        rule = f" {f.code}" if f.code else ""
        out += _wrap(f"{f.severity}{rule}{where}: {f.message}", "  - ", "    ")
    if file.diff:
        out.append(f"  Patched copy {file.patched_name} (write it with --patched-dir), diff:")
        out += _verbatim(file.diff)
    else:
        out.append("  Nothing to change in this file.")
    return out


def _telegraf(report: Report) -> list[str]:
    tele = report.telegraf
    out = _heading("Telegraf")
    out += _wrap(common.telegraf_intro(report.target), "", "")
    out.append("")
    out += _wrap(common.kapacitor_url_line(tele.kapacitor_url, tele.kapacitor_url_source), "", "")
    out.append("")
    for o in tele.outputs:
        namepass = (
            "none (kapacitorLoopback)"
            if o.loopback
            else ", ".join(o.namepass)
            if o.namepass
            else "every measurement"
        )
        noun = "database" if report.target in common.V3_TARGETS else "bucket"
        bucket = f"{noun} {o.bucket}" if o.bucket else f"no {noun}"
        out += _wrap(
            f"{o.pair.label}: stream tasks "
            f"{', '.join(common.short(t) for t in o.tasks)}; namepass: {namepass}; "
            f"{common.product(report.target)}: {bucket} "
            f"({common.STATUS_TEXT.get(o.status, o.status)})",
            "- ",
            "    ",
        )
    out += ["", "Telegraf outputs for every stream input (TOML):"]
    out += _verbatim(tele.snippet)
    for file in tele.files:
        out += _config_file(file)
    return out


def _kapacitor(kap: KapacitorReport) -> list[str]:
    out = _heading("kapacitor.conf")
    for i, w in enumerate(kap.warnings):
        out += _wrap(("WARNING: " if i == 0 else "") + w, "", "  ")
    for s in kap.sections:
        used = ", ".join(common.short(t) for t in s.used_by) or "-"
        out += _wrap(
            f'[[influxdb]] "{s.name}": enabled {str(s.enabled).lower()}, default '
            f"{str(s.default).lower()}, urls {', '.join(s.urls)}, auth {s.auth}, "
            f"disable-subscriptions {str(s.disable_subscriptions).lower()}, .cluster() in "
            f"{used}",
            "- ",
            "    ",
        )
    for c in kap.clusters:
        state = "not checked" if c.found is None else ("found" if c.found else "MISSING")
        out += _wrap(
            f".cluster('{c.name}') in {', '.join(common.short(t) for t in c.used_by)}: "
            f"section {state}",
            "- ",
            "    ",
        )
    if kap.file is not None:
        out += _config_file(kap.file)
    return out


def _task(task: TaskReport) -> list[str]:
    out = ["", f"{task.path} ({common.task_title(task)})"]
    if task.id != common.short(task.path):
        out.append(f"  task ID: {task.id}")
    for use in task.uses:
        bucket = f" -> {use.bucket}" if use.bucket else ""
        out += _wrap(
            f"{use.direction}: {use.label}, {common.use_where(use)}, "
            f"{common.use_status(use)}{bucket}",
            "  ",
            "    ",
        )
    for f in task.findings:
        fix = f" ({f.fix} fix)" if f.fix in ("safe", "unsafe") else ""
        where = f"line {f.line}" if f.path == task.path else f"{f.path}:{f.line}"
        out += _wrap(f"{f.code} {f.severity}, {where}: {f.message}{fix}", "  ", "    ")
    fixes = common.task_fixes(task)
    if fixes:
        out += _wrap(f"fixes: {fixes}", "  ", "    ")
    delivery = common.task_delivery(task)
    if delivery:
        out += _wrap(f"delivery: {delivery}", "  ", "    ")
    if task.diff:
        out += _verbatim(task.diff)
    return out


def _flows(report: Report) -> list[str]:
    if report.verdict is None:
        return []
    out: list[str] = []
    out += _heading("Flows")
    out += _wrap(proof_view.FLOWS_INTRO, "", "")
    for row in proof_view.flow_rows(report):
        fid, kind, who, pair, lands, status, fed, why = row
        out += _wrap(f"{fid} {kind}: {who}, {pair} -> {lands} [{status}]", "- ")
        if fed:
            out += _wrap(f"fed by / feeds: {fed}", "    ", "    ")
        if why:
            out += _wrap(why, "    ", "    ")
    out += _heading("Actions, in order")
    out += [line for a in proof_view.action_lines(report) for line in _wrap(a, "")] or [
        "Nothing to do."
    ]
    return out
