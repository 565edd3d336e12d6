"""`tickmig apply DIR`: print the calls that bring Kapacitor to what DIR (an export, migrated
in place) defines; with --yes make exactly those calls, in that order.

Before the first change a rollback manifest is written (`DIR/rollback.json` unless told
otherwise); it lists every object's state before and after and each change as it is made,
so a run that stops half-way says exactly what it did."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tickmig.errors import ConfigError
from tickmig.kapacitor.client import Client, KapacitorError, Request, task_path, template_path
from tickmig.kapacitor.model import Manifest, TaskDef, TemplateDef, digest, dump_json
from tickmig.kapacitor.plan import Plan, Step, build_steps, make_plan
from tickmig.text.atomic import atomic_write

ROLLBACK_FORMAT = "tickmig-kapacitor-rollback/1"
Echo = Callable[[str], None]


@dataclass
class ApplyOptions:
    yes: bool = False
    force: bool = False
    rollback_manifest: str | None = None


def show_body(body: dict[str, Any] | None) -> str:
    """A request body as printed: scripts by size and hash (they are in the directory)."""
    if body is None:
        return ""

    def short(key: str, value: Any) -> Any:
        if key == "script" and isinstance(value, str):
            return f"<{len(value.encode())} bytes {digest(value)[:19]}>"
        return value

    return " " + json.dumps({k: short(k, v) for k, v in body.items()}, ensure_ascii=False)


def show(step: Step) -> str:
    return f"{step.request.method} {step.request.target()}{show_body(step.request.body)}"


def read_checks(client: Client, plan: Plan) -> tuple[list[Step], dict[str, TaskDef], list[str]]:
    """GET every object the plan touches; the steps made, what was found, what differs."""
    raw = (("script-format", "raw"),)
    steps: list[Step] = []
    observed: dict[str, TaskDef] = {}
    changed: list[str] = []
    for tid, before in plan.before_templates.items():
        step = Step("check", f"template {tid}", Request("GET", template_path(tid), raw))
        steps.append(step)
        found = TemplateDef.from_api(client.template(tid))
        if found.digest() != before.digest():
            changed.append(f"template {tid}")
            plan.before_templates[tid] = found  # only used further with --force
    for ident, base in plan.before_tasks.items():
        steps.append(Step("check", f"task {ident}", Request("GET", task_path(ident), raw)))
        observed[ident] = TaskDef.from_api(client.task(ident))
        if observed[ident].digest() != base.digest():
            changed.append(f"task {ident}")
    return steps, observed, changed


def describe(plan: Plan, echo: Echo) -> None:
    for tid in plan.templates:
        cascaded = ", ".join(plan.cascades[tid]) or "no task"
        echo(
            f"template {tid}: script changes; the PATCH re-defines {cascaded} "
            "(Kapacitor restarts the enabled ones)"
        )
    cascaded_tasks = {i for ids in plan.cascades.values() for i in ids}
    for ident, task in plan.tasks.items():
        before = plan.before_tasks[ident]
        if ident in cascaded_tasks and task.vars == before.vars and task.dbrps == before.dbrps:
            echo(
                f"task {ident} ({task.type}, {before.status}): re-defined by the PATCH of "
                f"template {task.template_id}"
                + (" (Kapacitor restarts it)" if before.status == "enabled" else "")
            )
            continue
        what = []
        if task.script != before.script and not task.template_id:
            what.append("script")
        if task.dbrps != before.dbrps:
            what.append("dbrps")
        if task.vars != before.vars:
            what.append("vars")
        via = f"template {task.template_id}" if task.template_id else "its script"
        reload = "; enabled: disabled and re-enabled" if before.status == "enabled" else ""
        echo(
            f"task {ident} ({task.type}, {before.status}): {', '.join(what) or via} changes{reload}"
        )


def run_apply(directory: str, client: Client, options: ApplyOptions, echo: Echo) -> int:
    manifest = Manifest.read(directory)
    plan = make_plan(directory, manifest)
    for note in plan.notes:
        echo(f"note: {note}")
    if plan.empty:
        echo("nothing to apply: the directory defines what was exported")
        return 0
    checks, observed, changed = read_checks(client, plan)
    if changed and not options.force:
        raise KapacitorError(
            f"{', '.join(changed)} changed on Kapacitor since the export; export again and "
            "migrate that, or pass --force to overwrite"
        )
    steps = checks + build_steps(plan, observed)
    describe(plan, echo)
    echo("calls:")
    for number, step in enumerate(steps, 1):
        echo(f"  {number:>3}. {show(step)}  [{step.kind} {step.subject}]")
    if not options.yes:
        echo("dry run: nothing changed; run again with --yes to make these calls")
        return 0
    path = options.rollback_manifest or os.path.join(directory, "rollback.json")
    if os.path.lexists(path):
        raise ConfigError(f"{path}: a rollback manifest is already there; move it first")
    # the read checks were made above: the calls go on from there
    _execute(client, plan, observed, steps, len(checks), path, echo)
    echo(
        f"applied {sum(s.kind == 'change' for s in steps)} change(s); undo: "
        f"tickmig apply --rollback {path}"
    )
    return 0


def _execute(
    client: Client,
    plan: Plan,
    observed: dict[str, TaskDef],
    steps: list[Step],
    made: int,
    path: str,
    echo: Echo,
) -> None:
    rollback: dict[str, Any] | None = None
    failures: dict[str, str] = {}
    done = 0
    for number, step in enumerate(steps, 1):
        if number <= made:
            continue
        if step.kind == "change" and rollback is None:
            if failures:
                for subject, message in failures.items():
                    echo(f"{subject}: Kapacitor rejects the migrated script: {message}")
                raise KapacitorError(
                    f"Kapacitor rejected {len(failures)} migrated definition(s); nothing changed"
                )
            rollback = _rollback_document(plan, observed, steps)
            _save(path, rollback)
        try:
            if step.kind == "validate":
                try:
                    client.call(step.request, step.ok)
                except KapacitorError as exc:
                    if exc.status != 400:
                        raise
                    failures.setdefault(step.subject, str(exc).split(": ", 2)[-1])
                continue
            answer = client.call(step.request, step.ok)
            if step.kind == "check" and step.expect is not None:
                found = _digest_of(step, answer)
                if found != step.expect:
                    raise KapacitorError(
                        f"{step.subject} changed on Kapacitor during the apply; stopped"
                    )
        except KapacitorError as exc:
            if rollback is not None:
                rollback["status"] = f"stopped at call {number}: {exc}"
                maybe = ""
                if step.kind == "change" and (exc.status == 0 or exc.status >= 500):
                    # no answer, or a server error: the change may have been made (a failed
                    # template cascade keeps the new template: updateAllAssociatedTasks)
                    rollback["steps"][number - 1]["done"] = "unknown"
                    maybe = f" and call {number} may have taken effect"
                _save(path, rollback)
                raise KapacitorError(
                    f"{exc} (after {done} change(s){maybe}; {path} lists them: "
                    f"tickmig apply --rollback {path})",
                    exc.status,
                ) from None
            raise
        if step.kind == "change" and rollback is not None:
            done += 1
            rollback["steps"][number - 1]["done"] = True
            _save(path, rollback)
    if rollback is not None:
        rollback["status"] = "complete"
        _save(path, rollback)
    elif failures:
        for subject, message in failures.items():
            echo(f"{subject}: Kapacitor rejects the migrated script: {message}")
        raise KapacitorError(f"Kapacitor rejected {len(failures)} migrated definition(s)")


def _save(path: str, rollback: dict[str, Any]) -> None:
    try:
        atomic_write(path, dump_json(rollback))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the rollback manifest: {exc.strerror}") from None


def _digest_of(step: Step, answer: Any) -> str:
    if not isinstance(answer, dict):
        raise KapacitorError(f"{show(step)}: the answer is not an object")
    if step.subject.startswith("template "):
        return TemplateDef.from_api(answer).digest()
    return TaskDef.from_api(answer).digest()


def _rollback_document(
    plan: Plan, observed: dict[str, TaskDef], steps: list[Step]
) -> dict[str, Any]:
    return {
        "format": ROLLBACK_FORMAT,
        "status": "in progress",
        "templates": {
            i: {"before": plan.before_templates[i].state(), "after": t.state()}
            for i, t in plan.templates.items()
        },
        "tasks": {
            i: {"before": observed[i].state(), "after": t.state()} for i, t in plan.tasks.items()
        },
        "steps": [
            {"call": show(s), "kind": s.kind, "subject": s.subject, "done": False} for s in steps
        ],
    }
