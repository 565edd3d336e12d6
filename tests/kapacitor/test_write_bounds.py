"""The Kapacitor client's writes are bounded as its reads are (issue 11, 0b): a POST, PATCH or
DELETE whose answer trickles, is huge or redirects to another host ends in one line; the
redirect is never followed, so neither the credentials nor the body reach the other host.
`tickmig apply --yes` stops the same way, with the rollback manifest written. The topic
handlers' listing (no paging in Kapacitor: one request per topic) has a request limit."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults import Server, huge, redirect_to, send_json, server_pair, trickle
from tickmig.kapacitor.client import Auth, Client, KapacitorError, Request, task_path
from tickmig.mappings import bounded

from .conftest import run_cli
from .server import Fault, KapacitorServer

SECRET = "pa55-w0rd-never-printed"
SCRIPT = 'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'
WRITES = [
    Request("POST", "/kapacitor/v1/tasks", (), {"id": "cpu", "script": SCRIPT}),
    Request("PATCH", task_path("cpu"), (), {"status": "disabled"}),
    Request("DELETE", task_path("cpu")),
]


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    with server_pair() as pair:
        yield pair


def _client(server: Server, timeout: float = 5.0) -> Client:
    return Client(server.url, Auth(username="ops", password=SECRET), timeout=timeout)


@pytest.mark.parametrize("request_", WRITES, ids=lambda r: r.method)
def test_a_trickling_answer_to_a_write_is_stopped_by_the_total_deadline(
    servers: tuple[Server, Server], request_: Request
) -> None:
    server, _ = servers
    server.answer = trickle
    started = time.monotonic()
    with pytest.raises(KapacitorError) as caught:
        _client(server, timeout=0.5).call(request_, (200, 204))
    assert time.monotonic() - started < 5
    assert str(caught.value) == f"{request_.method} {request_.path}: no answer within 0.5s"


@pytest.mark.parametrize("request_", WRITES, ids=lambda r: r.method)
def test_a_huge_answer_to_a_write_is_refused_while_reading(
    servers: tuple[Server, Server], request_: Request, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = servers
    monkeypatch.setattr(bounded, "MAX_BYTES", 100_000)
    server.answer = huge(b'{"id": "')
    with pytest.raises(KapacitorError) as caught:
        _client(server).call(request_, (200, 204))
    assert str(caught.value) == (
        f"{request_.method} {request_.path}: the answer is larger than 100000 bytes; "
        "is --kapacitor-url a Kapacitor?"
    )


@pytest.mark.parametrize("request_", WRITES, ids=lambda r: r.method)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_write_redirected_to_another_host_is_not_followed(
    servers: tuple[Server, Server], request_: Request, status: int
) -> None:
    first, elsewhere = servers
    first.answer = redirect_to(elsewhere, status, f"ops:{SECRET}")
    with pytest.raises(KapacitorError) as caught:
        _client(first).call(request_, (200, 204))
    assert elsewhere.seen == [] and elsewhere.requests == []
    ((method, path, _body),) = first.requests  # one request, to the host named
    assert (method, path) == (request_.method, request_.path)
    text = str(caught.value)
    assert text == (
        f"{first.url} redirects {request_.method} {request_.path} (HTTP {status}) to "
        f"{elsewhere.url}{request_.path}; tickmig follows no redirect, so credentials go only "
        "where you point: check --kapacitor-url"
    )
    assert SECRET not in text


def test_topic_handlers_are_read_with_at_most_the_page_limit_of_requests(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = servers
    monkeypatch.setattr(bounded, "MAX_PAGES", 5)

    def topics(count: int) -> None:
        def answer(handler: object) -> None:
            if handler.path.endswith("/handlers"):  # type: ignore[attr-defined]
                send_json(handler, {"handlers": [{"id": "h", "kind": "log"}]})  # type: ignore[arg-type]
            else:
                listed = [{"id": f"t{i}"} for i in range(count)]
                send_json(handler, {"topics": listed})  # type: ignore[arg-type]

        server.answer = answer

    topics(4)  # 1 + 4 requests: within the limit
    assert [h["topic"] for h in _client(server).handlers()] == ["t0", "t1", "t2", "t3"]
    server.seen.clear()
    topics(5)
    with pytest.raises(KapacitorError) as caught:
        _client(server).handlers()
    assert str(caught.value) == (
        "GET /kapacitor/v1/alerts/topics: Kapacitor lists 5 topics; tickmig reads the "
        "handlers of at most 4 (one request each)"
    )
    assert len(server.seen) == 1  # the listing only: no handler request past the limit


def _export_and_edit(tmp_path: Path, server: KapacitorServer) -> Path:
    export = tmp_path / "e"
    code, _out, err = run_cli("export", str(export), "--kapacitor-url", server.url)
    assert code == 0, err
    path = export / "tasks" / "cpu.tick"
    path.write_text(path.read_text().replace('"autogen"', '"one_month"'))
    return export


@pytest.mark.parametrize("fault", ["redirect", "huge", "slow"])
def test_apply_stops_at_a_misbehaving_write_in_one_line(
    servers: tuple[Server, Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    _, elsewhere = servers
    monkeypatch.setattr(bounded, "MAX_BYTES", 100_000)
    with KapacitorServer() as server:
        server.state.add_task("cpu", SCRIPT)
        export = _export_and_edit(tmp_path, server)
        server.state.users = {"ops": SECRET}
        location = elsewhere.url.replace("http://", f"http://ops:{SECRET}@") + task_path("cpu")
        server.state.faults.append(
            {
                "redirect": Fault(
                    "PATCH", task_path("cpu"), 307, b"", headers={"Location": location}
                ),
                "huge": Fault("PATCH", task_path("cpu"), 200, b'{"id": "' + b" " * 200_000),
                "slow": Fault("PATCH", task_path("cpu"), delay=3.0),
            }[fault]
        )
        started = time.monotonic()
        code, out, err = run_cli(
            "apply", str(export), "--kapacitor-url", server.url, "--yes", "--username", "ops",
            "--timeout", "0.5", env={"KAPACITOR_PASSWORD": SECRET},
        )  # fmt: skip
    assert time.monotonic() - started < 3
    expected = {
        "redirect": f"redirects PATCH {task_path('cpu')} (HTTP 307) to {elsewhere.url}",
        "huge": "the answer is larger than 100000 bytes",
        "slow": f"PATCH {task_path('cpu')}: no answer within 0.5s",
    }[fault]
    assert code == 2, out + err
    assert err.count("\n") == 1 and err.startswith("tickmig: error: "), err
    assert expected in err
    assert SECRET not in out + err
    assert elsewhere.seen == []
    manifest = json.loads((export / "rollback.json").read_text())
    assert manifest["status"].startswith("stopped at call")
