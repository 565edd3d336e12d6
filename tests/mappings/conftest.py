"""Mapping test fixtures: fixture files, the InfluxDB 2 contract server, a real influxd 1.x."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from .contract import OSS_CONTRACT, ContractValidator, contracts_dir, load_openapi
from .influx2_server import Influx2Server, ServerState, make_bucket
from .influx3_server import Influx3Server, V3State

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "mappings"
TOKEN = "tm-secret-token-5f1b9c7e2a"
ORG = {"id": "bea7ea952287f70d", "name": "my-org"}
INFLUXD_ENV = "TICKMIG_INFLUXD"
DEFAULT_INFLUXD = "/usr/bin/influxd"


def unavailable(what: str, reason: str, env: Mapping[str, str]) -> tuple[str, str]:
    """("fail", reason) when CI is "true" (CI must never skip silently), else ("skip", reason)."""
    if env.get("CI") == "true":
        return "fail", f"{what} is required on CI: {reason}"
    return "skip", reason


def missing_influxd(path: str, env: Mapping[str, str]) -> tuple[str, str] | None:
    """None when ``path`` is an executable influxd, else what to do about it."""
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return None
    reason = (
        f"InfluxDB 1.x server {path} not found (apt-get install influxdb, or set {INFLUXD_ENV})"
    )
    return unavailable("influxd", reason, env)


def _give_up(outcome: tuple[str, str]) -> None:
    action, reason = outcome
    if action == "fail":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    """A loopback port that was free a moment ago (also used as a 'closed port')."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# --- InfluxDB 2 contract server -----------------------------------------------------------------


@pytest.fixture(scope="session")
def contract_validator() -> ContractValidator:
    path = contracts_dir() / OSS_CONTRACT
    if not path.is_file():
        _give_up(unavailable("the OpenAPI contract", f"{path} not found", os.environ))
    return ContractValidator(load_openapi(path))


def upgraded_state() -> ServerState:
    """The realistic upgraded-1.x org of fixtures/mappings (physical mappings + buckets)."""
    buckets = json.loads((FIXTURES / "buckets.json").read_text())["buckets"]
    content = json.loads((FIXTURES / "dbrps.json").read_text())["content"]
    physical = [
        {k: v for k, v in d.items() if k != "virtual"} for d in content if not d.get("virtual")
    ]
    orgs = [dict(ORG), {"id": "0d1e2f3a4b5c6d7e", "name": "other-org"}]
    foreign = make_bucket("ffff000011112222", "telegraf/autogen", "0d1e2f3a4b5c6d7e")
    return ServerState(token=TOKEN, orgs=orgs, buckets=[*buckets, foreign], dbrps=physical)


@pytest.fixture
def influx2(contract_validator: ContractValidator) -> Iterator[Influx2Server]:
    """A started contract server; a test fails if it sent a non-conforming answer unasked."""
    server = Influx2Server(upgraded_state(), contract_validator).start()
    try:
        yield server
    finally:
        server.stop()
    if server.violations and not server.violations_allowed:
        lines = "\n".join(
            f"{v.side} {v.method} {v.path} {v.status}: {v.message}" for v in server.violations
        )
        pytest.fail(f"the contract server broke its contract:\n{lines}")


# --- real InfluxDB 1.x ------------------------------------------------------------------------


@dataclass
class Influxd:
    """A running influxd 1.x with auth enabled and an admin user."""

    url: str
    username: str
    password: str

    def query(self, statement: str) -> Any:
        """POST one statement as the admin; returns the decoded JSON answer."""
        return _post_query(self.url, statement, (self.username, self.password))


INFLUXD_CONFIG = """\
reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"

[meta]
  dir = "{root}/meta"
  logging-enabled = false

[data]
  dir = "{root}/data"
  wal-dir = "{root}/wal"
  query-log-enabled = false

[monitor]
  store-enabled = false

[subscriber]
  enabled = false

[continuous_queries]
  enabled = false
  log-enabled = false

[retention]
  enabled = false

[shard-precreation]
  enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:{http_port}"
  auth-enabled = true
  log-enabled = false

[logging]
  level = "error"
"""


@pytest.fixture(scope="session")
def influxd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Influxd]:
    """Start /usr/bin/influxd (1.x) in a temporary directory; stop it after the session."""
    binary = os.environ.get(INFLUXD_ENV, DEFAULT_INFLUXD)
    outcome = missing_influxd(binary, os.environ)
    if outcome is not None:
        _give_up(outcome)
    root = tmp_path_factory.mktemp("influxd")
    http_port, rpc_port = free_port(), free_port()
    config = root / "influxdb.conf"
    config.write_text(INFLUXD_CONFIG.format(root=root, http_port=http_port, rpc_port=rpc_port))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFLUXDB_")}
    log = (root / "influxd.log").open("wb")
    process = subprocess.Popen(
        [binary, "run", "-config", str(config)],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Influxd(f"http://127.0.0.1:{http_port}", "admin", "adm1n-pa55-7c3d")
    try:
        _wait_for_ping(server.url, process, root / "influxd.log")
        _post_query(
            server.url,
            f"CREATE USER admin WITH PASSWORD '{server.password}' WITH ALL PRIVILEGES",
            None,
        )
        for statement in (
            "CREATE DATABASE telegraf",
            "CREATE RETENTION POLICY one_month ON telegraf DURATION 30d REPLICATION 1 DEFAULT",
            "CREATE DATABASE app_metrics",
            "CREATE RETENTION POLICY two_hours ON app_metrics DURATION 2h REPLICATION 1",
            "CREATE DATABASE noaa WITH DURATION 7d NAME one_week",
            'CREATE DATABASE "_internal"',
        ):
            answer = server.query(statement)
            assert "error" not in json.dumps(answer), (statement, answer)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_ping(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"influxd exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=1) as answer:
                if answer.status == 204:
                    return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"influxd did not answer /ping within 20 s: {log.read_text()[-2000:]}")


def _post_query(url: str, statement: str, credentials: tuple[str, str] | None) -> Any:
    request = urllib.request.Request(
        f"{url}/query", data=urlencode({"q": statement}).encode(), method="POST"
    )
    if credentials is not None:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{statement}: HTTP {exc.code} {exc.read()!r}") from None


# --- InfluxDB 3 contract servers ----------------------------------------------------------------

V3_TOKEN = "apiv3_tm-secret-5e8d0c4b1a"
V3_CONTRACTS = {"v3-core": "influxdb3-core.yml", "v3-enterprise": "influxdb3-enterprise.yml"}


@pytest.fixture(scope="session")
def v3_validators() -> dict[str, ContractValidator]:
    found = {}
    for target, name in V3_CONTRACTS.items():
        path = contracts_dir() / name
        if not path.is_file():
            _give_up(unavailable("the OpenAPI contract", f"{path} not found", os.environ))
        found[target] = ContractValidator(load_openapi(path), "https://localhost:8181")
    return found


def v3_state() -> V3State:
    """A Core after a docs-following migration: telegraf/autogen per the docs' table."""
    return V3State(
        token=V3_TOKEN,
        databases={
            "_internal": "0s",
            "telegraf/autogen": "0s",
            "telegraf/one_year": "8760h0m0s",
            "app": "168h0m0s",
        },
    )


@pytest.fixture(params=sorted(V3_CONTRACTS))
def influx3(
    request: pytest.FixtureRequest, v3_validators: dict[str, ContractValidator]
) -> Iterator[Influx3Server]:
    """A started InfluxDB 3 contract server (Core and Enterprise); a test fails if it sent an
    answer its contract does not allow, unless the test said it would."""
    server = Influx3Server(v3_state(), v3_validators[request.param]).start()
    server.target = request.param  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.stop()
    if server.violations and not server.violations_allowed:
        lines = "\n".join(
            f"{v.side} {v.method} {v.path} {v.status}: {v.message}" for v in server.violations
        )
        pytest.fail(f"the InfluxDB 3 contract server broke its contract:\n{lines}")
