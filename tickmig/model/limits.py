"""The buckets a migration to InfluxDB Cloud needs, against the plan's limits: the user buckets
that exist on the server as the mapping sources describe it, plus those the actions create
(tickmig.targets.cloudplan.CloudBuckets), and the findings of the Cloud plan rules (TM420,
TM421) for `check` and `report`, at the writes and queries of each created bucket."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tickmig.diagnostics import Diagnostic, FileResult
from tickmig.engine.suppression import suppress
from tickmig.errors import InputError
from tickmig.mappings import MappingSet
from tickmig.model.actions import Plan, org_name
from tickmig.model.flows import MigrationModel
from tickmig.model.proof import initial_target
from tickmig.model.target import InfluxDB2
from tickmig.rules.base import Context
from tickmig.rules.cloud_bucket_limit import CloudBucketLimit
from tickmig.rules.cloud_retention_limit import CloudRetentionLimit
from tickmig.targets.cloudplan import (
    SYSTEM_BUCKETS,
    BucketUse,
    CloudBuckets,
    CreatedBucket,
    user_buckets,
)
from tickmig.tasks.model import Task
from tickmig.tasks.workspace import Workspace

#: The rules that read CloudBuckets.
CODES = (CloudBucketLimit.code, CloudRetentionLimit.code)
_VERBS = {"write": "writes", "batch-read": "queries"}


def cloud_buckets(model: MigrationModel, plan: Plan, start: InfluxDB2) -> CloudBuckets | None:
    """What the migration needs on Cloud (None on other targets); ``start`` is the server
    before the actions (tickmig.model.proof.initial_target)."""
    ms = model.inputs.mappings
    if not ms.profile.cloud_like:
        return None
    org = org_name(model)
    existing = user_buckets([b.name for b in start.buckets if b.org == org])
    flows = {f.id: f for f in model.flows}
    created = []
    for action in plan.actions:
        if action.kind != "bucket-create" or action.bucket in SYSTEM_BUCKETS:
            continue
        assert action.bucket is not None
        uses = tuple(
            BucketUse(f.path, f.start, f.end, _VERBS[f.kind], f.pair.label, f.subject)
            for f in (flows[i] for i in action.flows if i in flows)
            if f.start >= 0 and f.kind in _VERBS and f.actor != "telegraf"
        )
        created.append(CreatedBucket(action.bucket, action.v1_retention, action.retention, uses))
    listed = bool(ms.buckets)  # a live server or a GET /api/v2/buckets listing
    return CloudBuckets(existing, tuple(created), ms.origin, ms.profile.cloud_plan, listed)


def limit_findings(
    buckets: CloudBuckets,
    tasks: Iterable[Task],
    context: Callable[[Task, set[str]], Context | None],
    enabled: set[str],
) -> list[Diagnostic]:
    """The findings of the enabled Cloud plan rules for each task that uses a created
    bucket; ``context(task, paths)`` gives the rule context with the texts of ``paths`` (None
    when they cannot be read). `// tickmig: ignore` comments are honoured."""
    rules = [r() for r in (CloudBucketLimit, CloudRetentionLimit) if r.code in enabled]
    if not rules:
        return []
    out: list[Diagnostic] = []
    for task in tasks:
        entry = task.definition or task.path
        paths = {u.path for b in buckets.created for u in b.uses if u.task == entry}
        if not paths:
            continue
        ctx = context(task, paths)
        if ctx is None:
            continue
        ctx.cloud = buckets
        found = [d for rule in rules for d in rule.check(ctx)]
        out.extend(suppress(found, {task.path: task.script}))
    return out


def plan_findings(
    model: MigrationModel, plan: Plan, workspace: Workspace, enabled: set[str]
) -> list[Diagnostic]:
    """TM420/TM421 for the whole migration (`plan`: its actions); none off Cloud."""
    ms = model.inputs.mappings
    buckets = cloud_buckets(model, plan, initial_target(ms, org_name(model)))
    if buckets is None:
        return []
    return limit_findings(buckets, model.inputs.tasks, workspace_context(workspace, ms), enabled)


def workspace_context(
    workspace: Workspace, mappings: MappingSet
) -> Callable[[Task, set[str]], Context | None]:
    """A rule context for a task with the texts of the workspace's files `paths` (None when
    none of them can be read)."""

    def context(task: Task, paths: set[str]) -> Context | None:
        texts: dict[str, str] = {}
        for path in paths:
            try:
                texts[path] = workspace.source(path).text
            except InputError:
                continue
        return Context(task, mappings, texts) if texts else None

    return context


def with_findings(results: list[FileResult], found: list[Diagnostic]) -> list[FileResult]:
    """The results with `found` added to the file each finding points at, sorted."""
    by_path = {r.path: r for r in results}
    for d in found:
        result = by_path.setdefault(d.location.path, FileResult(d.location.path))
        if d not in result.diagnostics:
            result.diagnostics.append(d)
            result.diagnostics = result.sorted()
    return [by_path[p] for p in sorted(by_path)]
