"""Loopback fault servers for the tests of tickmig's bounded HTTP (issue 11, 0b): one server
class whose answer to every request is a function the test sets, and the misbehaving answers
the bounds are tested against: a body trickled one byte at a time, a body larger than any
limit, a redirect to another host, a fixed JSON answer.

Every server binds 127.0.0.1 port 0 (a free port: parallel runs never collide) and is shut
down by `server_pair` when the test ends."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: How a server answers one request (the handler's path, headers and body are the request's).
Answer = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    def _any(self) -> None:
        owner: Server = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        owner.seen.append((self.path, self.headers.get("Authorization")))
        owner.requests.append((self.command, self.path, body))
        owner.answer(self)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server:
    """A loopback server whose answer to every request is `answer`; `seen` records each
    request's (path, Authorization header), `requests` its (method, path, body)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        self.requests: list[tuple[str, str, bytes]] = []
        self.answer: Answer = lambda handler: None
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def server_pair() -> Iterator[tuple[Server, Server]]:
    """Two servers: the one the test points tickmig at, and `elsewhere` (another host as far
    as a redirect goes), which must see no request."""
    pair = (Server(), Server())
    try:
        yield pair
    finally:
        for server in pair:
            server.close()


def trickle(handler: BaseHTTPRequestHandler) -> None:
    """A 100,000-byte body announced, sent one byte every 50 ms: each read is quick, only a
    deadline for the whole answer stops it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(100000):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.05)  # each byte well within any per-read timeout
    except OSError:
        pass


def huge(start: bytes = b"", fill: bytes = b" ", kib: int = 2000) -> Answer:
    """`start`, then `kib` KiB of `fill`, with no Content-Length (read until the server
    closes): only a limit on the bytes read stops it."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        try:
            handler.wfile.write(start)
            for _ in range(kib):
                handler.wfile.write(fill * (1024 // len(fill)))
        except OSError:
            pass

    return answer


def announce(length: int) -> Answer:
    """A Content-Length of `length` bytes, and no body."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(length))
        handler.end_headers()

    return answer


def redirect_to(elsewhere: Server, status: int = 307, userinfo: str = "") -> Answer:
    """A redirect to the same path on `elsewhere` (with `user:password@` when given)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        target = (
            elsewhere.url.replace("http://", f"http://{userinfo}@") if userinfo else elsewhere.url
        )
        handler.send_response(status)
        handler.send_header("Location", f"{target}{handler.path}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def send_json(handler: BaseHTTPRequestHandler, document: Any, status: int = 200) -> None:
    """`document` as a JSON answer with its Content-Length."""
    send_bytes(handler, json.dumps(document).encode(), status)


def send_bytes(handler: BaseHTTPRequestHandler, body: bytes, status: int = 200) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
