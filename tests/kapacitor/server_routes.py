"""The handlers of the Kapacitor stand-in (tests/kapacitor/server.py), one per route, each
following the Kapacitor source it names (influxdata/kapacitor @ 7702d12d)."""

from __future__ import annotations

import fnmatch
import itertools
import json
from typing import Any

from .server import (
    ALL_TASK_FIELDS,
    ALL_TEMPLATE_FIELDS,
    BASE,
    STAMP,
    VALID_ID,
    ZERO,
    ApiError,
    KapacitorState,
    dbrps_in,
    formatted,
    marshal,
    script_type,
)

Q = dict[str, list[str]]
Reply = tuple[int, bytes]
_ids = itertools.count(1)


def _one(query: Q, name: str) -> str:
    return (query.get(name) or [""])[0]


def _script_format(query: Q) -> str:
    # services/task_store/service.go handleListTasks/handleTask: "" means formatted
    value = _one(query, "script-format") or "formatted"
    if value not in ("formatted", "raw"):
        given = json.dumps(_one(query, "script-format"))  # Go's %q
        raise ApiError(400, f"invalid script-format parameter {given}")
    return value


def _paging(query: Q) -> tuple[int, int]:
    # services/task_store/service.go handleListTasks: offset 0, limit 100 by default
    out = []
    for name, default in (("offset", 0), ("limit", 100)):
        text = _one(query, name)
        try:
            out.append(int(text) if text else default)
        except ValueError:
            raise ApiError(
                400,
                f'invalid {name} parameter "{text}" must be an integer: strconv.ParseInt: '
                f'parsing "{text}": invalid syntax',
            ) from None
    return out[0], out[1]


def _compile(state: KapacitorState, script: str) -> None:
    """services/task_store/util.go newProgramNodeFromTickscript (parse), then
    TaskMaster.NewTask (compile): `compile_errors` stands in for the compiler's checks."""
    from tickmig.errors import TickSyntaxError
    from tickmig.tickscript.parser import parse

    try:
        parse(script)
    except TickSyntaxError as exc:
        raise ApiError(400, f"invalid TICKscript: parser: {exc.message}") from None
    for needle, message in state.compile_errors.items():
        if needle in script:
            raise ApiError(400, "invalid TICKscript: " + message)


def _link(kind: str, ident: str) -> dict[str, str]:
    return {"rel": "self", "href": f"{BASE}/{kind}/{ident}"}


def task_json(task: dict[str, Any], script_format: str, fields: list[str]) -> dict[str, Any]:
    # services/task_store/service.go convertTask and the handleListTasks field switch
    full = {
        "link": _link("tasks", task["id"]),
        "id": task["id"],
        "template-id": task["template-id"],
        "type": task["type"],
        "dbrps": task["dbrps"],
        "script": task["script"] if script_format == "raw" else formatted(task["script"]),
        "vars": task["vars"],
        "dot": f"digraph {task['id']} {{\n}}",
        "status": task["status"],
        "executing": task["status"] == "enabled",
        "error": "",
        "stats": {},
        "created": STAMP,
        "modified": STAMP,
        "last-enabled": STAMP if task["status"] == "enabled" else ZERO,
    }
    if not fields:  # convertTask: the whole client.Task, in its field order
        return full
    out = {}
    for name in fields:
        if name not in full:
            raise ApiError(400, f"unsupported field {json.dumps(name)}")
        out[name] = full[name]
    return out


def list_tasks(state: KapacitorState, _rest: str, query: Q, _body: Any) -> Reply:
    fmt = _script_format(query)
    offset, limit = _paging(query)
    fields = (
        (query.get("fields") or []) + ["id", "link"] if query.get("fields") else ALL_TASK_FIELDS
    )
    pattern = _one(query, "pattern")
    # the task store lists by ID (services/storage/indexed.go: sorted by index)
    ids = [i for i in sorted(state.tasks) if not pattern or fnmatch.fnmatchcase(i, pattern)]
    page = ids[offset : offset + limit] if limit >= 0 else ids[offset:]
    tasks = [task_json(state.tasks[i], fmt, fields) for i in page]
    for t in tasks:  # handleListTasks drops an empty template-id
        if "template-id" in t and not t["template-id"]:
            del t["template-id"]
    return 200, marshal({"tasks": tasks})


def get_task(state: KapacitorState, ident: str, query: Q, _body: Any) -> Reply:
    # handleTask: 404 with the store's error text
    if ident not in state.tasks:
        raise ApiError(404, "no task exists")
    fmt = _script_format(query)
    return 200, marshal(task_json(state.tasks[ident], fmt, []))


def create_task(state: KapacitorState, _rest: str, _query: Q, body: dict[str, Any]) -> Reply:
    # services/task_store/service.go handleCreateTask
    ident = body.get("id") or f"generated-{next(_ids)}"
    if not VALID_ID.match(ident):
        raise ApiError(
            400, f"task ID must contain only letters, numbers, '-', '.' and '_'. \"{ident}\""
        )
    if ident in state.tasks:
        raise ApiError(400, f"task {ident} already exists")
    template_id = body.get("template-id") or ""
    if template_id:
        if template_id not in state.templates:
            raise ApiError(400, f"unknown template {template_id}: err: no template exists")
        script = state.templates[template_id]["script"]
    else:
        script = body.get("script") or ""
        if not script:
            raise ApiError(400, "must provide TICKscript")
    _compile(state, script)
    if script_type(script) == "invalid":
        raise ApiError(400, "invalid task type: invalid")
    given = list(body.get("dbrps") or [])
    found = dbrps_in(script)
    if not found and not given:
        raise ApiError(400, "must specify dbrp")
    if found and given:
        raise ApiError(400, "cannot specify dbrp in both implicitly and explicitly")
    status = body.get("status") if body.get("status") in ("enabled", "disabled") else "disabled"
    task = {
        "id": ident,
        "script": script,
        "type": script_type(script),
        "dbrps": found or given,
        "status": status,
        "template-id": template_id,
        "vars": dict(body.get("vars") or {}),
    }
    state.tasks[ident] = task
    # the answer carries the formatted script (convertTask(newTask, "formatted", ...))
    return 200, marshal(task_json(task, "formatted", []))


def update_task(state: KapacitorState, ident: str, _query: Q, body: dict[str, Any]) -> Reply:
    # services/task_store/service.go handleUpdateTask
    original = state.tasks.get(ident)
    if original is None:
        raise ApiError(404, "task does not exist, cannot update")
    updated = dict(original)
    given = list(body.get("dbrps") or [])
    if body.get("template-id") or updated["template-id"]:
        tid = body.get("template-id") or updated["template-id"]
        if tid not in state.templates:
            raise ApiError(
                400, f"unknown template {body.get('template-id', '')}: err: no template exists"
            )
        updated["script"] = state.templates[tid]["script"]
        updated["template-id"] = tid
    elif body.get("script"):
        had = dbrps_in(original["script"])
        updated["script"] = body["script"]
        _compile(state, updated["script"])
        if had and not dbrps_in(updated["script"]) and not given:
            raise ApiError(400, "must specify dbrp")
    _compile(state, updated["script"])
    found = dbrps_in(updated["script"])
    if found and given:
        # note the wording: not create's "in both implicitly and explicitly"
        raise ApiError(400, "cannot specify dbrp in implicitly and explicitly")
    if found:
        updated["dbrps"] = found
    elif given:
        updated["dbrps"] = given  # an empty list never clears: only non-zero fields apply
    if body.get("status") in ("enabled", "disabled"):
        updated["status"] = body["status"]
    if body.get("vars"):
        updated["vars"] = dict(body["vars"])
    updated["type"] = script_type(updated["script"])
    if updated["type"] == "invalid":
        raise ApiError(400, "invalid task type: invalid")
    state.tasks[ident] = updated
    return 200, marshal(task_json(updated, "formatted", []))


def delete_task(state: KapacitorState, ident: str, _query: Q, _body: Any) -> Reply:
    # handleDeleteTask: deleting a missing task is not an error (deleteTask returns nil)
    state.tasks.pop(ident, None)
    return 204, b""


def template_json(tpl: dict[str, Any], script_format: str, fields: list[str]) -> dict[str, Any]:
    # services/task_store/service.go convertTemplate
    full = {
        "link": _link("templates", tpl["id"]),
        "id": tpl["id"],
        "type": tpl["type"],
        "script": tpl["script"] if script_format == "raw" else formatted(tpl["script"]),
        "vars": {},
        "dot": f"digraph {tpl['id']} {{\n}}",
        "error": "",
        "created": STAMP,
        "modified": STAMP,
    }
    return {name: full[name] for name in fields}


def list_templates(state: KapacitorState, _rest: str, query: Q, _body: Any) -> Reply:
    fmt = _script_format(query)
    offset, limit = _paging(query)
    fields = (
        (query.get("fields") or []) + ["id", "link"] if query.get("fields") else ALL_TEMPLATE_FIELDS
    )
    ids = sorted(state.templates)[offset : offset + limit]
    return 200, marshal(
        {"templates": [template_json(state.templates[i], fmt, fields) for i in ids]}
    )


def get_template(state: KapacitorState, ident: str, query: Q, _body: Any) -> Reply:
    if ident not in state.templates:
        raise ApiError(404, "no template exists")
    fields = [*ALL_TEMPLATE_FIELDS, "vars"]
    return 200, marshal(template_json(state.templates[ident], _script_format(query), fields))


def create_template(state: KapacitorState, _rest: str, _query: Q, body: dict[str, Any]) -> Reply:
    # services/task_store/service.go handleCreateTemplate
    ident = body.get("id") or f"generated-{next(_ids)}"
    if not VALID_ID.match(ident):
        raise ApiError(
            400, f"template ID must contain only letters, numbers, '-', '.' and '_'. \"{ident}\""
        )
    if ident in state.templates:
        raise ApiError(400, f"template {ident} already exists")
    script = body.get("script") or ""
    if not script:
        raise ApiError(400, "must provide TICKscript")
    _compile(state, script)
    state.add_template(ident, script)
    return 200, marshal(template_json(state.templates[ident], "formatted", ALL_TEMPLATE_FIELDS))


def update_template(state: KapacitorState, ident: str, _query: Q, body: dict[str, Any]) -> Reply:
    """handleUpdateTemplate + updateAllAssociatedTasks: the template is replaced first; every
    associated task (by ID order) takes the new script and restarts when enabled; on the first
    failure the tasks done so far are rolled back to the old script but the template stays."""
    original = state.templates.get(ident)
    if original is None:
        raise ApiError(404, "template does not exist, cannot update")
    new_script = body.get("script") or original["script"]
    _compile(state, new_script)
    state.templates[ident] = {"id": ident, "script": new_script, "type": script_type(new_script)}
    associated = sorted(t for t, task in state.tasks.items() if task["template-id"] == ident)
    done: list[str] = []
    for tid in associated:
        task = state.tasks[tid]
        task["script"], task["type"] = new_script, script_type(new_script)
        if dbrps_in(original["script"]) or dbrps_in(new_script):
            task["dbrps"] = dbrps_in(new_script)
        done.append(tid)
        failure = state.start_errors.get(tid) if task["status"] == "enabled" else None
        if failure is not None:
            for back in done:  # the deferred rollback: tasks only
                t = state.tasks[back]
                t["script"], t["type"] = original["script"], original["type"]
                if dbrps_in(original["script"]):
                    t["dbrps"] = dbrps_in(original["script"])
            raise ApiError(500, f"error reloading associated task {tid}: {failure}")
    return 200, marshal(template_json(state.templates[ident], "formatted", ALL_TEMPLATE_FIELDS))


def delete_template(state: KapacitorState, ident: str, _query: Q, _body: Any) -> Reply:
    state.templates.pop(ident, None)
    return 204, b""
