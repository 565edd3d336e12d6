"""load_from_influxql against a real InfluxDB 1.x (influxd) and against misbehaving stubs."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tickmig.mappings import (
    MappingError,
    MappingSet,
    Rename,
    ResolutionStatus,
    combine,
    load_from_influxql,
)

from .conftest import free_port, missing_influxd

S = ResolutionStatus


def check_one_line(error: MappingError, *secrets: str) -> str:
    text = str(error)
    assert "\n" not in text
    for secret in secrets:
        assert secret not in text and secret not in repr(error.args)
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return text


# --- real influxd 1.x -------------------------------------------------------------------------


@pytest.mark.server
def test_a_1x_server_is_read_as_the_source_inventory(influxd):
    ms = load_from_influxql(influxd.url, influxd.username, influxd.password)
    assert {(r.database, r.name, r.duration, r.default) for r in ms.inventory} == {
        ("telegraf", "autogen", "0s", False),
        ("telegraf", "one_month", "720h0m0s", True),
        ("app_metrics", "autogen", "0s", True),
        ("app_metrics", "two_hours", "2h0m0s", False),
        ("noaa", "one_week", "168h0m0s", True),
        ("_internal", "autogen", "0s", True),
    }
    # what exists on the 1.x source says nothing about the InfluxDB 2 target
    assert ms.mappings == () and not ms.from_server
    assert ms.origin.startswith("InfluxDB 1.") and ms.origin.endswith(
        f" at {influxd.url}/ (source inventory)"
    )


@pytest.mark.server
def test_the_durations_become_bucket_retentions(influxd):
    ms = load_from_influxql(influxd.url, influxd.username, influxd.password)
    retention = {(r.database, r.name): r.bucket_retention for r in ms.inventory}
    assert retention[("telegraf", "one_month")] == "720h"
    assert retention[("app_metrics", "two_hours")] == "2h"
    assert retention[("telegraf", "autogen")] == "0"  # INF: keep forever


@pytest.mark.server
@pytest.mark.parametrize(
    ("db", "rp"),
    [("telegraf", None), ("telegraf", "autogen"), ("app_metrics", "two_hours"), ("nope", None)],
)
def test_nothing_on_the_source_reads_as_mapped_on_the_target(influxd, db, rp):
    ms = load_from_influxql(influxd.url, influxd.username, influxd.password)
    resolution = ms.resolve(db, rp)
    assert resolution.status is S.ASSUMED, resolution.reason


@pytest.mark.server
def test_a_renamed_pair_shows_as_renamed_never_mapped_exact(influxd):
    source = load_from_influxql(influxd.url, influxd.username, influxd.password)
    plan = MappingSet(
        (),
        (),
        (Rename("telegraf", "one_month", "telegraf", "monthly", None, "p"),),
        "oss",
        "plan",
        from_server=False,
    )
    resolution = combine([source, plan]).resolve("telegraf", "one_month")
    assert resolution.status is not S.EXACT
    assert resolution.rename is not None and resolution.rename.to_retention_policy == "monthly"


@pytest.mark.server
def test_a_new_default_retention_policy_shows_in_the_inventory(influxd):
    influxd.query("CREATE DATABASE moving")
    influxd.query("CREATE RETENTION POLICY fresh ON moving DURATION 1d REPLICATION 1 DEFAULT")
    ms = load_from_influxql(influxd.url, influxd.username, influxd.password)
    fresh = ms.source_retention_policy("moving", "fresh")
    assert fresh is not None and fresh.default and fresh.bucket_retention == "24h"
    autogen = ms.source_retention_policy("moving", "autogen")
    assert autogen is not None and not autogen.default


@pytest.mark.server
def test_wrong_password(influxd):
    secret = "not-the-Pa55word-41f0"
    with pytest.raises(MappingError) as caught:
        load_from_influxql(influxd.url, influxd.username, secret)
    text = check_one_line(caught.value, secret)
    assert text == (
        f"{influxd.url}/ rejected the credentials (HTTP 401 authorization failed): "
        "check --username and the password (INFLUX_PASSWORD, or the variable --password-env names)"
    )


@pytest.mark.server
def test_no_credentials(influxd):
    with pytest.raises(MappingError) as caught:
        load_from_influxql(influxd.url)
    text = check_one_line(caught.value)
    assert text.startswith(f"{influxd.url}/ requires authentication (HTTP 401 ")
    assert text.endswith(
        "pass --username and the password (INFLUX_PASSWORD, or the variable --password-env names)"
    )


def test_influxd_is_required_on_ci(tmp_path):
    missing = str(tmp_path / "influxd")
    assert missing_influxd(missing, {"CI": "true"}) == (
        "fail",
        f"influxd is required on CI: InfluxDB 1.x server {missing} not found "
        "(apt-get install influxdb, or set TICKMIG_INFLUXD)",
    )
    action, reason = missing_influxd(missing, {})
    assert action == "skip" and missing in reason
    assert missing_influxd(missing, {"CI": "1"})[0] == "skip"
    present = tmp_path / "present"
    present.write_text("#!/bin/sh\n")
    present.chmod(0o755)
    assert missing_influxd(str(present), {"CI": "true"}) is None


# --- network failures and misbehaving servers (no influxd needed) --------------------------------


def test_connection_refused():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(MappingError) as caught:
        load_from_influxql(url, "admin", "s3cret-pw", timeout_s=5)
    assert check_one_line(caught.value, "s3cret-pw") == (
        f"cannot connect to {url}/ (connection refused): is InfluxDB running? check --influxql-url"
    )


def test_timeout_on_a_silent_server():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts connections, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(MappingError) as caught:
            load_from_influxql(url, "admin", "s3cret-pw", timeout_s=0.3)
    text = check_one_line(caught.value, "s3cret-pw")
    assert text.startswith(f"no answer from {url}/ within 0.3 s (`SHOW DATABASES` timed out)")


def test_tls_to_a_plain_server(stub):
    stub.reply = (200, b'{"results": [{"statement_id": 0}]}')
    url = stub.url.replace("http://", "https://")
    with pytest.raises(MappingError) as caught:
        load_from_influxql(url, "admin", "s3cret-pw", timeout_s=5)
    assert check_one_line(caught.value, "s3cret-pw").startswith(f"TLS error talking to {url}/ (")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/", "127.0.0.1:8086", "http://:8086", "http://h:x/"],
)
def test_only_http_urls(url):
    with pytest.raises(MappingError, match=r"^invalid URL .*check --influxql-url$"):
        load_from_influxql(url)


class _Stub(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        owner = self.server.owner  # type: ignore[attr-defined]
        if self.path == "/ping":  # both 1.x and 2.x name their version here
            self.send_response(204)
            if owner.version:
                self.send_header("X-Influxdb-Version", owner.version)
            self.end_headers()
            return
        owner.requests.append((self.path, dict(self.headers.items())))
        status, body = owner.replies.get(self.path.split("q=")[-1], owner.reply)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class StubServer:
    """A /query endpoint that answers what the test says (1.x or 2.x shaped, or garbage)."""

    def __init__(self) -> None:
        self.reply: tuple[int, bytes] = (200, b"")
        self.replies: dict[str, tuple[int, bytes]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        #: The X-Influxdb-Version /ping sends (None: no header, as from a proxy).
        self.version: str | None = None
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


SHOW_DBS = json.dumps(
    {
        "results": [
            {
                "statement_id": 0,
                "series": [{"name": "databases", "columns": ["name"], "values": [["telegraf"]]}],
            }
        ]
    }
).encode()


@pytest.mark.parametrize(
    ("replies", "expected"),
    [
        (
            {"": (200, b"<html>hi</html>")},
            "malformed answer from {url}/ to `SHOW DATABASES`: the body is not JSON",
        ),
        (
            {"": (200, b'{"results": []}')},
            'to `SHOW DATABASES`: expected "results" to be a non-empty array of objects',
        ),
        (
            {
                "": (
                    200,
                    b'{"results": [{"statement_id": 0, "series": [{"columns": ["name"], '
                    b'"values": [[1]]}]}]}',
                )
            },
            'to `SHOW DATABASES`: a row without a string "name"',
        ),
        (
            {"": (200, b'{"results": [{"statement_id": 0, "error": "boom"}]}')},
            "{url}/ refused `SHOW DATABASES`: boom",
        ),
        (
            {"": (500, b'{"error": "internal meltdown"}')},
            "{url}/ failed on `SHOW DATABASES` (HTTP 500 internal meltdown): check the server log",
        ),
        (
            {"": (404, b"404 page not found")},
            "{url}/ has no /query endpoint (HTTP 404 404 page not found): check --influxql-url",
        ),
        (
            {"": (401, b'{"code": "unauthorized", "message": "unauthorized access"}')},
            "{url}/ rejected the credentials (HTTP 401 unauthorized access)",
        ),
        (
            {"": (200, b'{"error": "error parsing query"}')},
            "refused `SHOW DATABASES`: error parsing",
        ),
        (
            {
                "SHOW+DATABASES": (200, SHOW_DBS),
                "": (
                    200,
                    b'{"results": [{"statement_id": 0, "series": [{"columns": ["name"], '
                    b'"values": [["autogen"]]}]}]}',
                ),
            },
            'a retention policy of "telegraf" without "name" and a true/false "default"',
        ),
        (
            {
                "SHOW+DATABASES": (200, SHOW_DBS),
                "": (200, b'{"results": [{"statement_id": 0, "error": "not authorized"}]}'),
            },
            '{url}/ refused `SHOW RETENTION POLICIES ON "telegraf"`: not authorized',
        ),
    ],
)
def test_misbehaving_servers(stub, replies, expected):
    stub.replies = {k: v for k, v in replies.items() if k}
    stub.reply = replies[""]
    with pytest.raises(MappingError) as caught:
        load_from_influxql(stub.url, "admin", "s3cret-pw", timeout_s=5)
    assert expected.format(url=stub.url) in check_one_line(caught.value, "s3cret-pw")


def test_influxdb2_shaped_answers_and_basic_auth(stub):
    # InfluxDB 2's compatibility API lists mapped retention policies with made-up durations:
    # they are its DBRP mappings, read as mappings
    stub.version = "v2.7.12"
    stub.replies = {"SHOW+DATABASES": (200, SHOW_DBS)}
    stub.reply = (
        200,
        json.dumps(
            {
                "results": [
                    {
                        "statement_id": 0,
                        "series": [
                            {
                                "columns": [
                                    "name",
                                    "duration",
                                    "shardGroupDuration",
                                    "replicaN",
                                    "default",
                                ],
                                "values": [
                                    ["autogen", "0s", "168h0m0s", 1, True],
                                    ["one_month", "0s", "168h0m0s", 1, False],
                                ],
                            }
                        ],
                    }
                ]
            }
        ).encode(),
    )
    ms = load_from_influxql(stub.url, "kapacitor", "tok:en/with?chars")
    assert {(m.database, m.retention_policy, m.default) for m in ms.mappings} == {
        ("telegraf", "autogen", True),
        ("telegraf", "one_month", False),
    }
    assert ms.inventory == () and ms.origin == f"InfluxQL at {stub.url}/"
    paths = [path for path, _ in stub.requests]
    assert paths == [
        "/query?q=SHOW+DATABASES",
        "/query?q=SHOW+RETENTION+POLICIES+ON+%22telegraf%22",
    ]
    # credentials travel in a Basic header, never in the URL
    assert all(
        h["Authorization"] == "Basic a2FwYWNpdG9yOnRvazplbi93aXRoP2NoYXJz" for _, h in stub.requests
    )


def test_database_names_are_quoted(stub):
    names = json.dumps(
        {
            "results": [
                {
                    "statement_id": 0,
                    "series": [
                        {"name": "databases", "columns": ["name"], "values": [['we"ird\\db']]}
                    ],
                }
            ]
        }
    ).encode()
    stub.replies = {"SHOW+DATABASES": (200, names)}
    stub.reply = (200, b'{"results": [{"statement_id": 0}]}')
    assert load_from_influxql(stub.url).mappings == ()
    assert stub.requests[1][0] == "/query?q=SHOW+RETENTION+POLICIES+ON+%22we%5C%22ird%5C%5Cdb%22"
    assert "Authorization" not in stub.requests[1][1]


def test_database_dropped_meanwhile_is_skipped(stub):
    stub.replies = {"SHOW+DATABASES": (200, SHOW_DBS)}
    stub.reply = (
        200,
        b'{"results": [{"statement_id": 0, "error": "database not found: telegraf"}]}',
    )
    assert load_from_influxql(stub.url).mappings == ()
