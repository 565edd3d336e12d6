"""A loopback stand-in for InfluxDB OSS 2 that answers as its OpenAPI contract and the docs say."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .contract import ContractValidator, Violation

JSON = "application/json; charset=utf-8"
STAMP = "2024-03-15T17:22:33.72617939Z"
TRUE_WORDS = {"1", "t", "T", "TRUE", "true", "True"}
FALSE_WORDS = {"0", "f", "F", "FALSE", "false", "False"}

Reply = tuple[int, dict[str, str], bytes]


def make_bucket(bucket_id: str, name: str, org_id: str, **extra: Any) -> dict[str, Any]:
    """A bucket object shaped like OSS 2.7 sends it."""
    bucket: dict[str, Any] = {
        "id": bucket_id,
        "orgID": org_id,
        "type": "system" if name.startswith("_") else "user",
        "name": name,
        "retentionRules": [],
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "links": {
            "labels": f"/api/v2/buckets/{bucket_id}/labels",
            "members": f"/api/v2/buckets/{bucket_id}/members",
            "org": f"/api/v2/orgs/{org_id}",
            "owners": f"/api/v2/buckets/{bucket_id}/owners",
            "self": f"/api/v2/buckets/{bucket_id}",
            "write": f"/api/v2/write?org={org_id}&bucket={bucket_id}",
        },
        "labels": [],
    }
    bucket.update(extra)
    return bucket


@dataclass
class ServerState:
    """What the fake server holds and how it misbehaves; tests change it between requests."""

    token: str
    orgs: list[dict[str, str]]
    buckets: list[dict[str, Any]]
    dbrps: list[dict[str, Any]]
    version: tuple[int, int, int] = (2, 7, 12)
    failures: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    raw: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    delay_s: float = 0.0
    bucket_links: bool = True
    default_limit: int = 20


@dataclass(frozen=True)
class Exchange:
    """One request the server answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int


class Influx2Server:
    """The fake server on 127.0.0.1 (ephemeral port).

    It serves ``/api/v2/dbrps``, ``/api/v2/buckets`` (``links``/``next`` paging),
    ``/api/v2/orgs``, ``/ping`` and ``/health``; errors are ``{"code", "message"}`` bodies with an
    ``X-Platform-Error-Code`` header. Every exchange is checked by a ContractValidator. Virtual
    DBRP mappings are computed here independently of tickmig (docs section 1.3).
    """

    def __init__(self, state: ServerState, validator: ContractValidator) -> None:
        self.state = state
        self.validator = validator
        self.exchanges: list[Exchange] = []
        self.release = threading.Event()
        self._allowed_violations = False
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._first_violation = len(validator.violations)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Influx2Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def violations(self) -> list[Violation]:
        """Contract violations recorded for this server's exchanges."""
        return self.validator.violations[self._first_violation :]

    def allow_violations(self) -> None:
        """This test sends non-conforming answers on purpose (and asserts on them itself)."""
        self._allowed_violations = True

    @property
    def violations_allowed(self) -> bool:
        return self._allowed_violations

    def handle(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        split = urlsplit(target)
        query = parse_qs(split.query, keep_blank_values=True)
        if self.state.delay_s:
            self.release.wait(self.state.delay_s)
        status, reply_headers, body = _route(self.state, method, split.path, query, headers)
        self.exchanges.append(Exchange(method, split.path, query, status))
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
        self._answer("GET")

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        owner: Influx2Server = self.server.owner  # type: ignore[attr-defined]
        status, headers, body = owner.handle(method, self.path, dict(self.headers.items()))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


def _route(
    state: ServerState, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]
) -> Reply:
    if path == "/ping" and method in ("GET", "HEAD"):
        return 204, {"X-Influxdb-Build": "OSS"}, b""
    if path == "/health" and method == "GET":
        version = "v{}.{}.{}".format(*state.version)
        return _json(
            200,
            {
                "name": "influxdb",
                "message": "ready for queries and writes",
                "status": "pass",
                "checks": [],
                "version": version,
                "commit": "407fa622e9",
            },
        )
    if not path.startswith("/api/v2/"):
        return _error(404, "not found", "path not found")
    if _lower_keys(headers).get("authorization") != f"Token {state.token}":
        return _error(401, "unauthorized", "unauthorized access")
    if path in state.failures:
        return _error(*state.failures[path])
    if path in state.raw:
        status, body = state.raw[path]
        return status, {"Content-Type": JSON}, body
    routes = {"/api/v2/dbrps": _dbrps, "/api/v2/buckets": _buckets, "/api/v2/orgs": _orgs}
    if path not in routes:
        return _error(404, "not found", "path not found")
    if method != "GET":
        return _error(405, "method not allowed", f"method {method} not allowed")
    return routes[path](state, {k: v[-1] for k, v in query.items()})


def _dbrps(state: ServerState, query: dict[str, str]) -> Reply:
    if "org" not in query and "orgID" not in query:
        return _error(400, "invalid", "either 'org' or 'orgID' must be provided")
    org = _find_org(state, query)
    if org is None:
        return _error(404, "not found", f'invalid org "{query.get("org", query.get("orgID"))}"')
    physical = [dict(d) for d in state.dbrps if d["orgID"] == org["id"]]
    has_virtual = state.version >= (2, 4, 0)
    mappings = []
    for d in physical:
        if has_virtual:
            d["virtual"] = False
        mappings.append(d)
    if has_virtual:
        mappings.extend(_virtual(state, org["id"], physical))
    if "default" in query:
        word = query["default"]
        if word not in TRUE_WORDS | FALSE_WORDS:
            return _error(400, "invalid", "invalid default parameter")
        mappings = [m for m in mappings if m["default"] is (word in TRUE_WORDS)]
    for key, column in (("db", "database"), ("rp", "retention_policy"), ("id", "id")):
        if key in query:
            mappings = [m for m in mappings if m[column] == query[key]]
    if "bucketID" in query:
        mappings = [m for m in mappings if m["bucketID"] == query["bucketID"]]
    if state.version < (2, 0, 2):  # 2.0.0 and 2.0.1 spelled the keys differently
        renamed = {"orgID": "organization_id", "bucketID": "bucket_id"}
        mappings = [{renamed.get(k, k): v for k, v in m.items()} for m in mappings]
    return _json(200, {"content": mappings})


def _virtual(
    state: ServerState, org_id: str, physical: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Virtual mappings as OSS >= 2.4 computes them from bucket names."""
    out = []
    defaults = {p["database"] for p in physical if p["default"]}
    mapped = {(p["database"], p["retention_policy"]) for p in physical}
    for bucket in state.buckets:
        if bucket["orgID"] != org_id:
            continue
        name = bucket["name"]
        if "/" in name:
            database, rp = name.split("/", 1)
            default = False
        else:
            database, rp = name, "autogen"
            default = database not in defaults
        if (database, rp) in mapped:
            continue
        out.append(
            {
                "id": bucket["id"],
                "database": database,
                "retention_policy": rp,
                "default": default,
                "orgID": org_id,
                "bucketID": bucket["id"],
                "virtual": True,
            }
        )
    return out


def _buckets(state: ServerState, query: dict[str, str]) -> Reply:
    items = sorted(state.buckets, key=lambda b: b["id"])
    if "org" in query or "orgID" in query:
        org = _find_org(state, query)
        if org is None:
            if "org" in query:
                return _error(404, "not found", f'organization name "{query["org"]}" not found')
            return _error(404, "not found", "organization not found")
        items = [b for b in items if b["orgID"] == org["id"]]
    for key in ("name", "id"):
        if key in query:
            items = [b for b in items if b[key] == query[key]]
    try:
        limit = int(query.get("limit", state.default_limit))
        offset = int(query.get("offset", "0"))
    except ValueError:
        return _error(400, "invalid", "limit and offset must be integers")
    if not 1 <= limit <= 100 or offset < 0:
        return _error(400, "invalid", "limit must be between 1 and 100")
    if "after" in query:
        items = [b for b in items if b["id"] > query["after"]]
    page = items[offset : offset + limit]
    body: dict[str, Any] = {"buckets": page}
    if state.bucket_links:
        base = {k: v for k, v in query.items() if k in ("org", "orgID", "name", "id", "after")}
        links = {"self": _link({**base, "descending": "false", "limit": limit, "offset": offset})}
        if len(page) == limit:
            seek = {"after": page[-1]["id"]} if "after" in query else {"offset": offset + limit}
            links["next"] = _link({**base, "descending": "false", "limit": limit, **seek})
        body["links"] = links
    return _json(200, body)


def _orgs(state: ServerState, query: dict[str, str]) -> Reply:
    orgs = state.orgs
    if "org" in query or "orgID" in query:
        org = _find_org(state, query)
        if org is None:
            if "org" in query:
                return _error(404, "not found", f'organization name "{query["org"]}" not found')
            return _error(404, "not found", "organization not found")
        orgs = [org]
    return _json(200, {"links": {"self": "/api/v2/orgs"}, "orgs": [_org_body(o) for o in orgs]})


def _org_body(org: dict[str, str]) -> dict[str, Any]:
    oid, name = org["id"], org["name"]
    return {
        "links": {
            "buckets": f"/api/v2/buckets?org={name}",
            "dashboards": f"/api/v2/dashboards?org={name}",
            "labels": f"/api/v2/orgs/{oid}/labels",
            "members": f"/api/v2/orgs/{oid}/members",
            "owners": f"/api/v2/orgs/{oid}/owners",
            "secrets": f"/api/v2/orgs/{oid}/secrets",
            "self": f"/api/v2/orgs/{oid}",
            "tasks": f"/api/v2/tasks?org={name}",
        },
        "id": oid,
        "name": name,
        "description": "",
        "createdAt": STAMP,
        "updatedAt": STAMP,
    }


def _find_org(state: ServerState, query: dict[str, str]) -> dict[str, str] | None:
    for org in state.orgs:
        if query.get("orgID") == org["id"] or query.get("org") == org["name"]:
            return org
    return None


def _link(params: dict[str, Any]) -> str:
    return "/api/v2/buckets?" + urlencode(sorted(params.items()))


def _lower_keys(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _json(status: int, body: object) -> Reply:
    return status, {"Content-Type": JSON}, json.dumps(body).encode()


def _error(status: int, code: str, message: str) -> Reply:
    headers = {"Content-Type": JSON, "X-Platform-Error-Code": code}
    return status, headers, json.dumps({"code": code, "message": message}).encode()
