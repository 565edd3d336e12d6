"""A loopback stand-in for InfluxDB 3 Core/Enterprise: ``GET /api/v3/configure/database`` and the
v1 ``/query`` (``SHOW RETENTION POLICIES``), answering as the OpenAPI contracts (and, for what the
contract leaves open, the server's code: influxdata/influxdb ``influxdb3_server/src/http.rs``,
``influxdb3_query_executor`` ``show_retention_policies``) say. Every exchange is validated."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .contract import ContractValidator, Violation

JSON = "application/json"
Reply = tuple[int, dict[str, str], bytes]


@dataclass
class V3State:
    """The databases (name -> retention as ``SHOW RETENTION POLICIES`` words it, ``0s`` for
    indefinite) and how the server misbehaves."""

    token: str
    databases: dict[str, str]
    #: Answer the database list as the code does (``[{"iox::database": ...}]``), not the
    #: contract's ``{"databases": [...]}``.
    code_shape: bool = False
    failures: dict[str, tuple[int, str]] = field(default_factory=dict)
    raw: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    delay_s: float = 0.0


class Influx3Server:
    def __init__(self, state: V3State, validator: ContractValidator) -> None:
        self.state = state
        self.validator = validator
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self.release = threading.Event()
        self._allowed = False
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._first = len(validator.violations)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Influx3Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def violations(self) -> list[Violation]:
        return self.validator.violations[self._first :]

    def allow_violations(self) -> None:
        self._allowed = True

    @property
    def violations_allowed(self) -> bool:
        return self._allowed

    def handle(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        split = urlsplit(target)
        query = parse_qs(split.query, keep_blank_values=True)
        self.requests.append((split.path, query, headers))
        if self.state.delay_s:
            self.release.wait(self.state.delay_s)
        status, reply_headers, body = _route(self.state, method, split.path, query, headers)
        self.validator.check(
            method=method,
            path=split.path,
            query=query,
            request_headers=headers,
            status=status,
            response_headers=reply_headers,
            body=body,
        )
        return status, reply_headers, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        owner: Influx3Server = self.server.owner  # type: ignore[attr-defined]
        status, headers, body = owner.handle("GET", self.path, dict(self.headers.items()))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


def _json(status: int, doc: object) -> Reply:
    return status, {"Content-Type": JSON}, json.dumps(doc).encode()


def _route(
    state: V3State, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]
) -> Reply:
    auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
    if auth not in (f"Bearer {state.token}", f"Token {state.token}"):
        return _json(401, {"error": "the request was not authenticated"})
    if path in state.failures:
        status, message = state.failures[path]
        return _json(status, {"error": message})
    if path in state.raw:
        status, body = state.raw[path]
        return status, {"Content-Type": JSON}, body
    if path == "/api/v3/configure/database" and method == "GET":
        if query.get("format") != ["json"]:
            return _json(400, {"error": "format is required"})
        names = sorted(state.databases)
        if state.code_shape:
            return _json(200, [{"iox::database": name} for name in names])
        return _json(200, {"databases": names})
    if path == "/query" and method == "GET":
        db = (query.get("db") or [""])[0]
        statement = (query.get("q") or [""])[0]
        if statement != "SHOW RETENTION POLICIES":
            return _json(400, {"error": f"unexpected statement {statement!r}"})
        if db not in state.databases:
            error = f"datafusion error: Error during planning: database not found: {db}"
            return _json(200, {"results": [{"statement_id": 0, "error": error}]})
        name, _, rp = db.partition("/")
        series = {
            "name": "retention_policies",
            "columns": ["name", "duration", "default"],
            "values": [[rp or name, state.databases[db], True]],
        }
        return _json(200, {"results": [{"statement_id": 0, "series": [series]}]})
    return _json(404, {"error": "not found"})
