"""--influx3-url goes through the bounded client: a redirect is refused (the token is never
sent to another host), and the message names the option."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tickmig.mappings.errors import MappingError
from tickmig.mappings.influx3 import load_from_influxdb3


class _Redirect(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", "http://elsewhere.invalid/api/v3/configure/database")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def redirecting() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_redirect_is_refused_and_the_token_stays_home(redirecting: str) -> None:
    with pytest.raises(MappingError) as caught:
        load_from_influxdb3(redirecting, "s3cr3t-token", timeout_s=5)
    message = str(caught.value)
    assert "follows no redirect" in message
    assert "--influx3-url" in message
    assert "s3cr3t-token" not in message
