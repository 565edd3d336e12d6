"""The hand-built results every report test renders: three TICKscript files as `tickmig check`
would see them (one with five diagnostics, one clean, one that fails as a whole), the rules
they refer to, and where each format's golden file lives."""

from __future__ import annotations

from pathlib import Path

from tickmig.diagnostics import (
    Applicability,
    Diagnostic,
    Edit,
    FileResult,
    Fix,
    Location,
    Severity,
)
from tickmig.output import RENDERERS
from tickmig.rules.info import RuleInfo
from tickmig.text.spans import LineIndex

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reports"
GOLDENS = {
    "text": GOLDEN_DIR / "check.txt",
    "json": GOLDEN_DIR / "check.json",
    "json-lines": GOLDEN_DIR / "check.jsonl",
    "sarif": GOLDEN_DIR / "check.sarif",
    "github": GOLDEN_DIR / "check.github.txt",
    "junit": GOLDEN_DIR / "check.junit.xml",
}
#: Fixed, so that a release does not change the goldens.
TOOL_VERSION = "0.0.0-test"

CPU_PATH = "tasks/cpu_alert.tick"
CPU_SOURCE = """\
// Alerte CPU — équipe ops (seuil : 80 %)
dbrp "telegraf"."autogen"

var data = stream
\t|from()
\t\t.measurement('cpu')
\t\t.where(lambda: "host" =~ /^web-\\d+$/)
\t|window()
\t\t.period(5m)
\t\t.every(1m)

data
\t|alert()
\t\t.crit(lambda: "usage_idle" < 20)
\t\t.message('CPU élevé sur {{ index .Tags "host" }}')
\t|influxDBOut()
\t\t.database('telegraf')
\t\t.retentionPolicy('one_month')
\t\t.measurement('cpu_alerts')
"""

# Given with Windows separators, as a user on Windows would type it.
DISK_PATH = "tasks\\disk_ok.tick"
DISK_SOURCE = """\
dbrp "app_metrics"."autogen"

batch
\t|query('SELECT mean(used_percent) FROM "app_metrics"."autogen".disk')
\t\t.period(10m)
\t\t.every(5m)
\t|alert()
\t\t.warn(lambda: "mean" > 85)
"""

MIXED_PATH = "templates/alerte_mélangée.tick"
MIXED_SOURCE = """\
// Modèle : alerte générique
var measurement string
var crit lambda

stream
\t|from()
\t\t.measurement(measurement)
\t|alert()
\t\t.crit(crit)

batch
\t|query('SELECT count(value) FROM "telegraf"."autogen".heartbeat')
\t\t.every(1m)
"""


def span(path: str, source: str, text: str, *, through: str | None = None) -> Location:
    """The Location of the first `text` in `source`, or from it to the end of the first
    `through` after it."""
    start = source.index(text)
    end = source.index(through, start) + len(through) if through else start + len(text)
    return location(path, source, start, end)


def location(path: str, source: str, start: int, end: int) -> Location:
    """The Location of source[start:end], lines and columns as tickmig computes them."""
    index = LineIndex(source)
    return Location(path, start, end, *index.line_column(start), *index.line_column(end))


def replace(location: Location, text: str, title: str, applicability: Applicability) -> Fix:
    return Fix(title, (Edit(location.path, location.start, location.end, text),), applicability)


def _cpu_diagnostics() -> list[Diagnostic]:
    dbrp = span(CPU_PATH, CPU_SOURCE, '"telegraf"."autogen"')
    database = span(CPU_PATH, CPU_SOURCE, "'telegraf'")
    rp = span(CPU_PATH, CPU_SOURCE, "'one_month'")
    where_end = span(CPU_PATH, CPU_SOURCE, "/^web-\\d+$/)").end
    return [
        Diagnostic(
            "TM103",
            "unmapped-retention-policy",
            'no DBRP mapping for "telegraf"."one_month": 100% of writes would fail'
            ' (404, "database not found")\nmapped retention policies: autogen, one_week',
            Severity.ERROR,
            rp,
            replace(
                rp,
                "'autogen'",
                "Write to 'autogen' instead; cpu_alerts then keeps its points forever",
                Applicability.UNSAFE,
            ),
        ),
        Diagnostic(
            "TM305",
            "alert-tag-not-grouped",
            '.message() uses tag "host", but the task does not group by it, so it is always empty',
            Severity.WARNING,
            span(CPU_PATH, CPU_SOURCE, '{{ index .Tags "host" }}'),
            Fix(
                "Add .groupBy('host') to |from()",
                (Edit(CPU_PATH, where_end, where_end, "\n\t\t.groupBy('host')"),),
                Applicability.DISPLAY_ONLY,
            ),
        ),
        Diagnostic(
            "TM101",
            "dbrp-renamed",
            'DBRP "telegraf"."autogen" is "metrics"."autogen" in InfluxDB 2'
            " (bucket metrics/autogen)",
            Severity.WARNING,
            dbrp,
            replace(dbrp, '"metrics"."autogen"', 'Use "metrics"."autogen"', Applicability.SAFE),
            notes=("the migration plan renames database telegraf to metrics",),
        ),
        Diagnostic(
            "TM301",
            "stream-without-subscriptions",
            "stream task: InfluxDB 2 has no subscriptions, so Kapacitor only sees the points"
            " Telegraf writes to it directly",
            Severity.INFO,
            span(CPU_PATH, CPU_SOURCE, "stream", through="|from()"),
            notes=(
                'add [[outputs.influxdb]] with urls = ["http://kapacitor:9092"] to telegraf.conf',
                'keep [[outputs.influxdb_v2]] with bucket = "metrics/autogen" for storage',
            ),
        ),
        Diagnostic(
            "TM102",
            "influxdbout-database-renamed",
            "influxDBOut() writes to database 'telegraf', which is 'metrics' in InfluxDB 2",
            Severity.WARNING,
            database,
            replace(database, "'metrics'", "Use 'metrics'", Applicability.SAFE),
        ),
    ]


def results() -> list[FileResult]:
    """Fresh results, deliberately out of report order (files and diagnostics)."""
    mixed = Diagnostic(
        "TM201",
        "mixed-task-type",
        "the script starts chains from both stream and batch; Kapacitor rejects it as an"
        " invalid task type",
        Severity.ERROR,
        Location(MIXED_PATH, 0, 0, 1, 1, 1, 1),
        notes=("split it into one stream task and one batch task",),
    )
    return [
        FileResult(MIXED_PATH, [mixed], task_type="invalid", source=MIXED_SOURCE),
        FileResult(DISK_PATH, [], task_type="batch", source=DISK_SOURCE),
        FileResult(CPU_PATH, _cpu_diagnostics(), task_type="stream", source=CPU_SOURCE),
    ]


def _rule(
    code: str, name: str, summary: str, severity: Severity, fix: Applicability | None
) -> RuleInfo:
    explanation = (
        f"{summary}\n\n## What it does\n\nSee `tickmig rule {code}`.\n\n"
        "## Why is this bad?\n\nInfluxDB 2 resolves database and retention policy through"
        " DBRP mappings."
    )
    return RuleInfo(code, name, summary, explanation, severity, fix)


RULES = {
    rule.code: rule
    for rule in (
        _rule(
            "TM305",
            "alert-tag-not-grouped",
            "Alert template uses a tag the task does not group by.",
            Severity.WARNING,
            Applicability.DISPLAY_ONLY,
        ),
        _rule(
            "TM101",
            "dbrp-renamed",
            "DBRP that the migration plan renames.",
            Severity.WARNING,
            Applicability.SAFE,
        ),
        _rule(
            "TM102",
            "influxdbout-database-renamed",
            "influxDBOut() database that the migration plan renames.",
            Severity.WARNING,
            Applicability.SAFE,
        ),
        _rule(
            "TM103",
            "unmapped-retention-policy",
            "Retention policy without a DBRP mapping.",
            Severity.ERROR,
            Applicability.UNSAFE,
        ),
        _rule(
            "TM104",
            "query-from-dbrp",
            "InfluxQL FROM clause naming a renamed DBRP.",
            Severity.WARNING,
            Applicability.UNSAFE,
        ),
        _rule(
            "TM201", "mixed-task-type", "Script that mixes stream and batch.", Severity.ERROR, None
        ),
        _rule(
            "TM301",
            "stream-without-subscriptions",
            "Stream task that InfluxDB 2 cannot feed through subscriptions.",
            Severity.INFO,
            None,
        ),
    )
}


def render(fmt: str, files: list[FileResult] | None = None) -> str:
    return RENDERERS[fmt](results() if files is None else files, RULES, tool_version=TOOL_VERSION)
