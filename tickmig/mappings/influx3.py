"""Read the databases (and their retention) of a live InfluxDB 3 Core/Enterprise.

``GET /api/v3/configure/database?format=json`` lists the databases. The OpenAPI contract of
InfluxDB 3 (``ShowDatabasesResponse``) describes ``{"databases": ["name", ...]}``; the server's
code (influxdata/influxdb ``influxdb3_server/src/http.rs`` ``show_databases``, serialising the
``iox::database`` column) answers ``[{"iox::database": "name"}, ...]``: both are read. Each
database's retention comes from ``SHOW RETENTION POLICIES`` through the v1 ``/query`` with
``db=NAME`` (``influxdb3_query_executor`` ``show_retention_policies``: one row whose
``duration`` is ``0s`` for indefinite retention). The token goes in ``Authorization: Bearer``,
which every InfluxDB 3 endpoint accepts; it never appears in a message.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from urllib.parse import urlencode

import tickmig.mappings.bounded as bounded
from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import Database, MappingSet, Target
from tickmig.mappings.records import describe
from tickmig.mappings.urls import check_url, display_url, one_line, redact

URL_OPTION = "--influx3-url"
TOKEN_OPTION = "the token (INFLUX_TOKEN, or the variable --token-env names)"
LIST = "GET /api/v3/configure/database"
ORIGIN_PREFIX = "InfluxDB 3 at"


def load_from_influxdb3(
    url: str, token: str, target: Target = "v3-core", timeout_s: float = 10
) -> MappingSet:
    """Every database of the InfluxDB 3 at ``url`` with its retention; one MappingError line
    for every failure, never the token."""
    shown = check_url(url, URL_OPTION)
    if not token:
        raise MappingError(f"no token given for {shown}: pass {TOKEN_OPTION}")
    client = _Client(url.rstrip("/"), shown, token, timeout_s)
    origin = f"{ORIGIN_PREFIX} {shown}"
    try:
        names = _database_names(client.get(LIST, "/api/v3/configure/database", {"format": "json"}))
        databases = [Database(name, client.retention(name), origin) for name in names]
    except MappingError as exc:
        raise MappingError(redact(exc.message, [token])) from None
    except Exception as exc:  # every failure is one line, never a traceback
        text = f"unexpected error talking to {shown} ({type(exc).__name__}: {one_line(str(exc))})"
        raise MappingError(redact(text, [token])) from None
    return MappingSet((), (), (), target, origin, databases=tuple(databases))


def _database_names(doc: object) -> list[str]:
    if isinstance(doc, dict) and isinstance(doc.get("databases"), list):
        items: list[object] = doc["databases"]
        if all(isinstance(i, str) for i in items):
            return [str(i) for i in items]
        raise ValueError('"databases" holds something other than names')
    if isinstance(doc, list):
        names = []
        for row in doc:
            name = row.get("iox::database") if isinstance(row, dict) else None
            if not isinstance(name, str):
                raise ValueError(f'a row without a string "iox::database": {describe(row)}')
            names.append(name)
        return names
    raise ValueError(f'expected {{"databases": [...]}}, got {describe(doc)}')


class _Client:
    def __init__(self, base: str, shown: str, token: str, timeout_s: float) -> None:
        self.base = base
        self.shown = shown
        self.headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
        self.timeout_s = timeout_s
        self.request = LIST

    def retention(self, database: str) -> str | None:
        what = f"SHOW RETENTION POLICIES (db={database})"
        doc = self.get(what, "/query", {"db": database, "q": "SHOW RETENTION POLICIES"})
        try:
            return _duration(doc)
        except (KeyError, TypeError, ValueError) as exc:
            raise MappingError(self.malformed(str(exc))) from None

    def get(self, what: str, path: str, query: dict[str, str]) -> object:
        """One GET through tickmig's bounded client (mappings.bounded): one deadline for the
        whole answer, a size limit, and no redirect, so the token goes only where pointed."""
        self.request = what
        url = f"{self.base}{path}?{urlencode(query)}"
        try:
            answer = bounded.get(url, self.headers, bounded.Deadline(self.timeout_s))
        except bounded.Redirected as exc:
            raise MappingError(
                f"{self.shown} redirects {what} (HTTP {exc.status}) to "
                f"{display_url(exc.location)}; tickmig follows no redirect, so the token goes only "
                f"where you point: check {URL_OPTION}"
            ) from None
        except bounded.TooLarge:
            raise MappingError(
                f"the answer from {self.shown} to {what} is larger than "
                f"{bounded.size_text(bounded.MAX_BYTES)}: is it InfluxDB 3? check {URL_OPTION}"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise MappingError(self._network_failure(exc)) from None
        if answer.status >= 300:
            raise MappingError(self._http_failure(answer.status, answer.body))
        try:
            return json.loads(answer.body)
        except (ValueError, RecursionError):
            raise MappingError(self.malformed("the body is not JSON")) from None

    def malformed(self, detail: str) -> str:
        return (
            f"malformed answer from {self.shown} to {self.request}: {one_line(detail)}; "
            f"is it InfluxDB 3 Core or Enterprise? check {URL_OPTION}"
        )

    def _http_failure(self, status: int, body: bytes) -> str:
        answer = f"HTTP {status} {_error_text(body)}".strip()
        if status == 401:
            return f"{self.shown} rejected the token ({answer}): check {TOKEN_OPTION}"
        if status == 403:
            return (
                f"{self.shown} denied {self.request} ({answer}): listing databases needs an "
                "admin token"
            )
        if status == 404 and self.request == LIST:
            return (
                f"{self.shown} has no {LIST.split()[1]} ({answer}): is it InfluxDB 3 "
                f"(not 1.x or 2.x)? check {URL_OPTION}"
            )
        if status >= 500:
            return f"{self.shown} failed on {self.request} ({answer}): check the server log"
        return f"{self.shown} refused {self.request} ({answer})"

    def _network_failure(self, exc: BaseException) -> str:
        shown = self.shown
        if isinstance(exc, ConnectionRefusedError):
            return f"cannot connect to {shown} (connection refused): is InfluxDB 3 running? " + (
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
                f"no answer from {shown} within {self.timeout_s:g} s ({self.request} timed "
                f"out): is the server overloaded or {URL_OPTION} wrong?"
            )
        if isinstance(exc, http.client.HTTPException):
            return (
                f"{shown} did not answer HTTP ({type(exc).__name__}): is it an InfluxDB 3 HTTP "
                f"endpoint? check {URL_OPTION}"
            )
        why = getattr(exc, "strerror", None) or one_line(str(exc), 100)
        return f"cannot connect to {shown} ({why}): check {URL_OPTION}"


def _duration(doc: object) -> str | None:
    """The ``duration`` of the one row ``SHOW RETENTION POLICIES`` answers; None when the
    database has gone (``database not found``)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        raise ValueError(f'expected an object with "results", got {describe(doc)}')
    results = doc["results"]
    if not results or not isinstance(results[0], dict):
        raise ValueError('expected "results" to be a non-empty array of objects')
    result = results[0]
    if "error" in result:
        if "database not found" in str(result["error"]):
            return None
        raise ValueError(f"statement error: {result['error']}")
    for series in result.get("series") or []:
        columns = series["columns"]
        for values in series.get("values") or []:
            row = dict(zip(columns, values, strict=True))
            duration = row.get("duration")
            if not isinstance(duration, str):
                raise ValueError('a retention policy without a string "duration"')
            return duration
    return None


def _error_text(body: bytes) -> str:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return one_line(body.decode("utf-8", "replace"), 100)
    if isinstance(doc, dict) and isinstance(doc.get("error"), str):
        return one_line(doc["error"])
    return ""
