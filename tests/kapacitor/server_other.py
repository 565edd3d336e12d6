"""The alert, config and recording handlers of the Kapacitor stand-in
(tests/kapacitor/server.py), each following the Kapacitor source it names."""

from __future__ import annotations

from typing import Any

from .server import BASE, COMMENT, FROM_DBRP, STAMP, VALID_ID, ApiError, KapacitorState, marshal
from .server_routes import Q, Reply, _ids


def list_topics(state: KapacitorState, _rest: str, _query: Q, _body: Any) -> Reply:
    # services/alert/api.go handleListTopics: sorted by ID
    topics = [
        {
            "link": {"rel": "self", "href": f"{BASE}/alerts/topics/{t}"},
            "id": t,
            "level": "OK",
            "collected": 0,
            "events-link": {"rel": "events", "href": f"{BASE}/alerts/topics/{t}/events"},
            "handlers-link": {"rel": "handlers", "href": f"{BASE}/alerts/topics/{t}/handlers"},
        }
        for t in sorted(state.handlers)
    ]
    return 200, marshal(
        {"link": {"rel": "self", "href": f"{BASE}/alerts/topics"}, "topics": topics}
    )


def list_handlers(state: KapacitorState, rest: str, _query: Q, _body: Any) -> Reply:
    # services/alert/api.go handleListHandlers: sorted by handler ID
    topic, _, tail = rest.partition("/")
    if tail != "handlers":
        raise ApiError(404, "404 page not found")
    handlers = [
        {"link": {"rel": "self", "href": f"{BASE}/alerts/topics/{topic}/handlers/{h['id']}"}, **h}
        for _, h in sorted(state.handlers.get(topic, {}).items())
    ]
    link = {"rel": "self", "href": f"{BASE}/alerts/topics/{topic}/handlers"}
    return 200, marshal({"link": link, "topic": topic, "handlers": handlers})


def _element(element: dict[str, Any], name: str) -> dict[str, Any]:
    # services/config/service.go: secrets redacted (`"password": true`), `redacted` lists them
    options = dict(element)
    redacted = sorted(k for k in ("password", "token") if options.get(k))
    for k in ("password", "token"):
        options[k] = bool(options.get(k))
    return {
        "link": {"rel": "self", "href": f"{BASE}/config/influxdb/{name}"},
        "options": options,
        "redacted": redacted,
    }


def get_config(state: KapacitorState, rest: str, _query: Q, _body: Any) -> Reply:
    # services/config/service.go handleGetConfig (section influxdb, element key "name")
    section, _, name = rest.partition("/")
    if section != "influxdb":
        raise ApiError(404, f"unknown section: {section}")
    elements = [_element(e, e["name"]) for e in state.influxdb]
    if name:
        match = [e for e in elements if e["options"]["name"] == name]
        if not match:
            raise ApiError(404, f"unknown section/element: {section}/{name}")
        return 200, marshal(match[0])
    link = {"rel": "self", "href": f"{BASE}/config/influxdb"}
    return 200, marshal({"link": link, "elements": elements})


def update_config(state: KapacitorState, rest: str, _query: Q, body: dict[str, Any]) -> Reply:
    # services/config/service.go handleUpdateSection: set/delete on an element, add/remove
    section, _, name = rest.partition("/")
    if section != "influxdb":
        raise ApiError(400, f"failed to apply update: unknown section {section}")
    if body.get("add"):
        state.influxdb.append(dict(body["add"]))
    for removed in body.get("remove") or []:
        state.influxdb = [e for e in state.influxdb if e["name"] != removed]
    for element in state.influxdb:
        if element["name"] == name:
            element.update(body.get("set") or {})
            for key in body.get("delete") or []:
                element.pop(key, None)
    return 204, b""


def _recording_json(rec: dict[str, Any]) -> dict[str, Any]:
    # services/replay/service.go convertRecording
    return {
        "link": {"rel": "self", "href": f"{BASE}/recordings/{rec['id']}"},
        "id": rec["id"],
        "type": "batch",
        "size": rec["size"],
        "date": STAMP,
        "error": rec["error"],
        "status": rec["status"],
        "progress": 1.0 if rec["status"] != "running" else 0.0,
    }


def record_batch(state: KapacitorState, _rest: str, _query: Q, body: dict[str, Any]) -> Reply:
    """handleRecordBatch: 201 with a running recording; the queries run in the background
    (doRecordBatch). Here they "finish" on the second GET; task.go checkDBRPs refuses a query
    whose FROM names a pair outside the task's dbrps."""
    ident = body.get("id") or f"rec-{next(_ids)}"
    if not VALID_ID.match(ident):
        raise ApiError(
            400, f"recording ID must contain only letters, numbers, '-', '.' and '_'. \"{ident}\""
        )
    if not body.get("start"):
        raise ApiError(400, "must provide start time")
    task = state.tasks.get(body.get("task") or "")
    if task is None:
        raise ApiError(404, "no task exists")
    allowed = {(d["db"], d["rp"]) for d in task["dbrps"]}
    error, size = "", 0
    for db, rp in FROM_DBRP.findall(COMMENT.sub("", task["script"])):
        if (db, rp) not in allowed:
            error = f'batch query is not allowed to request data from "{db}"."{rp}"'
            break
        size += 64 * state.data.get((db, rp), 0)
    rec = {"id": ident, "status": "running", "size": 0, "error": "", "_result": (error, size)}
    state.recordings[ident] = rec
    return 201, marshal(_recording_json(rec))


def get_recording(state: KapacitorState, ident: str, _query: Q, _body: Any) -> Reply:
    rec = state.recordings.get(ident)
    if rec is None:  # handleRecording: a missing recording is a 500
        raise ApiError(500, "error finding recording: no recording exists")
    if rec["status"] == "running":
        answer = _recording_json(rec)
        error, size = rec["_result"]
        rec.update(status="failed" if error else "finished", error=error, size=size)
        return 202, marshal(answer)  # Running answers 202 Accepted
    return 200, marshal(_recording_json(rec))


def delete_recording(state: KapacitorState, ident: str, _query: Q, _body: Any) -> Reply:
    state.recordings.pop(ident, None)  # handleDeleteRecording: missing -> 204 as well
    return 204, b""
