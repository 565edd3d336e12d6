"""Read DBRP mappings and buckets from a live InfluxDB 2 (OSS or Cloud) through influxdb-client."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import tickmig.mappings.bounded as bounded
from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import Bucket, Mapping, MappingSet, Target
from tickmig.mappings.records import ShapeError, describe, parse_dbrps_body
from tickmig.mappings.urls import check_url, one_line, redact

URL_OPTION = "--influx-url"
TOKEN_OPTION = "the token (INFLUX_TOKEN, or the variable --token-env names)"
ORG_OPTION = "--org"
DBRPS = "GET /api/v2/dbrps"
BUCKETS = "GET /api/v2/buckets"


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
    from influxdb_client.client.influxdb_client import InfluxDBClient
    from influxdb_client.service.dbr_ps_service import DBRPsService

    timeout_ms = max(1, int(timeout_s * 1000))
    with InfluxDBClient(url=url.rstrip("/"), token=token, org=org, timeout=timeout_ms) as client:
        # Raw body: the generated DBRP model rejects the 2.0.0-2.0.1 "bucket_id" spelling.
        service = DBRPsService(client.api_client)  # type: ignore[no-untyped-call]
        response = service.get_dbr_ps(org=org, _preload_content=False)  # type: ignore[no-untyped-call]
        body = response.read(bounded.MAX_BYTES + 1)  # never more than the limit in memory
        response.release_conn()
        if len(body) > bounded.MAX_BYTES:
            raise MappingError(
                f"the answer from {step.shown} to {DBRPS} is larger than "
                f"{bounded.size_text(bounded.MAX_BYTES)}: is it InfluxDB 2? check {URL_OPTION}"
            )
        mappings = _parse_dbrps(body, step)
        step.request = BUCKETS
        buckets = []
        # influxdb-client pages by itself: bound the pages and the whole listing's time.
        deadline = bounded.Deadline(timeout_s * 6)
        for count, item in enumerate(client.buckets_api().find_buckets_iter(org=org, limit=100)):
            if count >= bounded.MAX_PAGES * 100:
                raise MappingError(
                    f"{step.shown} lists more than {count} buckets ({bounded.MAX_PAGES} pages) "
                    f"for {BUCKETS}: does its paging end? export the buckets to a file and pass "
                    "--mapping"
                )
            try:
                deadline.left()
            except TimeoutError:
                raise MappingError(
                    f"no complete bucket list from {step.shown} within {deadline.seconds:g} s "
                    f"({count} buckets read): is its paging endless? check {URL_OPTION}"
                ) from None
            if not item.id or not item.name:
                raise MappingError(_malformed(step, "a bucket without an id or name"))
            buckets.append(Bucket(id=item.id, name=item.name, org_id=item.org_id))
    return mappings, buckets


def _parse_dbrps(body: bytes, step: _Step) -> list[Mapping]:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        raise MappingError(_malformed(step, "the body is not JSON")) from None
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
    import urllib3.exceptions as u3
    from influxdb_client.rest import ApiException

    shown = step.shown
    if isinstance(exc, ApiException):
        return _api_failure(exc, step)
    if isinstance(exc, u3.MaxRetryError) and isinstance(exc.reason, Exception):
        exc = exc.reason
    text = str(exc)
    if type(exc).__name__ == "NameResolutionError" or "ame or service not known" in text:
        return f"cannot resolve the host of {shown}: check {URL_OPTION}"
    if isinstance(exc, (u3.NewConnectionError, ConnectionError)):
        why = "connection refused" if "refused" in text.lower() else one_line(text, 100)
        return f"cannot connect to {shown} ({why}): is InfluxDB running? check {URL_OPTION}"
    if isinstance(exc, (u3.TimeoutError, TimeoutError)):
        return (
            f"no answer from {shown} within {timeout_s:g} s ({step.request} timed out): "
            f"is the server overloaded or {URL_OPTION} wrong? raise the timeout or check it"
        )
    if isinstance(exc, u3.SSLError):
        return _tls_failure(shown, text)
    if isinstance(exc, u3.ProtocolError):
        return (
            f"{shown} closed the connection during {step.request} ({one_line(text, 100)}): "
            f"is it an InfluxDB 2 HTTP endpoint? check {URL_OPTION}"
        )
    if isinstance(exc, UnicodeError):
        return (
            f"cannot send {step.request} to {shown}: the token or organization contains "
            f"characters an HTTP header cannot carry; check {TOKEN_OPTION} and {ORG_OPTION}"
        )
    if isinstance(exc, AttributeError) and step.request == BUCKETS:
        return _malformed(step, 'the bucket list has no "links" object')
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return _malformed(step, text)
    return f"unexpected error talking to {shown} ({type(exc).__name__}: {one_line(text, 100)})"


def _tls_failure(shown: str, text: str) -> str:
    return (
        f"TLS error talking to {shown} ({one_line(text, 120)}): does the server speak https, "
        f"and is its certificate trusted? check the scheme of {URL_OPTION}"
    )


def _api_failure(exc: Exception, step: _Step) -> str:
    status = int(getattr(exc, "status", 0) or 0)
    shown = step.shown
    if status == 0:  # raised by influxdb-client itself, e.g. for TLS errors: see "reason"
        reason = one_line(str(getattr(exc, "reason", "") or exc))
        if reason.startswith("SSLError"):
            return _tls_failure(shown, reason.removeprefix("SSLError").strip())
        return f"cannot talk to {shown} ({reason}): check {URL_OPTION}"
    message = one_line(str(getattr(exc, "message", "") or getattr(exc, "reason", "") or ""))
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
    if 300 <= status < 400:
        return (
            f"{shown} redirects {step.request} ({answer}); tickmig follows no redirect, so the "
            f"token goes only where you point: check {URL_OPTION}"
        )
    if status >= 500:
        return (
            f"{shown} failed on {step.request} ({answer}): check the InfluxDB server log and retry"
        )
    return f"{shown} refused {step.request} ({answer})"
