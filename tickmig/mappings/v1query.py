"""Read (database, retention policy) pairs over the 1.x ``/query`` API of InfluxDB 1.x or 2.x."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from urllib.parse import urlencode

import tickmig.mappings.bounded as bounded
from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import Mapping, MappingSet, SourceRetentionPolicy, Target
from tickmig.mappings.records import describe
from tickmig.mappings.urls import basic_credentials, check_url, display_url, one_line, redact

URL_OPTION = "--influxql-url"
CREDENTIALS = "--username and the password (INFLUX_PASSWORD, or the variable --password-env names)"


class _StatementError(Exception):
    """A statement error InfluxDB reported inside an HTTP 200 answer."""


def load_from_influxql(
    url: str,
    username: str | None = None,
    password: str | None = None,
    timeout_s: float = 10,
    *,
    target: Target = "oss",
) -> MappingSet:
    """What ``SHOW DATABASES`` and ``SHOW RETENTION POLICIES`` list, read as the server is.

    The server says what it is in the ``X-Influxdb-Version`` header of ``/ping``
    (../shared/docs/influxdb2-migration.md section 1.6). InfluxDB 1.x: the answer is the
    SOURCE INVENTORY (the retention policies that exist, with their durations and the
    default), kept in ``MappingSet.inventory``; it says nothing about the target, so no
    mapping comes from it and every reference resolves as ASSUMED (or as a plan says).
    InfluxDB 2.x: its /query lists its DBRP mappings (with fake durations), read as mappings
    (``default`` from the ``default`` column; buckets unknown). A server that names no version
    is read as before, as mappings.

    Credentials go in an ``Authorization: Basic`` header (never in the URL). Every failure
    raises one MappingError line naming the URL; the password never appears in it.
    """
    shown = check_url(url, URL_OPTION)
    headers = {"Accept": "application/json"}
    secrets = [password]
    if username is not None or password is not None:
        credentials = basic_credentials(username or "", password or "")
        headers["Authorization"] = f"Basic {credentials}"
        secrets.append(credentials)
    client = _Client(url.rstrip("/"), shown, headers, timeout_s, username is not None)
    origin = f"InfluxQL at {shown}"
    try:
        version = client.version()
        source = version is not None and version.lstrip("v").startswith("1.")
        if source:
            origin = f"InfluxDB {version} at {shown} (source inventory)"
        mappings = []
        databases = client.column("SHOW DATABASES", "name")
        if len(databases) > bounded.MAX_PAGES:
            raise MappingError(
                f"{shown} lists {len(databases)} databases, more than tickmig reads "
                f"({bounded.MAX_PAGES}): export the mappings to a file and pass --mapping"
            )
        for database in databases:
            rows = client.rows(f"SHOW RETENTION POLICIES ON {_quote(database)}", missing_ok=True)
            for row in rows:
                name, default = row.get("name"), row.get("default")
                if not isinstance(name, str) or not isinstance(default, bool):
                    raise MappingError(
                        client.malformed(
                            f'a retention policy of "{database}" without "name" '
                            'and a true/false "default"'
                        )
                    )
                duration = row.get("duration")
                mappings.append(
                    Mapping(
                        database,
                        name,
                        None,
                        None,
                        default,
                        False,
                        None,
                        None,
                        origin,
                        duration if isinstance(duration, str) else None,
                    )
                )
    except MappingError as exc:
        raise MappingError(redact(exc.message, secrets)) from None
    if source:
        inventory = tuple(
            SourceRetentionPolicy(m.database, m.retention_policy, m.duration, m.default, origin)
            for m in mappings
        )
        return MappingSet((), (), (), target, origin, from_server=False, inventory=inventory)
    return MappingSet(tuple(mappings), (), (), target, origin)


def _quote(identifier: str) -> str:
    escaped = identifier.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


class _Client:
    """A tiny InfluxQL-over-HTTP client that turns every failure into one MappingError line."""

    def __init__(
        self, base: str, shown: str, headers: dict[str, str], timeout_s: float, has_user: bool
    ) -> None:
        self.base = base
        self.shown = shown
        self.headers = headers
        self.timeout_s = timeout_s
        self.has_user = has_user
        self.statement = ""

    def version(self) -> str | None:
        """The ``X-Influxdb-Version`` header of ``/ping`` (1.x and 2.x both send it), or None
        when the server sends none or /ping fails (then the SHOW statements say more)."""
        try:
            answer = bounded.get(
                f"{self.base}/ping", self.headers, bounded.Deadline(self.timeout_s), max_bytes=4096
            )
        except (OSError, http.client.HTTPException, bounded.TooLarge, bounded.Redirected):
            return None
        if answer.status >= 300:
            return None
        return answer.headers.get("x-influxdb-version") or None

    def column(self, statement: str, name: str) -> list[str]:
        values = []
        for row in self.rows(statement):
            value = row.get(name)
            if not isinstance(value, str):
                raise MappingError(self.malformed(f'a row without a string "{name}"'))
            values.append(value)
        return values

    def rows(self, statement: str, *, missing_ok: bool = False) -> list[dict[str, object]]:
        self.statement = statement
        try:
            doc = self._get(statement)
            return _rows(doc)
        except _StatementError as exc:
            if missing_ok and str(exc).startswith("database not found"):
                return []
            refused = f"{self.shown} refused `{statement}`: {one_line(str(exc))}"
            raise MappingError(refused) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise MappingError(self.malformed(str(exc))) from None

    def malformed(self, detail: str) -> str:
        return (
            f"malformed answer from {self.shown} to `{self.statement}`: {one_line(detail)}; "
            f"is it InfluxDB with a 1.x /query API? check {URL_OPTION}"
        )

    def _get(self, statement: str) -> object:
        url = f"{self.base}/query?{urlencode({'q': statement})}"
        try:
            deadline = bounded.Deadline(self.timeout_s)
            answer = bounded.get(url, self.headers, deadline, max_bytes=bounded.MAX_BYTES)
        except bounded.Redirected as exc:
            raise MappingError(
                f"{self.shown} redirects `{statement}` (HTTP {exc.status}) to "
                f"{display_url(exc.location)}; tickmig follows no redirect, so credentials go "
                f"only where you point: check {URL_OPTION}"
            ) from None
        except bounded.TooLarge:
            raise MappingError(
                f"the answer from {self.shown} to `{statement}` is larger than "
                f"{bounded.size_text(bounded.MAX_BYTES)}: is it InfluxDB? check {URL_OPTION}"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise MappingError(self._network_failure(exc)) from None
        if answer.status >= 300:
            raise MappingError(self._http_failure(answer.status, answer.body))
        try:
            return json.loads(answer.body)
        except (ValueError, RecursionError):
            raise MappingError(self.malformed("the body is not JSON")) from None

    def _http_failure(self, status: int, body: bytes) -> str:
        message = _error_text(body)
        answer = f"HTTP {status} {message}".strip()
        if status in (401, 403):
            if not self.has_user:
                return f"{self.shown} requires authentication ({answer}): pass {CREDENTIALS}"
            return f"{self.shown} rejected the credentials ({answer}): check {CREDENTIALS}"
        if status == 404:
            return f"{self.shown} has no /query endpoint ({answer}): check {URL_OPTION}"
        if status >= 500:
            return f"{self.shown} failed on `{self.statement}` ({answer}): check the server log"
        return f"{self.shown} refused `{self.statement}` ({answer})"

    def _network_failure(self, exc: BaseException) -> str:
        shown = self.shown
        if isinstance(exc, ConnectionRefusedError):
            return f"cannot connect to {shown} (connection refused): is InfluxDB running? " + (
                f"check {URL_OPTION}"
            )
        if isinstance(exc, socket.gaierror):
            return f"cannot resolve the host of {shown}: check {URL_OPTION}"
        if isinstance(exc, ssl.SSLError):
            return (
                f"TLS error talking to {shown} ({one_line(str(exc), 120)}): does the server "
                f"speak https, and is its certificate trusted? check the scheme of {URL_OPTION}"
            )
        if isinstance(exc, TimeoutError):
            return (
                f"no answer from {shown} within {self.timeout_s:g} s (`{self.statement}` timed "
                f"out): is the server overloaded or {URL_OPTION} wrong?"
            )
        if isinstance(exc, http.client.HTTPException):
            return (
                f"{shown} did not answer HTTP ({type(exc).__name__}): is it an InfluxDB HTTP "
                f"endpoint? check {URL_OPTION}"
            )
        why = getattr(exc, "strerror", None) or one_line(str(exc), 100)
        return f"cannot connect to {shown} ({why}): check {URL_OPTION}"


def _rows(doc: object) -> list[dict[str, object]]:
    if not isinstance(doc, dict):
        raise ValueError(f'expected an object with "results", got {describe(doc)}')
    if "error" in doc:
        raise _StatementError(str(doc["error"]))
    results = doc["results"]
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        raise ValueError('expected "results" to be a non-empty array of objects')
    result = results[0]
    if "error" in result:
        raise _StatementError(str(result["error"]))
    rows: list[dict[str, object]] = []
    for series in result.get("series") or []:
        columns = series["columns"]
        for values in series.get("values") or []:
            if not isinstance(values, list) or len(values) != len(columns):
                raise ValueError("a row does not match its columns")
            rows.append(dict(zip(columns, values, strict=True)))
    return rows


def _error_text(body: bytes) -> str:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return one_line(body.decode("utf-8", "replace"), 100)
    if isinstance(doc, dict):
        for key in ("message", "error"):
            if isinstance(doc.get(key), str):
                return one_line(doc[key])
    return ""
