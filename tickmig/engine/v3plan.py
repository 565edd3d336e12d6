"""The V3Plan of a whole migration (every task's pairs, the live server's databases, the 1.x
retention-policy durations a 1.x source told), for the InfluxDB 3 rules and commands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tickmig.errors import InputError, TickSyntaxError
from tickmig.mappings import MappingSet
from tickmig.mappings.v3resolution import live_v3
from tickmig.rules.helpers.v3 import pair_uses
from tickmig.targets.plan import PairUse, V3Plan, build_plan
from tickmig.tasks.loaddir import Definition, instantiate
from tickmig.tasks.model import Task
from tickmig.tasks.workspace import Loader, Workspace


def plan_for(mappings: MappingSet, tasks: Iterable[Task]) -> V3Plan:
    """The databases after the migration: a plan's renames (and `database =` entries, which
    are renames to the pair that reaches the database) applied to every pair."""
    uses = [_renamed(mappings, use) for task in tasks for use in pair_uses(task)]
    existing = {d.name: d.retention for d in mappings.databases} if live_v3(mappings) else None
    durations: dict[tuple[str, str], str] = {}
    # a 1.x source inventory (--influxql-url on InfluxDB 1.x), or mappings that carry durations
    known = [(r.database, r.name, r.duration, r.default) for r in mappings.inventory]
    known += [(m.database, m.retention_policy, m.duration, m.default) for m in mappings.mappings]
    for database, name, duration, default in known:
        if duration is not None:
            durations.setdefault((database, name), duration)
            if default:
                durations.setdefault((database, ""), duration)
    plans = tuple((p.path, p.text) for p in mappings.plans)
    return build_plan(mappings.profile, uses, existing, durations, plans, _entries(mappings))


def _entries(
    mappings: MappingSet,
) -> dict[str, tuple[tuple[tuple[str, str | None], str], ...]]:
    """The databases the plan's exact entries send a 1.x pair to (whether or not the scripts
    are rewritten yet): what a consolidation may fold back."""
    from tickmig.targets.v3names import write_database

    out: dict[str, list[tuple[tuple[str, str | None], str]]] = {}
    for rename in mappings.renames:
        if rename.to_database is None or rename.retention_policy is None:
            continue
        name = write_database(rename.to_database, rename.to_retention_policy)
        pair = (rename.database, rename.retention_policy)
        out.setdefault(name, []).append((pair, rename.from_text))
    return {name: tuple(found) for name, found in out.items()}


def _renamed(mappings: MappingSet, use: PairUse) -> PairUse:
    rename = mappings.rename_for(use.database, use.retention_policy)
    if rename is None or rename.to_database is None:
        return use
    rp = rename.to_retention_policy or use.retention_policy
    return replace(use, database=rename.to_database, retention_policy=rp)


def workspace_tasks(
    workspace: Workspace, load: Loader, definitions: Iterable[Definition]
) -> list[Task]:
    """The task of every script that parses, and of every definition with a template (the
    workspace parses each text once; scripts that do not parse are `check`'s to report)."""
    tasks = []
    for path in workspace.scripts:
        try:
            tasks.append(workspace.template_task(path, load))
        except (InputError, TickSyntaxError):
            continue
    for definition in definitions:
        tpath = workspace.template_of(definition, load)
        if tpath is None:
            continue
        try:
            tasks.append(instantiate(workspace.template_task(tpath, load), definition))
        except (InputError, TickSyntaxError):
            continue
    return tasks
