"""A small client of Kapacitor's HTTP API (`/kapacitor/v1`), shaped after Kapacitor's own
`client/v1/client.go`: basic or bearer credentials, JSON bodies, and errors read from the
`{"error": ...}` body Kapacitor's `httpd.HttpError` writes. Every failure becomes one
KapacitorError line that names the call and never carries a credential."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import tickmig.mappings.bounded as bounded
from tickmig.errors import TickmigError

BASE = "/kapacitor/v1"


def _shown(location: str) -> str:
    """A redirect's target for a message: without userinfo, one line, at most 200 characters."""
    parts = urlsplit(location.strip())
    if "@" in parts.netloc:
        netloc = parts.netloc.rpartition("@")[2]
        location = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return " ".join(location.split())[:200]


class KapacitorError(TickmigError):
    """A call to Kapacitor failed; the message is one line without secrets."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Auth:
    """Credentials: basic (`username`, `password`) or bearer (`token`), or none."""

    username: str | None = None
    password: str | None = None
    token: str | None = None

    def header(self) -> str | None:
        import base64

        if self.token:
            return "Bearer " + self.token
        if self.username is not None:
            raw = f"{self.username}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(raw).decode()
        return None

    def secrets(self) -> list[str]:
        return [s for s in (self.password, self.token) if s]


def auth_from_env(username: str | None, password_env: str, token_env: str | None) -> Auth:
    """Basic auth from `username` and the password in `password_env`, or a bearer token from
    `token_env`; a named variable that is unset is an error (said without its value)."""
    if username is not None and token_env:
        raise KapacitorError("give --username or --token-env, not both")
    if username is not None:
        password = os.environ.get(password_env)
        if password is None:
            raise KapacitorError(f"--username needs the password in ${password_env} (unset)")
        return Auth(username=username, password=password)
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            raise KapacitorError(f"--token-env {token_env}: the variable is unset or empty")
        return Auth(token=token)
    return Auth()


@dataclass(frozen=True)
class Request:
    """One call: what `apply` prints in a dry run and what it makes."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    body: dict[str, Any] | None = None

    def target(self) -> str:
        return self.path + ("?" + urlencode(self.query) if self.query else "")


def task_path(ident: str) -> str:
    return f"{BASE}/tasks/{quote(ident, safe='')}"


def template_path(ident: str) -> str:
    return f"{BASE}/templates/{quote(ident, safe='')}"


class Client:
    def __init__(
        self,
        url: str,
        auth: Auth | None = None,
        *,
        timeout: float = 10.0,
        insecure_skip_verify: bool = False,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise KapacitorError(f"--kapacitor-url must be http(s)://HOST[:PORT], got {url!r}")
        if parts.username or parts.password:
            raise KapacitorError(
                "--kapacitor-url must not carry credentials; use --username with "
                "--password-env, or --token-env"
            )
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.url = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        self.auth = auth or Auth()
        self.timeout = timeout
        self.insecure = insecure_skip_verify

    # --- the one place requests are made --------------------------------------------------

    def call(self, request: Request, ok: tuple[int, ...] = (200,)) -> Any:
        """Make the call; the decoded JSON answer (None for an empty body). The call is
        bounded (issue 11): `timeout` covers the whole exchange, the answer may be at most
        `bounded.MAX_BYTES`, and a redirect is never followed (credentials stay with the
        host the user named)."""
        import http.client

        what = f"{request.method} {request.target()}"
        data = None if request.body is None else json.dumps(request.body).encode()
        headers = {"User-Agent": "tickmig", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        header = self.auth.header()
        if header:
            headers["Authorization"] = header
        context = None
        if self.url.startswith("https:"):
            import ssl

            context = ssl.create_default_context()
            if self.insecure:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        try:
            answer = bounded.request(
                request.method,
                self.url + request.target(),
                headers,
                bounded.Deadline(self.timeout),
                body=data,
                max_bytes=bounded.MAX_BYTES,
                context=context,
            )
        except TimeoutError:
            raise self._fail(f"{what}: no answer within {self.timeout:g}s") from None
        except bounded.TooLarge:
            raise self._fail(
                f"{what}: the answer is larger than {bounded.size_text(bounded.MAX_BYTES)}; "
                "is --kapacitor-url a Kapacitor?"
            ) from None
        except bounded.Redirected as exc:
            raise self._fail(
                f"{self.url} redirects {what} (HTTP {exc.status}) to {_shown(exc.location)}; "
                "tickmig follows no redirect, so credentials go only where you point: "
                "check --kapacitor-url",
                exc.status,
            ) from None
        except ConnectionRefusedError:
            raise self._fail(f"cannot connect to {self.url}: connection refused") from None
        except http.client.HTTPException as exc:
            raise self._fail(f"{what}: connection failed: {type(exc).__name__}") from None
        except OSError as exc:
            raise self._fail(f"cannot reach {self.url}: {exc}") from None
        status, body = answer.status, answer.body
        if status not in ok:
            raise self._status_error(what, status, body)
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except ValueError as exc:
            reason = getattr(exc, "msg", type(exc).__name__)
            raise self._fail(f"{what}: Kapacitor sent malformed JSON ({reason})", status) from None

    def _status_error(self, what: str, status: int, body: bytes) -> KapacitorError:
        # client/v1/client.go decodeError: the `error` field, else code and body
        text = ""
        try:
            decoded = json.loads(body)
            if isinstance(decoded, dict):
                text = str(decoded.get("error") or decoded.get("message") or "")
        except ValueError:
            pass
        if not text:
            text = body.decode("utf-8", "replace").strip()[:200] or "(empty body)"
        if status == 401:
            return self._fail(f"{what}: Kapacitor refused the credentials (401): {text}", status)
        if status == 403:
            return self._fail(f"{what}: not allowed (403): {text}", status)
        return self._fail(f"{what}: Kapacitor answered {status}: {text}", status)

    def _fail(self, message: str, status: int = 0) -> KapacitorError:
        for secret in self.auth.secrets():
            message = message.replace(secret, "***")
        return KapacitorError(" ".join(message.split()), status)

    # --- reads ------------------------------------------------------------------------------

    def _paged(self, kind: str) -> list[dict[str, Any]]:
        """Every task or template: raw scripts, paged with offset/limit (the list answers
        only 100 by default and reformats scripts unless asked for `raw`)."""
        out: list[dict[str, Any]] = []
        limit = 100
        for _ in range(bounded.MAX_PAGES):
            query = (("script-format", "raw"), ("offset", str(len(out))), ("limit", str(limit)))
            page = self.call(Request("GET", f"{BASE}/{kind}", query))
            items = page.get(kind) if isinstance(page, dict) else None
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise KapacitorError(f"GET {BASE}/{kind}: the answer has no list of {kind}")
            out.extend(items)
            if len(items) < limit:
                ids = [str(i.get("id")) for i in out]
                if len(set(ids)) != len(ids):  # an object came or went between two pages
                    raise KapacitorError(
                        f"the list of {kind} changed while it was read; export again"
                    )
                return out
        pages = bounded.MAX_PAGES
        raise KapacitorError(
            f"GET {BASE}/{kind}: Kapacitor lists more than {pages * limit} {kind} "
            f"({pages} pages); tickmig reads at most that many"
        )

    def tasks(self) -> list[dict[str, Any]]:
        return self._paged("tasks")

    def templates(self) -> list[dict[str, Any]]:
        return self._paged("templates")

    def task(self, ident: str) -> dict[str, Any]:
        got = self.call(Request("GET", task_path(ident), (("script-format", "raw"),)))
        if not isinstance(got, dict):
            raise KapacitorError(f"GET {task_path(ident)}: the answer is not a task")
        return got

    def template(self, ident: str) -> dict[str, Any]:
        got = self.call(Request("GET", template_path(ident), (("script-format", "raw"),)))
        if not isinstance(got, dict):
            raise KapacitorError(f"GET {template_path(ident)}: the answer is not a template")
        return got

    def handlers(self) -> list[dict[str, Any]]:
        """Every topic handler as `TopicHandlerOptions` (topic, id, kind, options, match).
        Kapacitor lists every topic in one answer (no paging) and each topic's handlers take
        one request more: at most `bounded.MAX_PAGES` requests in all, like a paged listing."""
        listed = _items(self.call(Request("GET", f"{BASE}/alerts/topics")), "topics")
        if len(listed) >= bounded.MAX_PAGES:
            raise KapacitorError(
                f"GET {BASE}/alerts/topics: Kapacitor lists {len(listed)} topics; tickmig reads "
                f"the handlers of at most {bounded.MAX_PAGES - 1} (one request each)"
            )
        out = []
        for topic in listed:
            tid = str(topic.get("id", ""))
            path = f"{BASE}/alerts/topics/{quote(tid, safe='')}/handlers"
            for h in _items(self.call(Request("GET", path)), "handlers"):
                out.append(
                    {
                        "topic": tid,
                        "id": h.get("id", ""),
                        "kind": h.get("kind", ""),
                        "options": h.get("options") or {},
                        "match": h.get("match", ""),
                    }
                )
        return out

    def influxdb_config(self) -> dict[str, Any] | None:
        """The `[[influxdb]]` section as the config API merges it (file + overrides), or
        None when the config override service is disabled (403)."""
        try:
            got = self.call(Request("GET", f"{BASE}/config/influxdb"))
        except KapacitorError as exc:
            if exc.status == 403:
                return None
            raise
        return got if isinstance(got, dict) else None


def _items(answer: Any, key: str) -> list[dict[str, Any]]:
    """The list of objects under `key` of a listing's answer (none when the key is absent)."""
    if answer is None:
        return []
    items = answer.get(key, []) if isinstance(answer, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise KapacitorError(f"the answer listing {key} has no list of {key}")
    return items
