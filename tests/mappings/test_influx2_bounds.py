"""The InfluxDB 2 source stays bounded (issue 11, 0b): a server trickling its answer, sending a
huge body, paging forever or redirecting elsewhere ends in one line, exit 2, and the token is
never printed nor sent to another host."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.faults import Answer, Server, huge, redirect_to, send_json, server_pair, trickle
from tickmig.mappings import MappingError, bounded, load_from_influxdb2

SECRET = "tok-Very-Secret-0b"
Handler = Answer


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    with server_pair() as pair:
        yield pair


def _dbrps_then(bucket_answer: Handler) -> Handler:
    """A server whose DBRP list is empty and whose bucket listing misbehaves."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/api/v2/dbrps"):
            send_json(handler, {"content": []})
        else:
            bucket_answer(handler)

    return answer


_trickle = trickle
_huge = huge(b'{"links": {}, "buckets": [')


def _forever(handler: BaseHTTPRequestHandler) -> None:
    send_json(
        handler,
        {
            "links": {"next": "/api/v2/buckets?after=x"},
            "buckets": [{"id": "0000000000000001", "name": "db/rp", "orgID": "o"}],
        },
    )


def test_trickling_bucket_list_is_stopped_by_the_deadline(servers: tuple[Server, Server]) -> None:
    server, _ = servers
    server.answer = _dbrps_then(_trickle)
    started = time.monotonic()
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(server.url, "my-org", SECRET, timeout_s=0.5)
    assert time.monotonic() - started < 5
    assert str(caught.value) == (
        f"no answer from {server.url}/ within 0.5 s (GET /api/v2/buckets timed out): is the "
        "server overloaded or --influx-url wrong? raise the timeout or check it"
    )


def test_a_huge_bucket_page_is_refused_while_reading(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = servers
    monkeypatch.setattr(bounded, "MAX_BYTES", 100_000)
    server.answer = _dbrps_then(_huge)
    with pytest.raises(MappingError, match=r"GET /api/v2/buckets is larger than 100000 bytes"):
        load_from_influxdb2(server.url, "my-org", SECRET, timeout_s=5)


def test_paging_forever_stops_at_the_page_limit(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = servers
    monkeypatch.setattr(bounded, "MAX_PAGES", 5)
    server.answer = _dbrps_then(_forever)
    with pytest.raises(MappingError, match=r"lists more than 5 buckets \(5 pages\)"):
        load_from_influxdb2(server.url, "my-org", SECRET, timeout_s=5)
    assert len([p for p, _ in server.seen if p.startswith("/api/v2/buckets")]) == 5


def test_a_bucket_redirect_to_another_host_gets_no_token(servers: tuple[Server, Server]) -> None:
    first, elsewhere = servers
    first.answer = _dbrps_then(redirect_to(elsewhere, 302))
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(first.url, "my-org", SECRET, timeout_s=5)
    assert elsewhere.seen == []
    assert str(caught.value) == (
        f"{first.url}/ redirects GET /api/v2/buckets (HTTP 302) to {elsewhere.url}/api/v2/"
        "buckets; tickmig follows no redirect, so the token goes only where you point: "
        "check --influx-url"
    )


# tickmig's own main, run in a child process with small limits (0.5 s per request, 100 KB, 5
# pages) so that each fault ends quickly; the limits are the module's, as the code reads them.
_RUN = """
import sys
import tickmig.mappings.bounded as bounded
import tickmig.mappings.influx2 as influx2
bounded.MAX_BYTES, bounded.MAX_PAGES = 100_000, 5
influx2.load_from_influxdb2.__defaults__ = ("oss", 0.5)
sys.argv = ["tickmig", *sys.argv[1:]]
from tickmig.__main__ import main
main()
"""


def _redirect_to(elsewhere: Server) -> Handler:
    return redirect_to(elsewhere, 307)


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("trickle", "within 0.5 s (GET /api/v2/buckets timed out)"),
        ("huge", "GET /api/v2/buckets is larger than 100000 bytes"),
        ("forever", "lists more than 5 buckets (5 pages)"),
        ("redirect", "redirects GET /api/v2/buckets (HTTP 307) to http://127.0.0.1:"),
    ],
)
def test_cli_faults_are_one_line_exit_2_without_the_token(
    servers: tuple[Server, Server], tmp_path: Path, fault: str, expected: str
) -> None:
    server, elsewhere = servers
    answers: dict[str, Handler] = {"trickle": _trickle, "huge": _huge, "forever": _forever}
    server.answer = _dbrps_then(answers.get(fault) or _redirect_to(elsewhere))
    script = tmp_path / "cpu.tick"
    script.write_text('dbrp "telegraf"."autogen"\n\nstream\n    |from()\n')
    argv = ["check", str(script), "--influx-url", server.url, "--org", "my-org"]
    env = {"INFLUX_TOKEN": SECRET, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *argv], capture_output=True, text=True, env=env, timeout=60
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output
    assert SECRET not in output
    assert len([line for line in output.splitlines() if expected in line]) == 1, output
    assert elsewhere.seen == []
