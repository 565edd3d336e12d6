"""The Kapacitor client stays bounded (issue 11, 0b): a server trickling its answer, sending a
huge body, paging forever or redirecting to another host ends in one line, exit 2, and the
password is never printed nor sent to the other host."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.faults import Answer, Server, huge, redirect_to, send_json, server_pair, trickle
from tickmig.kapacitor.client import Auth, Client, KapacitorError
from tickmig.mappings import bounded

from .conftest import run_cli

SECRET = "pa55-w0rd-never-printed"


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    with server_pair() as pair:
        yield pair


_trickle = trickle
_huge = huge(b'{"tasks": [')


def _forever(handler: BaseHTTPRequestHandler) -> None:
    """Every page is full (as many tasks as asked for), so a client never sees the end."""
    query = parse_qs(urlsplit(handler.path).query)
    offset, limit = int(query["offset"][0]), int(query["limit"][0])
    kind = urlsplit(handler.path).path.rsplit("/", 1)[1]  # tasks or templates
    send_json(handler, {kind: [{"id": f"t{offset + i}", "script": ""} for i in range(limit)]})


def _redirect_to(elsewhere: Server) -> Answer:
    return redirect_to(elsewhere, 307, f"ops:{SECRET}")


def _client(server: Server, timeout: float = 5.0) -> Client:
    return Client(server.url, Auth(username="ops", password=SECRET), timeout=timeout)


def test_a_trickling_answer_is_stopped_by_the_total_deadline(
    servers: tuple[Server, Server],
) -> None:
    server, _ = servers
    server.answer = _trickle
    started = time.monotonic()
    with pytest.raises(KapacitorError) as caught:
        _client(server, timeout=0.5).tasks()
    assert time.monotonic() - started < 5
    assert str(caught.value) == (
        "GET /kapacitor/v1/tasks?script-format=raw&offset=0&limit=100: no answer within 0.5s"
    )


def test_a_huge_answer_is_refused_while_reading(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = servers
    monkeypatch.setattr(bounded, "MAX_BYTES", 100_000)
    server.answer = _huge
    with pytest.raises(KapacitorError) as caught:
        _client(server).tasks()
    assert str(caught.value) == (
        "GET /kapacitor/v1/tasks?script-format=raw&offset=0&limit=100: the answer is larger "
        "than 100000 bytes; is --kapacitor-url a Kapacitor?"
    )


def test_paging_forever_stops_at_the_page_limit(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = servers
    monkeypatch.setattr(bounded, "MAX_PAGES", 3)
    server.answer = _forever
    with pytest.raises(KapacitorError) as caught:
        _client(server).tasks()
    assert str(caught.value) == (
        "GET /kapacitor/v1/tasks: Kapacitor lists more than 300 tasks (3 pages); "
        "tickmig reads at most that many"
    )
    assert [path for path, _ in server.seen] == [
        f"/kapacitor/v1/tasks?script-format=raw&offset={n}&limit=100" for n in (0, 100, 200)
    ]


def test_a_redirect_to_another_host_gets_no_request(servers: tuple[Server, Server]) -> None:
    first, elsewhere = servers
    first.answer = _redirect_to(elsewhere)
    with pytest.raises(KapacitorError) as caught:
        _client(first).tasks()
    assert elsewhere.seen == []
    assert first.seen[0][1] is not None  # the named host did get the credentials
    assert str(caught.value) == (
        f"{first.url} redirects GET /kapacitor/v1/tasks?script-format=raw&offset=0&limit=100 "
        f"(HTTP 307) to {elsewhere.url}/kapacitor/v1/tasks?script-format=raw&offset=0&limit=100;"
        " tickmig follows no redirect, so credentials go only where you point: check "
        "--kapacitor-url"
    )


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("trickle", "?script-format=raw&offset=0&limit=100: no answer within 0.5s"),
        ("huge", "the answer is larger than 100000 bytes"),
        ("forever", "Kapacitor lists more than 300 t"),
        ("redirect", "(HTTP 307) to http://127.0.0.1:"),
    ],
)  # fmt: skip
def test_cli_export_faults_are_one_line_exit_2_without_the_password(
    servers: tuple[Server, Server],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
    expected: str,
) -> None:
    server, elsewhere = servers
    monkeypatch.setattr(bounded, "MAX_BYTES", 100_000)
    monkeypatch.setattr(bounded, "MAX_PAGES", 3)
    answers: dict[str, Answer] = {"trickle": _trickle, "huge": _huge, "forever": _forever}
    server.answer = answers.get(fault) or _redirect_to(elsewhere)
    started = time.monotonic()
    code, out, err = run_cli(
        "export", str(tmp_path / "e"), "--kapacitor-url", server.url, "--username", "ops",
        "--timeout", "0.5", env={"KAPACITOR_PASSWORD": SECRET},
    )  # fmt: skip
    assert time.monotonic() - started < 10
    assert code == 2, out + err
    assert err.count("\n") == 1 and err.startswith("tickmig: error: "), err
    assert expected in err, err
    assert "Traceback" not in out + err
    assert SECRET not in out + err
    assert elsewhere.seen == []
    if fault == "forever":
        assert len(server.seen) == 3  # one listing, stopped at the page limit
    assert not (tmp_path / "e").exists()
