"""What each task uses: its DBRP pairs (resolved against the mapping sources), where each one
comes from, and the task definitions of a load directory."""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.errors import InputError
from tickmig.mappings import MappingSet, Resolution, ResolutionStatus
from tickmig.model.flows import MigrationModel
from tickmig.report.model import (
    Pair,
    PairReport,
    UseRow,
)
from tickmig.tasks.loaddir import Definition
from tickmig.tasks.model import Task, Value
from tickmig.tasks.workspace import Workspace
from tickmig.text.spans import LineIndex


class Texts:
    """File texts by path, from the workspace (for line numbers)."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._indexes: dict[str, LineIndex] = {}

    def text(self, path: str) -> str:
        try:
            return self._workspace.source(path).text
        except InputError:
            return ""

    def line(self, path: str, offset: int) -> int:
        index = self._indexes.get(path)
        if index is None:
            index = self._indexes[path] = LineIndex(self.text(path))
        return index.line_column(offset)[0]


STREAM_INPUT_VIAS = ("dbrp", "task-dbrps")


@dataclass(frozen=True)
class Use:
    direction: str
    via: str
    pair: Pair | None
    label: str
    path: str
    start: int
    #: Where the database value is written (a task definition's value, a var), if anywhere.
    value_path: str
    value_start: int


def _part(value: Value) -> str:
    if value.text is not None:
        return f'"{value.text}"'
    if value.var is not None:
        return f"<var {value.var}>"
    return "<unknown>"


Sent = dict[tuple[str, int], list[Pair]]


def sent_pairs(model: MigrationModel) -> Sent:
    """(task, influxDBOut node offset) -> the pairs it sends, from the migration model."""
    out: Sent = {}
    for flow in model.flows:
        if flow.actor == "influxDBOut":
            found = out.setdefault((flow.subject, flow.start), [])
            if flow.before not in found:
                found.append(flow.before)
    return out


def task_uses(task: Task, sent: Sent | None = None) -> list[Use]:
    """The DBRP references of a task (a `from()` without both a database and a retention
    policy only filters the task's DBRPs, and an unqualified query source names none: both
    are left out; check reports the latter as TM103). With `sent` (the model's), an
    `influxDBOut()` counts with each pair it really sends."""
    out: list[Use] = []
    entry = task.definition or task.path
    for use in task.uses():
        db, rp = use.database, use.retention_policy
        if use.via == "from" and (db.kind == "unset" or rp.kind == "unset"):
            continue
        if use.via == "query" and db.kind == "unset":
            continue
        rp_unset = rp.kind == "unset"
        known = db.text is not None and (rp_unset or rp.text is not None)
        pair = Pair(db.text, None if rp_unset else rp.text) if known else None  # type: ignore[arg-type]
        label = (
            pair.label
            if pair is not None
            else (_part(db) if rp_unset else f"{_part(db)}.{_part(rp)}")
        )
        # The node's offsets are in the task's script (the template of a task definition).
        start = use.node.start if use.node is not None and use.path == task.path else use.start
        node_start = use.node.start if use.node is not None else -1
        really = (sent or {}).get((entry, node_start), [])
        if use.via == "influxDBOut" and really and really != [pair]:
            value_start = db.start if db.end > db.start else start
            out.extend(
                Use(use.direction, use.via, p, p.label, use.path, start, db.path, value_start)
                for p in really
            )
            continue
        out.append(
            Use(
                use.direction,
                use.via,
                pair,
                label,
                use.path,
                start,
                db.path,
                db.start if db.end > db.start else start,
            )
        )
    return out


def is_stream_task(task: Task) -> bool:
    return task.type == "stream" and not task.template


def resolve_pairs(
    tasks: list[Task], mappings: MappingSet, sent: Sent
) -> tuple[list[PairReport], list[tuple[Pair, Resolution]], set[Pair]]:
    readers: dict[Pair, set[str]] = {}
    writers: dict[Pair, set[str]] = {}
    stream_inputs: dict[Pair, set[str]] = {}
    influx_uses: set[Pair] = set()
    loopback: set[Pair] = set()
    for task in tasks:
        if task.template:
            continue
        entry = task.definition or task.path
        for use in task_uses(task, sent):
            if use.pair is None:
                continue
            if use.direction == "read":
                readers.setdefault(use.pair, set()).add(entry)
                if is_stream_task(task) and use.via in STREAM_INPUT_VIAS:
                    stream_inputs.setdefault(use.pair, set()).add(entry)
                elif not is_stream_task(task):
                    influx_uses.add(use.pair)
            elif use.via == "kapacitorLoopback":
                loopback.add(use.pair)
                writers.setdefault(use.pair, set()).add(entry)
            else:
                writers.setdefault(use.pair, set()).add(entry)
                influx_uses.add(use.pair)
    out: list[PairReport] = []
    resolutions: list[tuple[Pair, Resolution]] = []
    for pair in sorted(set(readers) | set(writers), key=Pair.sort_key):
        report = PairReport(
            pair,
            "",
            None,
            "",
            None,
            sorted(readers.get(pair, ())),
            sorted(writers.get(pair, ())),
            sorted(stream_inputs.get(pair, ())),
        )
        if pair in loopback and pair not in influx_uses:
            report.status = "kapacitor"
            report.reason = (
                "only kapacitorLoopback writes it: the points stay inside "
                "Kapacitor, no DBRP mapping is needed"
            )
        else:
            # Only written: resolved as a write (InfluxDB 3 lowercases the rp on write only).
            direction = "write" if pair not in readers else None
            res = mappings.resolve(pair.database, pair.retention_policy, direction)
            report.status = res.status.value
            report.bucket = res.bucket
            report.reason = res.reason
            rename = res.rename
            if rename is not None and rename.to_database is not None:
                report.renamed_to = Pair(
                    rename.to_database, rename.to_retention_policy or pair.retention_policy
                )
            if res.status is not ResolutionStatus.SYSTEM:
                resolutions.append((pair, res))
        out.append(report)
    return out, resolutions, loopback


def use_rows(
    task: Task | None, entry: str, pairs: dict[Pair, PairReport], texts: Texts, sent: Sent
) -> list[UseRow]:
    if task is None:
        return []
    rows: dict[tuple[str, str], UseRow] = {}
    for use in task_uses(task, sent):
        status, bucket, note = "unknown", None, None
        if task.template:
            status = "template"
        elif use.via == "kapacitorLoopback":
            status = "kapacitor"
        elif use.pair is not None and use.pair in pairs:
            found = pairs[use.pair]
            status, bucket = found.status, found.bucket
            if found.renamed_to is not None:
                note = f"the plan renames it to {found.renamed_to.label}"
        row = rows.setdefault(
            (use.direction, use.label),
            UseRow(use.direction, use.label, use.pair, [], [], status, bucket, note),
        )
        if use.via not in row.vias:
            row.vias.append(use.via)
        path, offset = use.path, use.start
        if path != entry and use.value_path == entry:
            path, offset = use.value_path, use.value_start
        line = texts.line(path, offset)
        place = f"{line}" if path == entry else f"{path}:{line}"
        if place not in row.places:
            row.places.append(place)
    return sorted(rows.values(), key=lambda r: (r.direction != "read", r.label))


# --- tasks ------------------------------------------------------------------------------------


def definitions_for(tasks: list[Task], workspace: Workspace) -> dict[str, Definition]:
    """The definition (or vars file) of every task a definition creates."""
    return {
        task.definition: workspace.definitions[task.definition]
        for task in tasks
        if task.definition is not None and task.definition in workspace.definitions
    }
