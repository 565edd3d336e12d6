"""Wording shared by the report formats, so that Markdown, HTML and text say the same things:
the summary rows, status names, and the sentences about fixes. Plain text only; each
renderer escapes it for its format."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Iterator

from tickmig.report.model import PairReport, Report, Summary, TaskReport, UseRow

TITLE = "tickmig migration report"

STATUS_TEXT = {
    "exact": "mapped (exact)",
    "default": "mapped (default)",
    "virtual": "virtual mapping",
    "assumed": "assumed",
    "missing": "missing",
    "ambiguous": "ambiguous",
    "system": "system database",
    "kapacitor": "Kapacitor only",
    "template": "set by task definitions",
    "unknown": "unknown",
}
#: Statuses that need attention (shown emphasised).
#: The DBRP table's columns, in every format that draws it as a table.
DBRP_COLUMNS = (
    "DBRP",
    "status",
    "bucket",
    "after the plan and actions",
    "read by",
    "written by",
    "why",
)
ATTENTION = frozenset({"missing", "ambiguous", "assumed", "unknown"})

KIND_TEXT = {
    "stream": "stream",
    "batch": "batch",
    "template": "template",
    "invalid": "invalid",
    "syntax-error": "does not parse",
    "task-definition": "task definition",
    "unknown": "unknown",
}

COMMANDS_INTRO = (
    "Run these before enabling the migrated tasks: they create the buckets and DBRP mappings "
    "that the tasks need and that do not exist yet."
)


def kapacitor_url_line(url: str, source: str) -> str:
    """Where the Telegraf outputs reach Kapacitor, and where tickmig learned it."""
    if source == "placeholder":
        return (
            f"Kapacitor's URL is not known: the outputs to Kapacitor say {url}, which Telegraf "
            "reads from its environment (set KAPACITOR_URL), or give --kapacitor-conf or "
            "--kapacitor-url (TM306)."
        )
    origin = (
        "--kapacitor-url"
        if source == "--kapacitor-url"
        else f"hostname and [http] bind-address of {source}"
    )
    return f"Telegraf reaches Kapacitor at {url} (from {origin})."


TELEGRAF_INTRO = (
    "{product} has no subscriptions: stream tasks only receive what is written to Kapacitor "
    "directly. Each (database, retention policy) that stream tasks read needs an "
    "[[outputs.influxdb]] to Kapacitor, with the retention policy set (tasks match the exact "
    "pair), next to the output to {product}."
)

V3_TARGETS = ("v3-core", "v3-enterprise")
V3_COMMANDS_INTRO = (
    "Run these before enabling the migrated tasks: they create the InfluxDB 3 databases (one "
    "per database and retention policy: InfluxDB 3 has neither retention policies nor DBRP "
    "mappings) and Kapacitor's token, and show the kapacitor.conf and Telegraf settings."
)
V3_TELEGRAF_INTRO = (
    "InfluxDB 3 has no subscriptions: stream tasks only receive what is written to Kapacitor "
    "directly. Each (database, retention policy) that stream tasks read needs an "
    "[[outputs.influxdb]] to Kapacitor, with the retention policy set (tasks match the exact "
    "pair), next to an [[outputs.influxdb_v3]] writing the InfluxDB 3 database of the pair."
)


def commands_intro(target: str) -> str:
    return V3_COMMANDS_INTRO if target in V3_TARGETS else COMMANDS_INTRO


def telegraf_intro(target: str) -> str:
    if target in V3_TARGETS:
        return V3_TELEGRAF_INTRO
    return TELEGRAF_INTRO.format(product=product(target))


def product(target: str) -> str:
    """What the target is called where a sentence says what it has ("InfluxDB 3")."""
    from tickmig.targets.profile import product_of

    return product_of(target)


def store_header(target: str) -> str:
    """The Telegraf table's column of where the stream input's data is stored."""
    return f"{product(target)} {'database' if target in V3_TARGETS else 'bucket'}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def intro(report: Report) -> str:
    paths = ", ".join(report.paths)
    target = {
        "oss": "InfluxDB OSS 2",
        "cloud": "InfluxDB Cloud",
        "cloud-serverless": "InfluxDB Cloud Serverless",
        "v3-core": "InfluxDB 3 Core",
        "v3-enterprise": "InfluxDB 3 Enterprise",
    }.get(report.target, "InfluxDB")
    org = f", organization {report.org}" if report.org else ""
    return (
        f"Kapacitor tasks in {paths}, checked against {target}{org} (DBRP mappings from "
        f"{report.mapping_origin})."
    )


def summary_rows(report: Report) -> list[tuple[str, str]]:
    s = report.summary
    k = s.kinds
    definitions = ", ".join(f"{n} {kind}" for kind, n in s.definitions.items())
    files = (
        f"{s.files}: {k['stream']} stream, {k['batch']} batch, "
        f"{plural(k['template'], 'template')}, "
        f"{plural(k['task-definition'], 'task definition')}"
        f"{f' ({definitions})' if definitions else ''}, {k['invalid']} invalid, "
        f"{k['syntax-error']} that do not parse"
    )
    st = s.by_status
    mapped = (
        f"{st['exact']} mapped (exact), {st['default']} mapped (default), "
        f"{st['virtual']} virtual, {st['assumed']} assumed, {st['missing']} missing, "
        f"{st['ambiguous']} ambiguous"
    )
    extra = [f"{st['kapacitor']} Kapacitor only"] if st["kapacitor"] else []
    extra += [f"{st['system']} system"] if st["system"] else []
    extra += [f"{plural(s.unknown_uses, 'use')} tickmig cannot resolve"] if s.unknown_uses else []
    rows = [
        ("Task files", files),
        ("DBRPs", f"{s.pairs} distinct: {s.pairs_read} read, {s.pairs_written} written"),
        ("Mapping status", mapped + (f"; {', '.join(extra)}" if extra else "")),
        ("Fixes", fixes_sentence(s)),
        ("TODOs left (TM200)", str(s.todos)),
        (
            "Findings",
            f"{s.findings}"
            + (f" ({', '.join(f'{c}: {n}' for c, n in s.by_code.items())})" if s.by_code else ""),
        ),
        ("Commands to run first", str(s.commands)),
        ("Configuration files", config_sentence(report)),
    ]
    if s.input_errors:
        rows.append(("Input errors", str(s.input_errors)))
    return rows


def fixes_sentence(s: Summary) -> str:
    text = (
        f"{plural(s.safe_fixes, 'safe fix', 'safe fixes')} pending in "
        f"{plural(s.files_changed, 'file')} (tickmig migrate --write applies them, "
        "diffs below)"
    )
    text += f"; {s.unsafe_fixes} more {'needs' if s.unsafe_fixes == 1 else 'need'} --unsafe-fixes"
    if s.migration_failures:
        text += f"; {plural(s.migration_failures, 'file')} left unchanged (see below)"
    return text


def config_sentence(report: Report) -> str:
    files = [*report.telegraf.files, *([report.kapacitor.file] if report.kapacitor.file else [])]
    if not files:
        return "none given (--telegraf-conf, --kapacitor-conf)"
    parts = []
    for f in files:
        if f.error is not None:
            parts.append(f"{f.path}: cannot be read")
        else:
            counts = [
                plural(sum(1 for x in f.findings if x.severity == sev), sev)
                for sev in ("error", "warning")
                if any(x.severity == sev for x in f.findings)
            ]
            parts.append(f"{f.path}: {', '.join(counts) if counts else 'no problem'}")
    return "; ".join(parts)


def task_title(task: TaskReport) -> str:
    if task.kind == "task-definition":
        made = f"{task.creates} task" if task.creates else "task"
        template = f" from {os.path.basename(task.template)}" if task.template else ""
        return f"task definition: {made}{template}"
    return KIND_TEXT.get(task.kind, task.kind)


def task_fixes(task: TaskReport) -> str | None:
    parts = []
    if task.safe_fixes:
        parts.append(f"{plural(task.safe_fixes, 'fix', 'fixes')} by tickmig migrate (diff below)")
    if task.unsafe_fixes:
        parts.append(f"{task.unsafe_fixes} more with --unsafe-fixes")
    if task.migration_error:
        parts.append(f"tickmig migrate leaves it unchanged: {task.migration_error}")
    return "; ".join(parts) or None


def pair_after(p: PairReport) -> str:
    """The DBRP after the plan and the actions: "mapped (exact) -> bucket" or "missing"."""
    if p.after is None:
        return ""
    status, bucket = p.after
    text = STATUS_TEXT.get(status, status)
    return f"{text} -> {bucket}" if bucket else text


def task_delivery(task: TaskReport) -> str | None:
    """How the migrated task reaches Kapacitor, and what a restart loses."""
    d = task.delivery
    if d is None:
        return None
    how = "; then ".join(shlex.join(c) for c in d.commands)
    out = f"{how} ({d.note})" if how else f"load directory: {d.note}"
    if d.loses_state:
        what = "window state" if d.loses_window_state else "state"
        when = "reload" if d.method == "load-directory" else "restart"
        out += f"; loses its {what} on {when}: {', '.join(d.loses_state)}"
    return out


def use_where(row: UseRow) -> str:
    places = ", ".join(row.places)
    return (
        f"{', '.join(row.vias)} (line{'s' if len(row.places) > 1 else ''} {places})"
        if places and all(p.isdigit() for p in row.places)
        else f"{', '.join(row.vias)} ({places})"
        if places
        else ", ".join(row.vias)
    )


def use_status(row: UseRow) -> str:
    text = STATUS_TEXT.get(row.status, row.status)
    if row.note:
        text += f"; {row.note}"
    return text


def task_count(paths: list[str]) -> str:
    return plural(len(paths), "task")


def short(path: str) -> str:
    """A task's name as Kapacitor knows it: the file name without its extension."""
    return os.path.splitext(os.path.basename(path))[0]


def document(lines: list[str]) -> str:
    """`"\\n".join(lines).rstrip("\\n") + "\\n"`, built with one join (a report of thousands of
    tasks is megabytes: no copies of it). Empties `lines`."""
    text = "".join(pieces(lines))
    lines.clear()
    return text


def pieces(lines: list[str]) -> list[str]:
    """The document of `lines` (see `document`) as pieces that make it when concatenated: each
    line with its newline. `lines` becomes those pieces; nothing is copied whole."""
    while lines and not lines[-1].rstrip("\n"):
        lines.pop()
    if not lines:
        lines.append("\n")
        return lines
    lines[-1] = lines[-1].rstrip("\n")
    for i, line in enumerate(lines):
        lines[i] = line + "\n"
    return lines


def joined(lines: list[str]) -> list[str]:
    """`lines` as one string, in a list (empty when there are none): the same document once
    the lines of the whole document are joined with newlines."""
    return ["\n".join(lines)] if lines else []


def stream(lines: Iterable[str]) -> Iterator[str]:
    """The document of `lines` (see `document`) as pieces, taking the lines as they come: a
    renderer yields a task's lines only when the one before is written, so the report is
    never held whole. Gives what `pieces(list(lines))` gives."""
    held: str | None = None  # the last line that is not blank: the end may strip it
    blanks: list[str] = []  # blank lines after it: the end drops them
    for line in lines:
        if not line.rstrip("\n"):
            blanks.append(line)
            continue
        if held is not None:
            yield held + "\n"
        yield from (blank + "\n" for blank in blanks)
        blanks.clear()
        held = line
    yield "\n" if held is None else held.rstrip("\n") + "\n"
