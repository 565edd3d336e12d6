"""The Kapacitor stand-in answers as influxdata/kapacitor does (client/v1/client.go field
names, services/task_store/service.go status codes and error texts): the behaviours export
and apply rely on, pinned here so the stand-in cannot drift into agreeing with tickmig."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from .server import KapacitorServer

pytestmark = pytest.mark.server
SCRIPT = '// keep me here\ndbrp "telegraf"."autogen"\n\nstream\n|from()\n.measurement(\'cpu\')\n'
NO_DBRP = "stream\n    |from()\n        .measurement('mem')\n"
TEMPLATE = 'var crit = 90\n\nstream\n    |from()\n    |alert()\n        .crit(lambda: "v" > crit)\n'


def call(
    url: str, method: str, path: str, body: Any = None, auth: str | None = None
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + "/kapacitor/v1" + path, data=data, method=method)
    if auth:
        req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def server() -> Any:
    with KapacitorServer() as s:
        yield s


def test_a_task_has_the_fields_of_client_v1_task(server: KapacitorServer) -> None:
    server.state.add_task("t", SCRIPT)
    status, task = call(server.url, "GET", "/tasks/t?script-format=raw")
    assert status == 200
    assert list(task) == [
        "link", "id", "template-id", "type", "dbrps", "script", "vars", "dot", "status",
        "executing", "error", "stats", "created", "modified", "last-enabled",
    ]  # fmt: skip
    assert task["link"] == {"rel": "self", "href": "/kapacitor/v1/tasks/t"}
    assert task["dbrps"] == [{"db": "telegraf", "rp": "autogen"}]


def test_lists_page_by_100_and_reformat_scripts_unless_raw(server: KapacitorServer) -> None:
    for i in range(150):
        server.state.add_task(f"t{i:03d}", SCRIPT)
    _, page = call(server.url, "GET", "/tasks")
    assert len(page["tasks"]) == 100
    assert page["tasks"][0]["script"] != SCRIPT  # formatted by default
    assert "template-id" not in page["tasks"][0]  # left out when empty
    _, rest = call(server.url, "GET", "/tasks?offset=100&limit=100&script-format=raw")
    assert [t["id"] for t in rest["tasks"]][:2] == ["t100", "t101"] and len(rest["tasks"]) == 50
    assert rest["tasks"][0]["script"] == SCRIPT
    status, err = call(server.url, "GET", "/tasks?script-format=pretty")
    assert (status, err["error"]) == (400, 'invalid script-format parameter "pretty"')
    status, err = call(server.url, "GET", "/tasks?limit=ten")
    assert status == 400 and err["error"].startswith(
        'invalid limit parameter "ten" must be an integer'
    )


def test_dbrps_come_from_exactly_one_place(server: KapacitorServer) -> None:
    dbrps = [{"db": "telegraf", "rp": "autogen"}]
    status, err = call(server.url, "POST", "/tasks", {"id": "a", "script": SCRIPT, "dbrps": dbrps})
    assert (status, err) == (400, {
        "error": "cannot specify dbrp in both implicitly and explicitly",
        "message": "cannot specify dbrp in both implicitly and explicitly",
    })  # fmt: skip
    status, err = call(server.url, "POST", "/tasks", {"id": "a", "script": NO_DBRP})
    assert (status, err["error"]) == (400, "must specify dbrp")
    assert call(server.url, "POST", "/tasks", {"id": "a", "script": SCRIPT})[0] == 200
    status, err = call(server.url, "PATCH", "/tasks/a", {"dbrps": dbrps})
    # the update's wording differs from create's
    assert (status, err["error"]) == (400, "cannot specify dbrp in implicitly and explicitly")
    assert server.state.tasks["a"]["status"] == "disabled"  # create's default


def test_a_definition_patch_does_not_restart_and_empty_dbrps_do_not_clear(
    server: KapacitorServer,
) -> None:
    server.state.add_task("m", NO_DBRP, dbrps=[{"db": "telegraf", "rp": "autogen"}])
    status, task = call(server.url, "PATCH", "/tasks/m", {"script": NO_DBRP + "\n", "dbrps": []})
    assert status == 200 and task["status"] == "enabled"
    assert task["dbrps"] == [{"db": "telegraf", "rp": "autogen"}]
    status, err = call(server.url, "PATCH", "/tasks/nope", {"status": "enabled"})
    assert (status, err["error"]) == (404, "task does not exist, cannot update")
    assert call(server.url, "GET", "/tasks/nope")[1]["error"] == "no task exists"
    assert call(server.url, "DELETE", "/tasks/nope")[0] == 204


def test_a_template_patch_redefines_its_tasks_and_a_failure_keeps_the_template(
    server: KapacitorServer,
) -> None:
    server.state.add_template("tpl", TEMPLATE)
    dbrps = [{"db": "telegraf", "rp": "autogen"}]
    for name in ("a", "b", "c"):
        server.state.add_task(name, template_id="tpl", dbrps=dbrps)
    new = TEMPLATE.replace("90", "95")
    assert call(server.url, "PATCH", "/templates/tpl", {"script": new})[0] == 200
    assert {t["script"] for t in server.state.tasks.values()} == {new}
    server.state.start_errors["b"] = "failed to start"
    newer = TEMPLATE.replace("90", "99")
    status, err = call(server.url, "PATCH", "/templates/tpl", {"script": newer})
    assert (status, err["error"]) == (500, "error reloading associated task b: failed to start")
    assert server.state.templates["tpl"]["script"] == newer  # the template stays replaced
    # a and b are rolled back to the template they had, c was never reached: the template
    # and its tasks now disagree
    assert {n: t["script"] for n, t in server.state.tasks.items()} == {
        "a": new, "b": new, "c": new
    }  # fmt: skip


def test_authentication_failures(server: KapacitorServer) -> None:
    server.state.users = {"ops": "pw"}
    assert call(server.url, "GET", "/tasks")[1]["error"] == (
        "unable to parse authentication credentials"
    )
    bad = "Basic " + base64.b64encode(b"ops:wrong").decode()
    assert call(server.url, "GET", "/tasks", auth=bad) == (401, {
        "error": "authorization failed", "message": "authorization failed"
    })  # fmt: skip
    assert call(server.url, "GET", "/tasks", auth="Bearer x.y")[0] == 401


def test_a_batch_recording_runs_then_finishes(server: KapacitorServer) -> None:
    script = (
        'dbrp "telegraf"."autogen"\nbatch|query(\'SELECT * FROM "telegraf"."autogen"."cpu"\')\n'
    )
    server.state.add_task("b", script, status="disabled")
    status, err = call(server.url, "POST", "/recordings/batch", {"id": "r", "task": "b"})
    assert (status, err["error"]) == (400, "must provide start time")
    body = {"id": "r", "task": "b", "start": "2026-01-01T00:00:00Z"}
    assert call(server.url, "POST", "/recordings/batch", body)[0] == 201
    assert call(server.url, "GET", "/recordings/r")[0] == 202
    status, rec = call(server.url, "GET", "/recordings/r")
    assert status == 200 and rec["status"] == "finished"
    assert call(server.url, "DELETE", "/recordings/r")[0] == 204
    assert call(server.url, "GET", "/recordings/r") == (500, {
        "error": "error finding recording: no recording exists",
        "message": "error finding recording: no recording exists",
    })  # fmt: skip
