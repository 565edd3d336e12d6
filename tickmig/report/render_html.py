"""The report as one self-contained HTML page: inline CSS, no script, no external resource.
Every text goes through html.escape; diffs are coloured line by line; the page is a
max-width column whose tables wrap long words and whose code blocks scroll sideways."""

from __future__ import annotations

import html
from collections.abc import Iterator

from tickmig.report import common, conf_tables, proof_view
from tickmig.report.model import (
    ConfigFileReport,
    ConfigFinding,
    KapacitorReport,
    Report,
    TaskReport,
)

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: #1f2328;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 20px 32px 48px; background: #fff;
  min-height: 100vh; }
h1 { font-size: 1.65em; margin: 0 0 .2em; }
h2 { font-size: 1.3em; margin: 1.8em 0 .6em; padding-bottom: .2em;
  border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.05em; margin: 1.6em 0 .4em; overflow-wrap: anywhere; }
p { margin: .4em 0 .8em; }
nav { margin: .4em 0 1em; font-size: .95em; }
nav a { margin-right: 1em; }
a { color: #0969da; }
.table { overflow-x: auto; margin: .4em 0 1em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
table.kv th { width: 14em; white-space: normal; }
.prose { overflow-wrap: anywhere; }
table.compact { width: auto; min-width: 50%; }
td.num { text-align: right; width: 6em; }
code { font: .9em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  background: #eff1f3; padding: 0 .25em; border-radius: 4px; }
pre { overflow-x: auto; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px;
  padding: 8px 0; margin: .4em 0 1em;
  font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre > span { display: inline-block; min-width: 100%; padding: 0 12px; }
pre .add { background: #dafbe1; color: #0f5323; }
pre .del { background: #ffebe9; color: #82071e; }
pre .hunk { color: #0550ae; }
pre .meta { font-weight: 600; }
pre .comment { color: #57606a; }
.status { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: .85em;
  white-space: nowrap; }
.s-exact, .s-default { background: #dafbe1; color: #0f5323; }
.s-virtual { background: #ddf4ff; color: #0550ae; }
.s-assumed { background: #fff8c5; color: #6a4300; }
.s-missing, .s-ambiguous { background: #ffebe9; color: #82071e; font-weight: 600; }
.s-kapacitor, .s-system, .s-template, .s-unknown { background: #eaeef2; color: #424a53; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .8em; white-space: nowrap; }
.sev-error { color: #a40e26; } .sev-warning { color: #7d4e00; } .sev-info { color: #57606a; }
.note { border-left: 4px solid #bf8700; background: #fff8c5; padding: 8px 12px;
  margin: .6em 0; }
.ok { border-left: 4px solid #1a7f37; background: #dafbe1; padding: 8px 12px; }
.error { border-left: 4px solid #cf222e; background: #ffebe9; padding: 8px 12px;
  margin: .6em 0; }
details { margin: .4em 0 1em; }
details > summary { cursor: pointer; color: #0969da; }
section.task { border-top: 1px solid #d0d7de; margin-top: 1.4em; }
.kind { font-weight: normal; color: #57606a; margin-left: .5em; }
""".strip()


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def code(value: str) -> str:
    return f"<code>{esc(value)}</code>"


def prose(value: str) -> str:
    """Long free text in a table cell: may break anywhere, so that it takes the room left by
    the columns of names and codes instead of widening the table."""
    return f'<span class="prose">{esc(value)}</span>'


def status(value: str) -> str:
    text = common.STATUS_TEXT.get(value, value)
    return f'<span class="status s-{esc(value)}">{esc(text)}</span>'


def severity(value: str) -> str:
    return f'<span class="sev sev-{esc(value)}">{esc(value)}</span>'


def pre(body: str, kind: str) -> str:
    """A code block; a diff gets a class per line (added, removed, hunk, file names)."""
    lines = []
    for line in body.rstrip("\n").split("\n"):
        cls = ""
        if kind == "diff":
            if line.startswith(("+++", "---")):
                cls = "meta"
            elif line.startswith("@@"):
                cls = "hunk"
            elif line.startswith("+"):
                cls = "add"
            elif line.startswith("-"):
                cls = "del"
        elif line.lstrip().startswith("#"):
            cls = "comment"
        attr = f' class="{cls}"' if cls else ""
        lines.append(f"<span{attr}>{esc(line)}</span>")
    return f'<pre class="{kind}">' + "\n".join(lines) + "</pre>"


def folded(summary: str, body: str) -> str:
    return f"<details><summary>{esc(summary)}</summary>{body}</details>"


def table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<div class="table"><table{attr}><thead><tr>{head}</tr></thead><tbody>{body}'
        "</tbody></table></div>"
    )


def kv_table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<div class="table"><table class="kv"><tbody>{body}</tbody></table></div>'


def render(report: Report) -> str:
    return "".join(render_pieces(report))


def render_pieces(report: Report) -> Iterator[str]:
    """The page in pieces, each task's when the one before is written (common.stream)."""
    return common.stream(render_lines(report))


def render_lines(report: Report) -> Iterator[str]:
    """The page's lines (a task's as one string); the tasks' are made as they are taken."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(common.TITLE)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{esc(common.TITLE)}</h1>",
        *_verdict(report),
        f"<p>{esc(common.intro(report))}</p>",
        '<nav><a href="#summary">Summary</a><a href="#dbrps">DBRPs</a><a href="#flows">Flows</a>'
        '<a href="#commands">Commands to run first</a><a href="#telegraf">Telegraf</a>'
        '<a href="#kapacitor">kapacitor.conf</a><a href="#tasks">Tasks</a></nav>',
    ]
    parts += _summary(report)
    parts += _pairs(report)
    parts += _flows(report)
    parts += [
        '<h2 id="commands">Commands to run first</h2>',
        f"<p>{esc(common.commands_intro(report.target))}</p>",
        pre(report.script, "sh"),
    ]
    parts += _telegraf(report)
    parts += _kapacitor(report.kapacitor)
    parts.append('<h2 id="tasks">Tasks</h2>')
    yield from parts
    for task in report.tasks:  # one string per task: not one per line of every diff
        yield from common.joined(_task(task))
    yield from ("</main>", "</body>", "</html>")


def _verdict(report: Report) -> list[str]:
    v = report.verdict
    if v is None:
        return []
    cls = "ok" if v is not None and v.ok else "error"
    lines = "".join(f"<li>{esc(line)}</li>" for line in proof_view.verdict_lines(report))
    return [
        f'<div class="{cls}" id="verdict"><strong>{esc(proof_view.headline(report))}</strong>'
        + (f"<ul>{lines}</ul>" if lines else "")
        + "</div>"
    ]


def _flows(report: Report) -> list[str]:
    if report.verdict is None:
        return []
    out = ['<h2 id="flows">Flows</h2>', f"<p>{esc(proof_view.FLOWS_INTRO)}</p>"]
    rows = [[esc(c) for c in r] for r in proof_view.flow_rows(report)]
    out.append(table(proof_view.FLOW_HEADER, rows))
    out.append("<h3>Actions, in order</h3>")
    items = "".join(f"<li>{esc(line)}</li>" for line in proof_view.action_lines(report))
    out.append(f"<ul>{items}</ul>" if items else "<p>Nothing to do.</p>")
    return out


def _summary(report: Report) -> list[str]:
    out = [
        '<h2 id="summary">Summary</h2>',
        kv_table([(esc(k), esc(v)) for k, v in common.summary_rows(report)]),
    ]
    if report.summary.by_code:
        out.append(
            table(
                ["rule", "name", "findings"],
                [
                    [code(c), esc(report.rule_names.get(c, "")), str(n)]
                    for c, n in report.summary.by_code.items()
                ],
                "compact",
            )
        )
    errors = [esc(m) for m in report.input_errors] + [
        f"{code(e.where(p))}: {esc(e.message)}" for p, e in report.config_errors
    ]
    if errors:
        out.append(
            '<div class="error"><strong>Errors</strong><ul>'
            + "".join(f"<li>{e}</li>" for e in errors)
            + "</ul></div>"
        )
    return out


def _pairs(report: Report) -> list[str]:
    out = ['<h2 id="dbrps">DBRPs</h2>']
    if not report.pairs:
        out.append("<p>No task names a database and retention policy that tickmig can follow.</p>")
        return out
    out.append(
        table(
            list(common.DBRP_COLUMNS),
            [
                [
                    code(p.pair.label),
                    status(p.status),
                    code(p.bucket) if p.bucket else "",
                    esc(common.pair_after(p)),
                    esc(common.task_count(p.read_by)) if p.read_by else "",
                    esc(common.task_count(p.written_by)) if p.written_by else "",
                    prose(p.reason),
                ]
                for p in report.pairs
            ],
        )
    )
    return out


def _findings(findings: list[ConfigFinding]) -> str:
    if not findings:
        return ""
    return table(
        ["", "rule", "line", "finding"],
        [
            [
                severity(f.severity),
                code(f.code) if f.code else "",
                str(f.line) if f.line is not None else "",
                prose(f.message),
            ]
            for f in findings
        ],
    )


def _config_file(file: ConfigFileReport, what: str) -> list[str]:
    out = [f"<h3>{code(file.path)}</h3>"]
    if file.error is not None:
        out.append(
            f'<div class="error"><strong>Error:</strong> '
            f"{code(file.error.where(file.path))}: {esc(file.error.message)}<br>"
            f"No patched copy of this {esc(what)} file: fix it and run tickmig report "
            "again.</div>"
        )
        return out
    out.append(_findings(file.findings))
    if file.diff:
        out.append(
            folded(
                f"Patched copy {file.patched_name} (diff; write it with --patched-dir)",
                pre(file.diff, "diff"),
            )
        )
    else:
        out.append("<p>Nothing to change in this file.</p>")
    return out


def _telegraf(report: Report) -> list[str]:
    tele = report.telegraf
    out = ['<h2 id="telegraf">Telegraf</h2>', f"<p>{esc(common.telegraf_intro(report.target))}</p>"]
    url_line = common.kapacitor_url_line(tele.kapacitor_url, tele.kapacitor_url_source)
    out.append(f"<p>{esc(url_line)}</p>")
    if tele.outputs:
        out.append(
            table(
                ["stream input", "stream tasks", "namepass", common.store_header(report.target)],
                [
                    [
                        code(o.pair.label),
                        prose(", ".join(common.short(t) for t in o.tasks)),
                        esc("none (kapacitorLoopback)")
                        if o.loopback
                        else (
                            code(", ".join(o.namepass)) if o.namepass else esc("every measurement")
                        ),
                        (code(o.bucket) + " " if o.bucket else "") + status(o.status),
                    ]
                    for o in tele.outputs
                ],
            )
        )
    out.append(folded("Telegraf outputs for every stream input (TOML)", pre(tele.snippet, "toml")))
    for file in tele.files:
        out += _config_file(file, "Telegraf")
    return out


def _missing(value: str) -> str:
    return f'<span class="status s-missing">{esc(value)}</span>'


_MARKUP = conf_tables.Markup(code=code, text=esc, flag=_missing)


def _kapacitor(kap: KapacitorReport) -> list[str]:
    out = ['<h2 id="kapacitor">kapacitor.conf</h2>']
    for i, warning in enumerate(kap.warnings):
        label = "<strong>Warning:</strong> " if i == 0 else ""
        out.append(f'<div class="note">{label}{esc(warning)}</div>')
    if kap.sections:
        out.append(table(*conf_tables.sections_table(kap, _MARKUP)))
    if kap.clusters:
        out.append(table(*conf_tables.clusters_table(kap, _MARKUP)))
    if kap.file is not None:
        out += _config_file(kap.file, "kapacitor.conf")
    return out


def _task(task: TaskReport) -> list[str]:
    out = [
        '<section class="task">',
        f'<h3>{code(task.path)}<span class="kind">{esc(common.task_title(task))}</span></h3>',
    ]
    if task.id != common.short(task.path):
        out.append(f"<p>Task ID {code(task.id)}</p>")
    if task.uses:
        out.append(
            table(
                ["DBRP", "use", "where", "status", "bucket"],
                [
                    [
                        code(u.label),
                        esc(u.direction),
                        esc(common.use_where(u)),
                        status(u.status) + (f" {esc(u.note)}" if u.note else ""),
                        code(u.bucket) if u.bucket else "",
                    ]
                    for u in task.uses
                ],
            )
        )
    else:
        out.append("<p>No DBRP that tickmig can follow.</p>")
    if task.findings:
        out.append(
            table(
                ["rule", "", "line", "finding"],
                [
                    [
                        code(f.code),
                        severity(f.severity),
                        str(f.line) if f.path == task.path else esc(f"{f.path}:{f.line}"),
                        prose(f.message)
                        + (f" <em>({esc(f.fix)} fix)</em>" if f.fix in ("safe", "unsafe") else ""),
                    ]
                    for f in task.findings
                ],
            )
        )
    fixes = common.task_fixes(task)
    if fixes:
        out.append(f"<p><strong>Fixes:</strong> {esc(fixes)}</p>")
    delivery = common.task_delivery(task)
    if delivery:
        out.append(f"<p><strong>Delivery:</strong> {esc(delivery)}</p>")
    if task.diff:
        out.append(folded("Proposed change (tickmig migrate)", pre(task.diff, "diff")))
    out.append("</section>")
    return out
