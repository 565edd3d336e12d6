"""Read DBRP mappings and buckets from a live InfluxDB 2 (OSS or Cloud).

The two listings (`GET /api/v2/dbrps`, `GET /api/v2/buckets` paged as influxdb-client pages
them) are read through `mappings.bounded`: each request has a deadline for the whole answer
(a server trickling bytes is stopped), a size limit, the listing has a page limit and a total
deadline, and a redirect is never followed, so the token goes only to the host named
(issue 11).
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import tickmig.mappings.bounded as bounded
from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import Bucket, Mapping, MappingSet, Target
from tickmig.mappings.records import ShapeError, describe, parse_dbrps_body
from tickmig.mappings.urls import check_url, display_url, one_line, redact

URL_OPTION = "--influx-url"
TOKEN_OPTION = "the token (INFLUX_TOKEN, or the variable --token-env names)"
ORG_OPTION = "--org"
DBRPS_PATH = "/api/v2/dbrps"
BUCKETS_PATH = "/api/v2/buckets"
DBRPS = f"GET {DBRPS_PATH}"
BUCKETS = f"GET {BUCKETS_PATH}"


@dataclass
class _Step:
    """What the loader is doing, for error messages."""

    shown: str
    org: str
    request: str = DBRPS


def load_from_influxdb2(
    url: str, org: str, token: str, target: Target = "oss", timeout_s: float = 10
) -> MappingSet:
    """All DBRP mappings and buckets of organization ``org`` (a name) at ``url``.

    Every failure raises one MappingError line naming the URL and what to do; the token never
    appears in it.
    """
    shown = check_url(url, URL_OPTION)
    if not org:
        raise MappingError(f"no organization given for {shown}: pass {ORG_OPTION}")
    if not token:
        raise MappingError(f"no token given for {shown}: pass {TOKEN_OPTION}")
    for what, value, option in (("token", token, TOKEN_OPTION), ("organization", org, ORG_OPTION)):
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise MappingError(
                f"the {what} for {shown} contains a line break or control character, which an "
                f"HTTP header cannot carry (a stray newline in the variable?): check {option}"
            )
    step = _Step(shown, org)
    try:
        mappings, buckets = _load(url, org, token, timeout_s, step)
    except MappingError as exc:
        raise MappingError(redact(exc.message, [token])) from None
    except Exception as exc:  # every failure must become one line, never a traceback
        raise MappingError(redact(_describe_failure(exc, step, timeout_s), [token])) from None
    origin = f"InfluxDB 2 at {shown} (org {org})"
    mappings = [_with_source(m, origin) for m in mappings]
    return MappingSet(tuple(mappings), tuple(buckets), (), target, origin)


def _load(
    url: str, org: str, token: str, timeout_s: float, step: _Step
) -> tuple[list[Mapping], list[Bucket]]:
    """The two listings, each request bounded by `bounded.get`; the bucket pages follow
    influxdb-client's paging (`after` = the last id while `links.next` is set)."""
    base = url.rstrip("/")
    headers = {
        "Authorization": f"Token {token}",
        "Accept": "application/json",
        "User-Agent": "tickmig",
    }
    total = bounded.Deadline(timeout_s * 6)  # the whole conversation, however many pages

    def fetch(path: str, query: dict[str, str]) -> object:
        try:
            deadline = bounded.Deadline(min(timeout_s, total.left()))
        except TimeoutError:
            raise MappingError(
                f"no complete answer from {step.shown} within {total.seconds:g} s "
                f"({step.request} did not end): is its paging endless? check {URL_OPTION}"
            ) from None
        answer = bounded.get(
            f"{base}{path}?{urlencode(query)}", headers, deadline, max_bytes=bounded.MAX_BYTES
        )
        if answer.status != 200:
            raise MappingError(_status_failure(answer.status, answer.body, step))
        try:
            return json.loads(answer.body)
        except (ValueError, RecursionError):
            raise MappingError(_malformed(step, "the body is not JSON")) from None

    mappings = _parse_dbrps(fetch(DBRPS_PATH, {"org": org}), step)
    step.request = BUCKETS
    buckets: list[Bucket] = []
    query = {"org": org, "limit": "100"}
    for pages in range(bounded.MAX_PAGES + 1):
        if pages == bounded.MAX_PAGES:
            raise MappingError(
                f"{step.shown} lists more than {len(buckets)} buckets ({pages} pages) "
                f"for {BUCKETS}: does its paging end? export the buckets to a file and pass "
                "--mapping"
            )
        items, more = _bucket_page(fetch(BUCKETS_PATH, query), step)
        buckets += items
        if not more or not items:
            break
        query = {**query, "after": items[-1].id}
    return mappings, buckets


def _bucket_page(doc: object, step: _Step) -> tuple[list[Bucket], bool]:
    """One page's buckets and whether another follows (`links.next`)."""
    if not isinstance(doc, dict):
        raise MappingError(_malformed(step, f'expected an object with "buckets", got {_kind(doc)}'))
    links = doc.get("links")
    if not isinstance(links, dict):
        raise MappingError(_malformed(step, 'the bucket list has no "links" object'))
    items = doc.get("buckets") or []
    if not isinstance(items, list):
        raise MappingError(_malformed(step, f'"buckets" is {describe(items)}, not an array'))
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise MappingError(_malformed(step, f"a bucket is {describe(item)}"))
        ident, name, org_id = item.get("id"), item.get("name"), item.get("orgID")
        if not isinstance(ident, str) or not ident or not isinstance(name, str) or not name:
            raise MappingError(_malformed(step, "a bucket without an id or name"))
        out.append(Bucket(id=ident, name=name, org_id=org_id if isinstance(org_id, str) else None))
    return out, links.get("next") is not None


def _parse_dbrps(doc: object, step: _Step) -> list[Mapping]:
    if not isinstance(doc, dict) or "content" not in doc:
        raise MappingError(_malformed(step, f'expected an object with "content", got {_kind(doc)}'))
    try:
        return parse_dbrps_body(doc, step.shown)
    except ShapeError as exc:
        raise MappingError(_malformed(step, str(exc))) from None


def _kind(doc: object) -> str:
    if isinstance(doc, dict):
        return "an object with keys " + (", ".join(sorted(map(str, doc))[:5]) or "none")
    return describe(doc)


def _with_source(m: Mapping, origin: str) -> Mapping:
    return replace(m, source=origin)


def _malformed(step: _Step, detail: str) -> str:
    return (
        f"malformed answer from {step.shown} to {step.request}: {one_line(detail)}; "
        f"is it InfluxDB 2? check {URL_OPTION}"
    )


def _describe_failure(exc: Exception, step: _Step, timeout_s: float) -> str:
    import http.client
    import ssl

    shown = step.shown
    text = str(exc)
    if isinstance(exc, bounded.Redirected):
        return (
            f"{shown} redirects {step.request} (HTTP {exc.status}) to "
            f"{display_url(exc.location)}; tickmig follows no redirect, so the token goes only "
            f"where you point: check {URL_OPTION}"
        )
    if isinstance(exc, bounded.TooLarge):
        return (
            f"the answer from {shown} to {step.request} is larger than "
            f"{bounded.size_text(bounded.MAX_BYTES)}: is it InfluxDB 2? check {URL_OPTION}"
        )
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve the host of {shown}: check {URL_OPTION}"
    if isinstance(exc, ssl.SSLError):
        return _tls_failure(shown, text)
    if isinstance(exc, TimeoutError):
        return (
            f"no answer from {shown} within {timeout_s:g} s ({step.request} timed out): "
            f"is the server overloaded or {URL_OPTION} wrong? raise the timeout or check it"
        )
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"cannot connect to {shown} (connection refused): is InfluxDB running? "
            f"check {URL_OPTION}"
        )
    if isinstance(exc, (http.client.HTTPException, ConnectionError)):
        return (
            f"{shown} closed the connection during {step.request} "
            f"({one_line(text, 100) or type(exc).__name__}): "
            f"is it an InfluxDB 2 HTTP endpoint? check {URL_OPTION}"
        )
    if isinstance(exc, UnicodeError):
        return (
            f"cannot send {step.request} to {shown}: the token or organization contains "
            f"characters an HTTP header cannot carry; check {TOKEN_OPTION} and {ORG_OPTION}"
        )
    if isinstance(exc, OSError):
        why = one_line(exc.strerror or text, 100)
        return f"cannot connect to {shown} ({why}): is InfluxDB running? check {URL_OPTION}"
    return f"unexpected error talking to {shown} ({type(exc).__name__}: {one_line(text, 100)})"


def _tls_failure(shown: str, text: str) -> str:
    return (
        f"TLS error talking to {shown} ({one_line(text, 120)}): does the server speak https, "
        f"and is its certificate trusted? check the scheme of {URL_OPTION}"
    )


def _status_failure(status: int, body: bytes, step: _Step) -> str:
    """A non-200 answer, read as influxdb-client's ApiException reads it: the "message"."""
    shown = step.shown
    if 300 <= status < 400:
        return (
            f"{shown} redirects {step.request} (HTTP {status}); tickmig follows no redirect, "
            f"so the token goes only where you point: check {URL_OPTION}"
        )
    message = _error_text(body)
    answer = f"HTTP {status} {message}".strip()
    if status == 401:
        return (
            f"{shown} rejected the token ({answer}): check {TOKEN_OPTION}; it needs read access "
            f'to the DBRP mappings and buckets of org "{step.org}"'
        )
    if status == 403:
        return f"{shown} denied {step.request} ({answer}): the token lacks read permission"
    if status == 404 and "org" in message.lower():
        return f'{shown} has no organization "{step.org}" ({answer}): check {ORG_OPTION}'
    if status == 404:
        return (
            f"{shown} has no {step.request.split()[1]} ({answer}): is it InfluxDB 2 "
            f"(not 1.x)? check {URL_OPTION}"
        )
    if status >= 500:
        return (
            f"{shown} failed on {step.request} ({answer}): check the InfluxDB server log and retry"
        )
    return f"{shown} refused {step.request} ({answer})"


def _error_text(body: bytes) -> str:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        doc = None
    if isinstance(doc, dict) and isinstance(doc.get("message"), str):
        return one_line(doc["message"])
    return one_line(body[:400].decode("utf-8", "replace"))
