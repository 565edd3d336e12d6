"""`tickmig apply --verify`: run each migrated batch task's real queries through Kapacitor
without running the task.

For each migrated batch task a scratch copy is defined (disabled) under `tickmig-verify-<id>`
and recorded over a recent window (`POST /kapacitor/v1/recordings/batch`). Recording builds
an executing task without starting it: Kapacitor checks the queries against the task's DBRPs
(`batch query is not allowed to request data from ...`, task.go checkDBRPs) and sends them to
its `[[influxdb]]` cluster, and no alert handler runs (services/replay/service.go
startRecordBatch). The recording and the scratch task are deleted afterwards.

Kapacitor reports a recording's status, size in bytes and error, not points per query; the
output names each query of the task beside the task's result."""

from __future__ import annotations

import contextlib
import datetime
import re
import time
from dataclasses import dataclass, field
from typing import Any

from tickmig.kapacitor.apply import Echo
from tickmig.kapacitor.client import BASE, Client, KapacitorError, Request, task_path
from tickmig.kapacitor.model import TaskDef
from tickmig.kapacitor.plan import SCRATCH, Plan, create_body


@dataclass
class Verification:
    task: str
    queries: list[str] = field(default_factory=list)
    status: str = ""
    size: int = 0
    error: str = ""


def queries_of(task: TaskDef) -> list[str]:
    from tickmig.errors import TickSyntaxError
    from tickmig.tasks.analysis import analyse
    from tickmig.tickscript.parser import parse

    try:
        model = analyse(parse(task.script), task.id)
    except TickSyntaxError:
        return []
    out: list[str] = []
    for use in model.reads:
        if use.via == "query" and use.query and use.query not in out:
            out.append(use.query)
    for _name, var in sorted(task.vars.items()):  # `query(var)` of a template
        value = var.get("value") if isinstance(var, dict) else None
        if isinstance(value, str) and re.match(r"(?is)\s*SELECT\b", value) and value not in out:
            out.append(value)
    return out


def _stamp(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def verify_task(
    client: Client, task: TaskDef, window: datetime.timedelta, poll_limit: float
) -> Verification:
    result = Verification(task.id, queries_of(task))
    scratch = SCRATCH + task.id
    stop = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    body = create_body(scratch, TaskDef(**{**task.__dict__, "template_id": ""}))
    recording = f"{BASE}/recordings/{scratch}"
    try:
        client.call(Request("POST", f"{BASE}/tasks", (), body))
        record = {
            "id": scratch,
            "task": scratch,
            "start": _stamp(stop - window),
            "stop": _stamp(stop),
        }
        client.call(Request("POST", f"{BASE}/recordings/batch", (), record), (201,))
        deadline = time.monotonic() + poll_limit
        answer: Any = {"status": "running"}
        while isinstance(answer, dict) and answer.get("status") == "running":
            if time.monotonic() > deadline:
                result.status, result.error = "timeout", f"still recording after {poll_limit:g}s"
                return result
            time.sleep(0.1)
            answer = client.call(Request("GET", recording), (200, 202))
        if not isinstance(answer, dict):
            raise KapacitorError(f"GET {recording}: the answer is not a recording")
        result.status = str(answer.get("status", ""))
        result.size = int(answer.get("size") or 0)
        result.error = str(answer.get("error") or "")
    except KapacitorError as exc:
        if exc.status not in (400, 404):
            raise
        result.status, result.error = "refused", str(exc).split(": ", 2)[-1]
    finally:
        with contextlib.suppress(KapacitorError):
            client.call(Request("DELETE", recording), (204,))
        with contextlib.suppress(KapacitorError):
            client.call(Request("DELETE", task_path(scratch)), (204,))
    return result


def run_verify(
    client: Client, plan: Plan, window: datetime.timedelta, echo: Echo, poll_limit: float = 60
) -> list[Verification]:
    batch = [t for t in plan.tasks.values() if t.type == "batch"]
    if not batch:
        echo("verify: no migrated batch task")
        return []
    results = []
    for task in batch:
        result = verify_task(client, task, window, poll_limit)
        results.append(result)
        outcome = (
            f"{result.status}, {result.size} bytes recorded"
            if result.status == "finished"
            else f"{result.status}: {result.error}"
        )
        echo(f"verify task {task.id}: {outcome}")
        for query in result.queries:
            echo(f"    query {query!r}: {outcome}")
    return results


def write_results(path: str, results: list[Verification]) -> None:
    """The verification as JSON: per task, its queries, the recording's status, size in
    bytes and Kapacitor's error text."""
    import dataclasses

    from tickmig.errors import ConfigError
    from tickmig.kapacitor.model import dump_json
    from tickmig.text.atomic import atomic_write

    data = {"version": 1, "tasks": [dataclasses.asdict(r) for r in results]}
    try:
        atomic_write(path, dump_json(data))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the verification: {exc.strerror}") from None
