"""The report as GitHub-flavoured Markdown (the default): reads well as a pull-request comment
or a CI job summary. Free text is escaped; DBRPs, paths and commands are code spans; diffs,
the shell script and TOML are fenced blocks (the fence is longer than any backtick run in
them); long parts are folded in <details>."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tickmig.report import common, conf_tables, proof_view
from tickmig.report.model import (
    ConfigFileReport,
    ConfigFinding,
    KapacitorReport,
    Report,
    TaskReport,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def text(value: str) -> str:
    """Free text, with Markdown's special characters escaped (and no line break)."""
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def code(value: str) -> str:
    """An inline code span that survives backticks and table pipes in the value."""
    value = " ".join(value.split()).replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def block(body: str, lang: str) -> list[str]:
    longest = max((len(m) for m in re.findall(r"`{3,}", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{lang}", body.rstrip("\n"), fence]


def folded(summary: str, body: list[str]) -> list[str]:
    return ["<details>", f"<summary>{_html(summary)}</summary>", "", *body, "", "</details>"]


def _html(value: str) -> str:
    import html

    return html.escape(value, quote=False)


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return out


def status(value: str) -> str:
    shown = text(common.STATUS_TEXT.get(value, value))
    return f"**{shown}**" if value in common.ATTENTION else shown


def render(report: Report) -> str:
    return "".join(render_pieces(report))


def render_pieces(report: Report) -> Iterator[str]:
    """The document in pieces, each task's when the one before is written (common.stream)."""
    return common.stream(render_lines(report))


def render_lines(report: Report) -> Iterator[str]:
    """The report's lines (a task's lines as one string), to be joined by common.stream; the
    tasks' lines are made as they are taken."""
    out: list[str] = [f"# {common.TITLE}", ""]
    if report.verdict is not None:
        out += [f"**{text(proof_view.headline(report))}**", ""]
        out += [f"- {text(line)}" for line in proof_view.verdict_lines(report)]
        out.append("")
    out += [text(common.intro(report)), ""]
    out += ["## Summary", ""]
    out += table(["", ""], [[f"**{text(k)}**", text(v)] for k, v in common.summary_rows(report)])
    if report.summary.by_code:
        out += ["", "### Findings by rule", ""]
        out += table(
            ["rule", "name", "findings"],
            [
                [code(c), text(report.rule_names.get(c, "")), str(n)]
                for c, n in report.summary.by_code.items()
            ],
        )
    if report.input_errors or report.config_errors:
        out += ["", "### Errors", ""]
        out += [f"- {text(m)}" for m in report.input_errors]
        out += [f"- {code(e.where(p))}: {text(e.message)}" for p, e in report.config_errors]
    out += ["", "## DBRPs", ""]
    if report.pairs:
        out += table(
            list(common.DBRP_COLUMNS),
            [
                [
                    code(p.pair.label),
                    status(p.status),
                    code(p.bucket) if p.bucket else "",
                    text(common.pair_after(p)),
                    text(common.task_count(p.read_by)) if p.read_by else "",
                    text(common.task_count(p.written_by)) if p.written_by else "",
                    text(p.reason),
                ]
                for p in report.pairs
            ],
        )
    else:
        out.append("No task names a database and retention policy that tickmig can follow.")
    if report.verdict is not None:
        out += ["", "## Flows", "", text(proof_view.FLOWS_INTRO), ""]
        out += table(
            proof_view.FLOW_HEADER, [[text(c) for c in r] for r in proof_view.flow_rows(report)]
        )
        out += ["", "### Actions, in order", ""]
        out += [text(line) for line in proof_view.action_lines(report)] or ["Nothing to do."]
    out += ["", "## Commands to run first", "", text(common.commands_intro(report.target)), ""]
    out += block(report.script, "sh")
    out += _telegraf(report)
    out += _kapacitor(report.kapacitor)
    out += ["", "## Tasks"]
    yield from out
    for task in report.tasks:  # one string per task: not one per line of every diff
        yield from common.joined(_task(task))


def _findings(findings: list[ConfigFinding]) -> list[str]:
    out = []
    for f in findings:
        where = f" (line {f.line})" if f.line is not None else ""
        rule = f" {f.code}" if f.code else ""
        out.append(f"- **{f.severity}**{rule}{where}: {text(f.message)}")
    return out


def _config_file(file: ConfigFileReport, what: str) -> list[str]:
    out = ["", f"### {code(file.path)}", ""]
    if file.error is not None:
        out.append(f"**Error:** {code(file.error.where(file.path))}: {text(file.error.message)}")
        out += ["", f"No patched copy of this {what} file: fix it and run tickmig report again."]
        return out
    out += _findings(file.findings)
    if file.diff:
        title = f"Patched copy {file.patched_name} (diff; write it with --patched-dir)"
        out += ["", *folded(title, block(file.diff, "diff"))]
    else:
        out += ["", "Nothing to change in this file."]
    return out


def _telegraf(report: Report) -> list[str]:
    tele = report.telegraf
    out = ["", "## Telegraf", "", text(common.telegraf_intro(report.target)), ""]
    out += [text(common.kapacitor_url_line(tele.kapacitor_url, tele.kapacitor_url_source)), ""]
    if tele.outputs:
        out += table(
            ["stream input", "stream tasks", "namepass", common.store_header(report.target)],
            [
                [
                    code(o.pair.label),
                    text(", ".join(common.short(t) for t in o.tasks)),
                    text("(loopback: none)")
                    if o.loopback
                    else (code(", ".join(o.namepass)) if o.namepass else text("every measurement")),
                    (code(o.bucket) + f" ({status(o.status)})") if o.bucket else status(o.status),
                ]
                for o in tele.outputs
            ],
        )
        out.append("")
    out += folded("Telegraf outputs for every stream input (TOML)", block(tele.snippet, "toml"))
    for file in tele.files:
        out += _config_file(file, "Telegraf")
    return out


def _strong(value: str) -> str:
    return f"**{value}**"


_MARKUP = conf_tables.Markup(code=code, text=text, flag=_strong)


def _kapacitor(kap: KapacitorReport) -> list[str]:
    out = ["", "## kapacitor.conf", ""]
    out += [
        f"> **Warning:** {text(w)}" if i == 0 else f"> {text(w)}"
        for i, w in enumerate(kap.warnings)
    ]
    if kap.sections:
        out += ["", *table(*conf_tables.sections_table(kap, _MARKUP))]
    if kap.clusters:
        out += ["", *table(*conf_tables.clusters_table(kap, _MARKUP))]
    if kap.file is not None:
        out += _config_file(kap.file, "kapacitor.conf")
    return out


def _task(task: TaskReport) -> list[str]:
    out = ["", f"### {code(task.path)}", ""]
    rows = [["**type**", text(common.task_title(task))]]
    if task.id != common.short(task.path):
        rows.append(["**task ID**", code(task.id)])
    for use in task.uses:
        target = code(use.bucket) if use.bucket else ""
        rows.append(
            [
                f"**{use.direction}s**",
                f"{code(use.label)} — {text(common.use_where(use))} — {status(use.status)}"
                + (f" {text(chr(8594))} {target}" if target else "")
                + (f" ({text(use.note)})" if use.note else ""),
            ]
        )
    if not task.uses:
        rows.append(["**DBRPs**", text("none that tickmig can follow")])
    for f in task.findings:
        fix = f" ({f.fix} fix)" if f.fix in ("safe", "unsafe") else ""
        where = f"line {f.line}" if f.path == task.path else f"{f.path}:{f.line}"
        rows.append(
            [f"**{code(f.code)}**", f"{text(f.severity)}, {text(where)}: {text(f.message + fix)}"]
        )
    fixes = common.task_fixes(task)
    if fixes:
        rows.append(["**fixes**", text(fixes)])
    delivery = common.task_delivery(task)
    if delivery:
        rows.append(["**delivery**", text(delivery)])
    out += table(["", ""], rows)
    if task.diff:
        out += ["", *folded("Proposed change (tickmig migrate)", block(task.diff, "diff"))]
    return out
