"""What `tickmig apply` will do: the export directory (migrated in place) is compared with
its manifest, and every change becomes an exact sequence of Kapacitor calls.

Rules read from Kapacitor's `services/task_store/service.go` and `client/v1/client.go`:
* a task keeps its ID: it is PATCHed, never deleted and re-created (alert state and node
  names survive);
* a script with a `dbrp` statement gets its script PATCHed; a task whose DBRPs were given
  beside the script gets its `dbrps` field PATCHed (sending both is a 400);
* PATCHing an enabled task's definition does not restart it: it is then disabled and
  enabled (what `kapacitor define` does);
* a template PATCH replaces the script of every task made from it and restarts the enabled
  ones itself (`updateAllAssociatedTasks`);
* each migrated script is first defined under a scratch ID as a disabled task, so Kapacitor
  compiles it and says what is wrong, then deleted."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from tickmig.errors import ConfigError
from tickmig.kapacitor.client import BASE, Request, task_path, template_path
from tickmig.kapacitor.model import Manifest, TaskDef, TemplateDef, script_dbrps

SCRATCH = "tickmig-verify-"


@dataclass(frozen=True)
class Step:
    """One call and why; `expect` is the content hash a GET must find."""

    kind: str  # check | validate | cleanup | change
    subject: str  # "task X" / "template T"
    request: Request
    ok: tuple[int, ...] = (200,)
    expect: str | None = None


@dataclass
class Plan:
    tasks: dict[str, TaskDef]  # the desired state of every task touched (directly or not)
    templates: dict[str, TemplateDef]
    before_tasks: dict[str, TaskDef]
    before_templates: dict[str, TemplateDef]
    cascades: dict[str, list[str]] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.tasks and not self.templates


def _read(directory: str, rel: str) -> str:
    path = os.path.join(directory, rel)
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None


def _definition(directory: str, ident: str) -> dict[str, Any] | None:
    import yaml

    rel = f"tasks/{ident}.yaml"
    if not os.path.exists(os.path.join(directory, rel)):
        return None
    try:
        data = yaml.safe_load(_read(directory, rel))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise ConfigError(f"{os.path.join(directory, rel)}{where}: invalid YAML") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{os.path.join(directory, rel)}: a task definition must be a mapping")
    return data


def desired_state(
    directory: str, manifest: Manifest
) -> tuple[dict[str, TaskDef], dict[str, TemplateDef]]:
    """Every exported task and template as the directory now defines it."""
    templates = {
        i: replace(t, script=_read(directory, f"templates/{i}.tick"))
        for i, t in manifest.templates.items()
    }
    tasks: dict[str, TaskDef] = {}
    for ident, base in manifest.tasks.items():
        task = replace(base, dbrps=list(base.dbrps), vars=dict(base.vars))
        data = _definition(directory, ident) or {}
        where = os.path.join(directory, f"tasks/{ident}.yaml")
        if str(data.get("template-id") or "") != base.template_id:
            raise ConfigError(f"{where}: changing a task's template-id is not supported")
        if task.template_id:
            task.script = templates[task.template_id].script
        else:
            task.script = _read(directory, f"tasks/{ident}.tick")
        if "vars" in data:
            task.vars = dict(data["vars"] or {})
        if base.vars and not task.vars:
            raise ConfigError(f"{where}: Kapacitor cannot remove a task's vars through PATCH")
        found = script_dbrps(task.script)
        if found:
            task.dbrps = found
        elif "dbrps" in data:
            try:
                task.dbrps = [{"db": str(d["db"]), "rp": str(d["rp"])} for d in data["dbrps"]]
            except (KeyError, TypeError):
                raise ConfigError(f"{where}: dbrps must be a list of {{db, rp}}") from None
        tasks[ident] = task
    return tasks, templates


def _outside(task: TaskDef) -> bool:
    return not script_dbrps(task.script) and bool(task.dbrps)


def patch_body(before: TaskDef, after: TaskDef) -> dict[str, Any]:
    """The fields of `after` that differ, as UpdateTaskOptions (only non-zero ones apply)."""
    body: dict[str, Any] = {}
    if not after.template_id and after.script != before.script:
        body["script"] = after.script
    if _outside(after) and after.dbrps != before.dbrps:
        body["dbrps"] = after.dbrps
    if after.vars != before.vars:
        body["vars"] = after.vars
    return body


def create_body(ident: str, task: TaskDef, template_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"id": ident, "type": task.type}
    if template_id:
        body["template-id"] = template_id
    else:
        body["script"] = task.script
    if _outside(task):
        body["dbrps"] = task.dbrps
    body["status"] = "disabled"
    if task.vars:
        body["vars"] = task.vars
    return body


def cascade(task: TaskDef, template: TemplateDef) -> TaskDef:
    """What Kapacitor's updateAllAssociatedTasks makes of a task when its template changes."""
    out = replace(task, script=template.script, type=template.type or task.type)
    found = script_dbrps(template.script)
    if found or script_dbrps(task.script):
        out.dbrps = found or []
    return out


def make_plan(directory: str, manifest: Manifest) -> Plan:
    tasks, templates = desired_state(directory, manifest)
    changed_templates = {
        i: t for i, t in templates.items() if t.script != manifest.templates[i].script
    }
    plan = Plan({}, changed_templates, {}, {i: manifest.templates[i] for i in changed_templates})
    touched = {i for i, t in tasks.items() if patch_body(manifest.tasks[i], t)}
    for tid in changed_templates:
        plan.cascades[tid] = sorted(i for i, t in manifest.tasks.items() if t.template_id == tid)
        touched.update(plan.cascades[tid])
    plan.tasks = {i: tasks[i] for i in sorted(touched)}
    plan.before_tasks = {i: manifest.tasks[i] for i in sorted(touched)}
    for kind, known in (("tasks", manifest.tasks), ("templates", manifest.templates)):
        folder = os.path.join(directory, kind)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            stem, ext = os.path.splitext(name)
            if ext in (".tick", ".yaml") and stem not in known:
                plan.notes.append(
                    f"{kind}/{name} is not in the export: apply only changes exported objects"
                )
    for rel, expected in sorted(manifest.files.items()):
        if rel.startswith(("handlers/", "config/")) and _file_digest(directory, rel) != expected:
            plan.notes.append(f"{rel} changed: apply does not change topic handlers or config")
    return plan


def _file_digest(directory: str, rel: str) -> str | None:
    import hashlib

    try:
        with open(os.path.join(directory, rel), "rb") as f:
            return "sha256:" + hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def build_steps(plan: Plan, observed: dict[str, TaskDef]) -> list[Step]:
    """The calls after the read checks: validation under scratch IDs, then the changes.
    `observed` is each touched task as the server held it at the check (the manifest's
    state unless --force accepted a difference)."""
    steps: list[Step] = []
    validated: set[str] = set()
    for tid, template in plan.templates.items():
        scratch_tpl = SCRATCH + tid
        subject = f"template {tid}"
        body = {"id": scratch_tpl, "type": template.type, "script": template.script}
        steps.append(Step("validate", subject, Request("POST", f"{BASE}/templates", (), body)))
        for ident in plan.cascades[tid]:
            scratch = SCRATCH + ident
            create = create_body(scratch, plan.tasks[ident], scratch_tpl)
            steps.append(
                Step("validate", f"task {ident}", Request("POST", f"{BASE}/tasks", (), create))
            )
            steps.append(
                Step("cleanup", f"task {ident}", Request("DELETE", task_path(scratch)), (204,))
            )
            validated.add(ident)
        steps.append(
            Step("cleanup", subject, Request("DELETE", template_path(scratch_tpl)), (204,))
        )
    for ident, task in plan.tasks.items():
        if ident in validated:
            continue
        scratch = SCRATCH + ident
        create = create_body(scratch, task, task.template_id or None)
        steps.append(
            Step("validate", f"task {ident}", Request("POST", f"{BASE}/tasks", (), create))
        )
        steps.append(
            Step("cleanup", f"task {ident}", Request("DELETE", task_path(scratch)), (204,))
        )
    raw = (("script-format", "raw"),)
    current = dict(observed)
    for tid, template in plan.templates.items():
        subject = f"template {tid}"
        before = plan.before_templates[tid]
        steps.append(
            Step("check", subject, Request("GET", template_path(tid), raw), expect=before.digest())
        )
        body = {"script": template.script}
        steps.append(Step("change", subject, Request("PATCH", template_path(tid), (), body)))
        for ident in plan.cascades[tid]:
            current[ident] = cascade(current[ident], template)
    for ident, task in plan.tasks.items():
        subject = f"task {ident}"
        body = patch_body(current[ident], task)
        if not body:
            continue
        expect = current[ident].digest()
        steps.append(Step("check", subject, Request("GET", task_path(ident), raw), expect=expect))
        steps.append(Step("change", subject, Request("PATCH", task_path(ident), (), body)))
        if current[ident].status == "enabled":
            for status in ("disabled", "enabled"):
                reload = Request("PATCH", task_path(ident), (), {"status": status})
                steps.append(Step("change", subject, reload))
    return steps
