"""Bounded HTTP GETs for every live source: a total deadline, a size limit, no redirects.

A server tickmig talks to is not trusted to end its answer: the deadline covers the whole
exchange (connect, headers and body; a server answering one byte at a time is stopped when it
expires, not when one read waits too long), a body larger than `MAX_BYTES` is refused while it
is being read (never held whole), and a redirect is never followed, so credentials go only to
the host the user named (issue 11). Callers page with at most `MAX_PAGES` requests.
"""

from __future__ import annotations

import http.client
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: The largest answer body tickmig reads from a server (a mapping list is a few MB at most).
MAX_BYTES = 64 * 1024 * 1024
#: The most requests one paged listing may take (100 items a page: 100,000 items).
MAX_PAGES = 1000
_CHUNK = 64 * 1024


class Deadline:
    """The time left for one whole conversation with a server."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; raises TimeoutError once none are."""
        left = self.ends - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no complete answer within {self.seconds:g} s")
        return left


class TooLarge(Exception):
    """The answer's body exceeded the size limit."""


@dataclass(frozen=True)
class Redirected(Exception):
    """The server answered with a redirect, which tickmig does not follow."""

    status: int
    location: str


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    #: The response headers, names lower-cased.
    headers: dict[str, str] = field(default_factory=dict)


def get(
    url: str,
    headers: dict[str, str],
    deadline: Deadline,
    *,
    max_bytes: int = MAX_BYTES,
    context: object = None,
) -> Answer:
    """GET `url` (http or https); the body is read whole only when it is within `max_bytes`.

    Raises OSError (TimeoutError past the deadline), http.client.HTTPException, TooLarge, or
    Redirected for a 3xx answer with a Location.
    """
    return request("GET", url, headers, deadline, max_bytes=max_bytes, context=context)


def request(
    method: str,
    url: str,
    headers: dict[str, str],
    deadline: Deadline,
    *,
    body: bytes | None = None,
    max_bytes: int = MAX_BYTES,
    context: object = None,
) -> Answer:
    """Like `get`, for any method, sending `body` when given."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    timeout = deadline.left()
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        import ssl

        ctx = context if isinstance(context, ssl.SSLContext) else ssl.create_default_context()
        conn = http.client.HTTPSConnection(host, parts.port, timeout=timeout, context=ctx)
    else:
        conn = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.connect()
        sock = conn.sock  # kept: http.client drops it once a response will close
        _arm(sock, deadline)
        conn.request(method, target, body=body, headers=headers)
        _arm(sock, deadline)
        response = conn.getresponse()
        if 300 <= response.status < 400 and response.getheader("Location"):
            raise Redirected(response.status, response.getheader("Location") or "")
        length = response.getheader("Content-Length")
        if length and length.strip().isdigit() and int(length) > max_bytes:
            raise TooLarge(f"{int(length)} bytes announced")
        chunks: list[bytes] = []
        size = 0
        while True:
            _arm(sock, deadline)
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"more than {max_bytes} bytes")
            chunks.append(chunk)
        got = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, b"".join(chunks), got)
    finally:
        conn.close()


def size_text(size: int) -> str:
    """A byte count for a message: `64 MiB`, or `1000 bytes` below a MiB."""
    return f"{size // 2**20} MiB" if size >= 2**20 else f"{size} bytes"


def _arm(sock: socket.socket | None, deadline: Deadline) -> None:
    """Each blocking step may wait only for what is left of the whole deadline."""
    left = deadline.left()
    if sock is not None:
        sock.settimeout(left)
