"""A loopback stand-in for Kapacitor's HTTP API (no Kapacitor can be installed here).

It answers with the shapes, status codes and error texts of influxdata/kapacitor (read at
7702d12d); each handler names the file it follows. It records every call it receives, so a
test can compare what tickmig said it would do with what it did.

What it cannot be: Kapacitor's TICKscript compiler. Syntax is checked with a parser (the
project's own, standing in for `tick/ast.Parse`), and `compile_errors` lets a test make a
script fail the way `TaskMaster.NewTask` would (an unknown property method, say).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

BASE = "/kapacitor/v1"
STAMP = "2026-01-05T10:00:00Z"
ZERO = "0001-01-01T00:00:00Z"
# services/task_store/service.go validTaskID / validTemplateID
VALID_ID = re.compile(r"^[-._\w]+$")
ALL_TASK_FIELDS = [  # services/task_store/service.go allTaskFields
    "link", "id", "type", "dbrps", "script", "dot", "status", "executing", "error", "stats",
    "created", "modified", "last-enabled", "vars", "template-id",
]  # fmt: skip
ALL_TEMPLATE_FIELDS = ["link", "id", "type", "script", "dot", "error", "created", "modified"]
DBRP_STATEMENT = re.compile(r'^[ \t]*dbrp[ \t]+"([^"]*)"[ \t]*\.[ \t]*"([^"]*)"', re.M)
FROM_DBRP = re.compile(r'FROM\s+"?([^".\s]+)"?\."?([^".\s]+)"?\.', re.I)
COMMENT = re.compile(r"//[^\n]*")


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0


@dataclass
class Fault:
    """Misbehaviour for requests whose method and path start match: `status` with `body`
    (raw bytes), or a `delay` in seconds before answering; `times` requests long (-1: always)."""

    method: str
    path: str
    status: int = 500
    body: bytes | None = None
    delay: float = 0.0
    times: int = -1
    #: More response headers (a `Location` for a redirect).
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class KapacitorState:
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    handlers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    influxdb: list[dict[str, Any]] = field(default_factory=list)
    recordings: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: points per (db, rp) a batch recording finds (stands in for the InfluxDB behind it)
    data: dict[tuple[str, str], int] = field(default_factory=dict)
    compile_errors: dict[str, str] = field(default_factory=dict)
    #: a task whose restart (after a template PATCH) fails, with the error text
    start_errors: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] | None = None  # basic auth users -> password; None: auth off
    readonly_users: set[str] = field(default_factory=set)
    shared_secret: str | None = None  # bearer (JWT HS256) secret
    faults: list[Fault] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    after_call: Callable[[Call, KapacitorState], None] | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)

    # --- seeding, as `kapacitor define` would ----------------------------------------------

    def add_template(self, tid: str, script: str) -> None:
        self.templates[tid] = {"id": tid, "script": script, "type": script_type(script)}

    def add_task(
        self,
        tid: str,
        script: str = "",
        *,
        dbrps: list[dict[str, str]] | None = None,
        status: str = "enabled",
        template_id: str = "",
        variables: dict[str, Any] | None = None,
    ) -> None:
        if template_id:
            script = self.templates[template_id]["script"]
        found = dbrps_in(script)
        assert not (found and dbrps), "cannot specify dbrp in both implicitly and explicitly"
        assert found or dbrps, f"{tid}: must specify dbrp"
        self.tasks[tid] = {
            "id": tid,
            "script": script,
            "type": script_type(script),
            "dbrps": found or list(dbrps or []),
            "status": status,
            "template-id": template_id,
            "vars": dict(variables or {}),
        }

    def snapshot(self) -> dict[str, Any]:
        """Everything a rollback must restore, for equality checks."""
        return json.loads(
            json.dumps({"tasks": self.tasks, "templates": self.templates}, sort_keys=True)
        )


def script_type(script: str) -> str:
    # services/task_store/util.go taskTypeFromProgram: the identifier a chain starts from
    m = re.search(r"\b(stream|batch)\s*\|", COMMENT.sub("", script))
    return m.group(1) if m else "invalid"


def dbrps_in(script: str) -> list[dict[str, str]]:
    # services/task_store/util.go dbrpsFromProgram: every `dbrp "db"."rp"` statement
    return [{"db": d, "rp": r} for d, r in DBRP_STATEMENT.findall(COMMENT.sub("", script))]


def formatted(script: str) -> str:
    """Stands in for `tick.Format` (what `script-format=formatted`, the default, returns): it
    re-indents chains and moves nothing else; enough to differ from the raw text."""
    out = []
    for line in script.strip().splitlines():
        s = line.strip()
        out.append(("    " + s) if s.startswith(("|", ".")) else s)
    return "\n".join(out) + "\n"


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        path = unquote(url.path)  # Go's net/http serves the decoded path
        call = Call(method, path, parse_qs(url.query), body)
        with state.lock:
            state.calls.append(call)
            fault = next(
                (f for f in state.faults if f.method == method and path.startswith(f.path)),
                None,
            )
            if fault is not None and fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    state.faults.remove(fault)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.body is not None:
            call.status = fault.status
            self._send(fault.status, fault.body, fault.headers)
            return
        try:
            self._authenticate(method, path)
            with state.lock:
                status, payload = route(state, method, path, call.query, body, raw)
        except ApiError as exc:
            status, payload = exc.status, http_error(str(exc))
        call.status = status
        if state.after_call is not None:  # before the answer: the client cannot race it
            with state.lock:
                state.after_call(call, state)
        self._send(status, payload)

    def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            # A client that hung up after the status line (a CLI giving up on a 401) is not
            # the server's error: say nothing, as Go's net/http says nothing.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

    def _authenticate(self, method: str, path: str) -> None:
        # services/httpd/handler.go authenticate, parseCredentials, authorizeRequest
        state = self.server.state
        if state.users is None and state.shared_secret is None:
            return
        header = self.headers.get("Authorization") or ""
        kind, _, token = header.partition(" ")
        if kind == "Bearer" and token:
            user = _jwt_user(token, state.shared_secret or "")
        elif kind == "Basic" and token:
            name, _, password = base64.b64decode(token).decode().partition(":")
            if not name:
                raise ApiError(401, "username required")
            if (state.users or {}).get(name) != password:
                raise ApiError(401, "authorization failed")
            user = name
        else:
            raise ApiError(401, "unable to parse authentication credentials")
        if user in state.readonly_users and method != "GET":
            privilege = "delete" if method == "DELETE" else "write"
            raise ApiError(
                403, f'user {user} does not have "{privilege}" privilege for API endpoint "{path}"'
            )


def _jwt_user(token: str, secret: str) -> str:
    # services/httpd/handler.go BearerAuthentication: HS256, non-zero exp, username claim
    try:
        head, payload, signature = token.split(".")
        expected = hmac.new(secret.encode(), f"{head}.{payload}".encode(), hashlib.sha256)
        given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        if not hmac.compare_digest(expected.digest(), given):
            raise ApiError(401, "invalid token: signature is invalid")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        raise ApiError(401, "invalid token: token contains an invalid number of segments") from None
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= 0:
        raise ApiError(401, "token expiration required")
    if claims["exp"] < time.time():
        raise ApiError(401, "invalid token: Token is expired")
    if not claims.get("username"):
        raise ApiError(401, "token must contain a username")
    return str(claims["username"])


def make_jwt(secret: str, username: str, exp: float) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps({"username": username, "exp": exp}).encode())
    sig = hmac.new(secret.encode(), f"{head}.{payload}".encode(), hashlib.sha256).digest()
    return f"{head}.{payload}.{b64(sig)}"


def http_error(message: str) -> bytes:
    # services/httpd/handler.go HttpError: both "error" (1.5) and "message" (1.6)
    return json.dumps({"error": message, "message": message}, indent=4).encode()


def marshal(value: Any) -> bytes:
    # services/httpd/handler.go MarshalJSON(v, true): json.MarshalIndent(v, "", "    ")
    return json.dumps(value, indent=4).encode()


def route(
    state: KapacitorState,
    method: str,
    path: str,
    query: dict[str, list[str]],
    body: Any,
    raw: bytes,
) -> tuple[int, bytes]:
    from . import server_other as o
    from . import server_routes as r

    if not path.startswith(BASE):
        raise ApiError(404, "404 page not found")
    rest = path[len(BASE) :]
    if method in ("POST", "PATCH") and not isinstance(body, dict):
        if rest.startswith("/recordings"):  # services/replay/service.go: err.Error()
            raise ApiError(400, "invalid character in JSON")
        raise ApiError(400, "invalid JSON")
    table: list[tuple[str, str, Callable[..., tuple[int, bytes]]]] = [
        ("GET", "/tasks", r.list_tasks),
        ("POST", "/tasks", r.create_task),
        ("GET", "/tasks/", r.get_task),
        ("PATCH", "/tasks/", r.update_task),
        ("DELETE", "/tasks/", r.delete_task),
        ("GET", "/templates", r.list_templates),
        ("POST", "/templates", r.create_template),
        ("GET", "/templates/", r.get_template),
        ("PATCH", "/templates/", r.update_template),
        ("DELETE", "/templates/", r.delete_template),
        ("GET", "/alerts/topics", o.list_topics),
        ("GET", "/alerts/topics/", o.list_handlers),
        ("GET", "/config/", o.get_config),
        ("POST", "/config/", o.update_config),
        ("POST", "/recordings/batch", o.record_batch),
        ("GET", "/recordings/", o.get_recording),
        ("DELETE", "/recordings/", o.delete_recording),
    ]
    for m, prefix, handler in table:
        exact = not prefix.endswith("/")
        if m == method and (rest == prefix if exact else rest.startswith(prefix)):
            return handler(state, rest[len(prefix) :], query, body)
    raise ApiError(404, "404 page not found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: KapacitorState

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (tickmig refusing a huge answer) is not the server's error:
        # say nothing, as Go's net/http says nothing.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class KapacitorServer:
    """`with KapacitorServer(state) as url:` serves on 127.0.0.1, an ephemeral port."""

    def __init__(
        self, state: KapacitorState | None = None, tls: tuple[str, str] | None = None
    ) -> None:
        self.state = state or KapacitorState()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.state = self.state
        scheme = "http"
        if tls is not None:  # services/httpd: https-enabled with a certificate and key
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> KapacitorServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
