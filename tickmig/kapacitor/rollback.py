"""`tickmig apply --rollback MANIFEST`: put every task and template an apply changed back as
it was (raw scripts, so byte for byte), with its previous status.

Templates go first (their PATCH re-defines their tasks, `updateAllAssociatedTasks`), then
each task's own fields, then a reload for tasks that were enabled (a definition PATCH does
not restart a task). Every object is read back and must hash as before."""

from __future__ import annotations

import json
from typing import Any

from tickmig.errors import ConfigError
from tickmig.kapacitor.apply import ROLLBACK_FORMAT, Echo, show_body
from tickmig.kapacitor.client import Client, KapacitorError, Request, task_path, template_path
from tickmig.kapacitor.model import TaskDef, TemplateDef
from tickmig.kapacitor.plan import patch_body


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the rollback manifest: {exc.strerror}") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: not a rollback manifest: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != ROLLBACK_FORMAT:
        raise ConfigError(f"{path}: not a tickmig rollback manifest ({ROLLBACK_FORMAT})")
    return doc


def run_rollback(path: str, client: Client, force: bool, echo: Echo) -> int:
    doc = _read(path)
    templates = {
        i: (TemplateDef.from_api(v["before"]), TemplateDef.from_api(v["after"]))
        for i, v in (doc.get("templates") or {}).items()
    }
    tasks = {
        i: (TaskDef.from_api(v["before"]), TaskDef.from_api(v["after"]))
        for i, v in (doc.get("tasks") or {}).items()
    }
    complete = doc.get("status") == "complete"
    if not complete:  # a run that stopped: only what it changed goes back
        done = {s.get("subject") for s in doc.get("steps") or [] if s.get("done")}
        templates = {i: v for i, v in templates.items() if f"template {i}" in done}
        tasks = {
            i: v for i, v in tasks.items() if f"task {i}" in done or v[0].template_id in templates
        }
    # A complete apply left each object as `after`; anything else was changed since.
    # After a run that stopped half-way, intermediate states are expected.
    changed = []
    for tid, (tbefore, tafter) in templates.items():
        found = TemplateDef.from_api(client.template(tid)).digest()
        if found not in (tbefore.digest(), tafter.digest()) and complete:
            changed.append(f"template {tid}")
    for ident, (before, after) in tasks.items():
        found = TaskDef.from_api(client.task(ident)).digest()
        if found not in (before.digest(), after.digest()) and complete:
            changed.append(f"task {ident}")
    if changed and not force:
        raise KapacitorError(
            f"{', '.join(changed)} changed on Kapacitor since the apply; --force restores anyway"
        )

    def call(request: Request) -> None:
        echo(f"  {request.method} {request.target()}{show_body(request.body)}")
        client.call(request)

    for tid, (tbefore, _tafter) in templates.items():
        if TemplateDef.from_api(client.template(tid)).digest() != tbefore.digest():
            call(Request("PATCH", template_path(tid), (), {"script": tbefore.script}))
    for ident, (before, _after) in tasks.items():
        current = TaskDef.from_api(client.task(ident))
        if current.digest() == before.digest():
            continue
        body = patch_body(current, before)
        if current.vars and not before.vars:
            raise KapacitorError(f"task {ident}: Kapacitor cannot remove vars through PATCH")
        if body:
            call(Request("PATCH", task_path(ident), (), body))
        if before.status == "enabled":
            if current.status == "enabled":
                call(Request("PATCH", task_path(ident), (), {"status": "disabled"}))
            call(Request("PATCH", task_path(ident), (), {"status": "enabled"}))
        elif current.status == "enabled":
            call(Request("PATCH", task_path(ident), (), {"status": "disabled"}))
    wrong = [
        f"template {tid}"
        for tid, (tb, _a) in templates.items()
        if TemplateDef.from_api(client.template(tid)).digest() != tb.digest()
    ] + [
        f"task {ident}"
        for ident, (before, _a) in tasks.items()
        if TaskDef.from_api(client.task(ident)).digest() != before.digest()
    ]
    if wrong:
        raise KapacitorError(f"{', '.join(wrong)} did not come back as before the apply")
    echo(f"restored {len(templates)} template(s) and {len(tasks)} task(s) as before the apply")
    return 0
