"""What the configuration checks need from the tasks: stream inputs, .cluster() uses, Flux tasks."""

from __future__ import annotations

from dataclasses import replace

from tickmig.configs.model import Facts, StreamInput
from tickmig.mappings import MappingSet
from tickmig.report.model import (
    Pair,
    PairReport,
    ReportOptions,
)
from tickmig.report.uses import (
    STREAM_INPUT_VIAS,
    definitions_for,
    is_stream_task,
    resolve_pairs,
    task_uses,
)
from tickmig.settings import Settings
from tickmig.tasks.loaddir import Definition
from tickmig.tasks.model import DBRPUse, Task
from tickmig.tasks.workspace import Workspace
from tickmig.tickscript.nodes import Identifier


def config_facts(
    workspace: Workspace,
    tasks: list[Task],
    mappings: MappingSet,
    settings: Settings,
    options: ReportOptions,
) -> Facts:
    """What the TM3xx rules need to know about the tasks (for `check --telegraf-conf`)."""
    pairs, _resolutions, loopback = resolve_pairs(tasks, mappings, {})
    definitions = definitions_for(tasks, workspace)
    return facts_for(tasks, definitions, mappings, settings, pairs, loopback, options)


def facts_for(
    tasks: list[Task],
    definitions: dict[str, Definition],
    mappings: MappingSet,
    settings: Settings,
    pairs: list[PairReport],
    loopback: set[Pair],
    options: ReportOptions,
) -> Facts:
    return Facts(
        mappings,
        # The patches never write the address tickmig itself used to reach InfluxDB.
        replace(settings, influx_url=None),
        stream_inputs(tasks, definitions, loopback),
        clusters(tasks),
        flux_tasks(tasks),
        {p.pair: p for p in pairs},
        loopback,
        patch_influx_url=options.patch_influx_url,
    )


def stream_inputs(
    tasks: list[Task], definitions: dict[str, Definition], loopback: set[Pair]
) -> list[StreamInput]:
    """Every (db, rp) that stream tasks take as input, and the measurements they read from it
    (`from().measurement()`; all must be known for Telegraf's namepass)."""
    inputs: dict[Pair, StreamInput] = {}
    # A stream task whose DBRPs are not in view (a vars file, defined with `-dbrp` on the
    # command line) may read any pair: then no namepass can be known to be complete.
    unseen_subscriber = False
    for task in tasks:
        if not is_stream_task(task):
            continue
        entry = task.definition or task.path
        froms = [u for u in task.reads if u.via == "from"]
        subscriptions = [
            u
            for u in task_uses(task)
            if u.direction == "read" and u.via in STREAM_INPUT_VIAS and u.pair is not None
        ]
        unseen_subscriber = unseen_subscriber or not subscriptions
        for use in task_uses(task):
            if use.direction != "read" or use.via not in STREAM_INPUT_VIAS or use.pair is None:
                continue
            item = inputs.setdefault(use.pair, StreamInput(use.pair))
            item.tasks.add(entry)
            applicable = [f for f in froms if _filters_pair(f, use.pair)]
            if not applicable:
                item.all_known = False
            for source in applicable:
                measurement = _measurement(task, source, definitions)
                if measurement is None:
                    item.all_known = False
                else:
                    item.measurements.add(measurement)
    if unseen_subscriber:
        for item in inputs.values():
            item.all_known = False
    return [inputs[p] for p in sorted(inputs, key=Pair.sort_key)]


def _filters_pair(source: DBRPUse, pair: Pair) -> bool:
    """Whether a `from()` node can receive points of `pair` (its own filters allow them)."""
    db, rp = source.database, source.retention_policy
    if db.kind != "unset" and db.text is not None and db.text != pair.database:
        return False
    return not (rp.kind != "unset" and rp.text is not None and rp.text != pair.retention_policy)


def _measurement(task: Task, source: DBRPUse, definitions: dict[str, Definition]) -> str | None:
    """The measurement a `from()` reads; a template var is looked up in the task definition."""
    definition = definitions.get(task.definition or "")
    if definition is not None:
        for node in task.nodes:
            if node.call is not source.node:
                continue
            prop = node.property("measurement")
            arg = prop.args[0] if prop is not None and prop.args else None
            if isinstance(arg, Identifier) and arg.name in definition.vars:
                _type, located = definition.vars[arg.name]
                if located is not None and isinstance(located.value, str):
                    return located.value
                return None
    return source.measurement


def clusters(tasks: list[Task]) -> dict[str | None, set[str]]:
    out: dict[str | None, set[str]] = {}
    for task in tasks:
        if task.template:
            continue
        for feature in task.features:
            if feature.name == "cluster":
                name = feature.argument.text if feature.argument is not None else None
                out.setdefault(name, set()).add(task.definition or task.path)
    return out


def flux_tasks(tasks: list[Task]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for task in tasks:
        if task.template or not any(f.name == "queryFlux" for f in task.features):
            continue
        cluster = None
        for node in task.nodes:
            if node.name == "queryFlux":
                prop = node.property("cluster")
                if prop is not None and prop.args:
                    from tickmig.tickscript.nodes import String

                    arg = prop.args[0]
                    cluster = arg.value if isinstance(arg, String) else None
        out[task.definition or task.path] = cluster
    return out
