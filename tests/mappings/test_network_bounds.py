"""Live sources stay bounded (issue 11, 0b): a whole-answer deadline, a size limit, no redirect
(credentials go only to the host the user named), a page limit."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.faults import Server, announce, huge, redirect_to, send_bytes, server_pair, trickle
from tickmig.mappings import MappingError, bounded, load_from_influxdb2, load_from_influxql

from .conftest import ORG, TOKEN
from .influx2_server import Influx2Server, make_bucket


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    with server_pair() as pair:
        yield pair


def test_redirect_to_another_host_gets_no_credentials(servers: tuple[Server, Server]) -> None:
    first, elsewhere = servers
    first.answer = redirect_to(elsewhere, 307)
    with pytest.raises(MappingError) as caught:
        load_from_influxql(first.url, "admin", "s3cret-pw", timeout_s=5)
    assert elsewhere.seen == []
    text = str(caught.value)
    assert f"{first.url}/ redirects `SHOW DATABASES` (HTTP 307) to {elsewhere.url}/" in text
    assert text.endswith("check --influxql-url")
    assert "s3cret-pw" not in text


def test_a_server_trickling_bytes_is_stopped_by_the_total_deadline(
    servers: tuple[Server, Server],
) -> None:
    slow, _ = servers
    slow.answer = trickle
    started = time.monotonic()
    with pytest.raises(MappingError, match=r"no answer from .* within 0\.5 s"):
        load_from_influxql(slow.url, timeout_s=0.5)
    assert time.monotonic() - started < 5


def test_an_oversized_answer_is_refused_while_reading(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    big, _ = servers
    monkeypatch.setattr(bounded, "MAX_BYTES", 1000)
    big.answer = huge(fill=b"[", kib=1000)
    with pytest.raises(MappingError, match=r"larger than 1000 bytes: is it InfluxDB\?"):
        load_from_influxql(big.url, timeout_s=5)


def test_deadline_counts_down() -> None:
    deadline = bounded.Deadline(0.05)
    assert 0 < deadline.left() <= 0.05
    time.sleep(0.06)
    with pytest.raises(TimeoutError):
        deadline.left()


def test_get_refuses_an_announced_oversize(servers: tuple[Server, Server]) -> None:
    server, _ = servers
    server.answer = announce(10**12)
    with pytest.raises(bounded.TooLarge):
        bounded.get(server.url, {}, bounded.Deadline(5), max_bytes=100)


def test_silent_socket_times_out_through_get() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        with pytest.raises(TimeoutError):
            bounded.get(url, {}, bounded.Deadline(0.2))


def test_influxdb2_redirect_sends_no_token_elsewhere(servers: tuple[Server, Server]) -> None:
    first, elsewhere = servers
    first.answer = redirect_to(elsewhere, 301)
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(first.url, "my-org", "tok-SECRET", timeout_s=5)
    assert elsewhere.seen == []
    assert first.seen and first.seen[0][1] == "Token tok-SECRET"
    text = str(caught.value)
    assert "redirects GET /api/v2/dbrps (HTTP 301" in text
    assert "tok-SECRET" not in text


def test_influxdb2_endless_bucket_paging_stops(
    influx2: Influx2Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "MAX_PAGES", 3)
    page = {
        "links": {"self": "/api/v2/buckets", "next": "/api/v2/buckets?after=0"},
        "buckets": [make_bucket(f"{i:016x}", f"db{i}/autogen", ORG["id"]) for i in range(100)],
    }
    influx2.allow_violations()
    influx2.state.raw["/api/v2/buckets"] = (200, json.dumps(page).encode())
    with pytest.raises(MappingError, match=r"lists more than 300 buckets \(3 pages\)"):
        load_from_influxdb2(influx2.url, "my-org", TOKEN, timeout_s=5)
    pages = [e for e in influx2.exchanges if e.path == "/api/v2/buckets"]
    assert len(pages) == 3  # no request past the page limit


@pytest.mark.parametrize("token", ["secretpart1\nsecretpart2", "ab\ncd", "tok\r\nX-Evil: 1"])
def test_a_token_with_a_newline_is_never_printed(token: str) -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(5)
        url = f"http://127.0.0.1:{listening.getsockname()[1]}"
        with pytest.raises(MappingError) as caught:
            load_from_influxdb2(url, "my-org", token, timeout_s=1)
    text = str(caught.value)
    assert "contains a line break or control character" in text
    assert "b'" not in text
    for part in token.split():
        if len(part) >= 4:  # short parts are ordinary words of the message ("tok" in "token")
            assert part not in text


def test_a_deeply_nested_answer_is_malformed_not_a_crash(servers: tuple[Server, Server]) -> None:
    server, _ = servers
    server.answer = lambda handler: send_bytes(handler, b"[" * 100_000)
    with pytest.raises(MappingError, match="the body is not JSON"):
        load_from_influxql(server.url, timeout_s=5)


def test_influxdb2_oversized_dbrp_list_is_refused(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = servers
    monkeypatch.setattr(bounded, "MAX_BYTES", 1000)

    body = b'{"content": [' + b" " * 5000 + b"]}"
    server.answer = lambda handler: send_bytes(handler, body)
    with pytest.raises(MappingError, match=r"GET /api/v2/dbrps is larger than 1000 bytes"):
        load_from_influxdb2(server.url, "my-org", TOKEN, timeout_s=5)
