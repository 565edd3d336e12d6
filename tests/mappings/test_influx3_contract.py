"""--influx3-url: the databases (and retention) of a live InfluxDB 3, read from a loopback server
that answers as the Core and Enterprise OpenAPI contracts say (every answer validated)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.mappings.errors import MappingError
from tickmig.mappings.influx3 import load_from_influxdb3

from .conftest import V3_TOKEN, free_port

REPO = Path(__file__).resolve().parents[2]
SCENARIO = "fixtures/v3/kapacitor"


def test_lists_databases_and_their_retention(influx3):
    ms = load_from_influxdb3(influx3.url, V3_TOKEN, influx3.target)
    listed = {d.name: d.retention for d in ms.databases}
    assert listed == {
        "_internal": "0s",
        "app": "168h0m0s",
        "telegraf/autogen": "0s",
        "telegraf/one_year": "8760h0m0s",
    }
    assert ms.profile.name == influx3.target and ms.from_server
    paths = [path for path, _, _ in influx3.requests]
    assert paths == ["/api/v3/configure/database"] + ["/query"] * 4
    assert all(h.get("Authorization") == f"Bearer {V3_TOKEN}" for _, _, h in influx3.requests)
    assert influx3.validator.checked >= 5 and not influx3.violations


def test_the_servers_own_answer_shape_is_read_too(influx3):
    """The contract says {"databases": [...]}; the server's code sends [{"iox::database": ...}].
    The validator flags the code's shape, and tickmig reads both."""
    influx3.state.code_shape = True
    influx3.allow_violations()
    ms = load_from_influxdb3(influx3.url, V3_TOKEN, influx3.target)
    assert sorted(d.name for d in ms.databases) == [
        "_internal",
        "app",
        "telegraf/autogen",
        "telegraf/one_year",
    ]
    flagged = [v for v in influx3.violations if v.path == "/api/v3/configure/database"]
    assert flagged and flagged[0].side == "response"


def test_a_database_gone_between_the_two_requests_has_unknown_retention(influx3):
    influx3.state.raw["/query"] = (
        200,
        b'{"results":[{"statement_id":0,"error":"database not found: app"}]}',
    )
    ms = load_from_influxdb3(influx3.url, V3_TOKEN, influx3.target)
    assert {d.retention for d in ms.databases} == {None}


@pytest.mark.parametrize(
    ("change", "token", "expected"),
    [
        ({}, "wrong-token", "rejected the token (HTTP 401 the request was not authenticated)"),
        (
            {"failures": {"/api/v3/configure/database": (403, "forbidden")}},
            V3_TOKEN,
            "denied GET /api/v3/configure/database (HTTP 403 forbidden): listing databases "
            "needs an admin token",
        ),
        (
            {"failures": {"/api/v3/configure/database": (404, "not found")}},
            V3_TOKEN,
            "has no /api/v3/configure/database (HTTP 404 not found): is it InfluxDB 3",
        ),
        (
            {"failures": {"/query": (500, "boom")}},
            V3_TOKEN,
            "failed on SHOW RETENTION POLICIES (db=_internal) (HTTP 500 boom)",
        ),
        (
            {"raw": {"/api/v3/configure/database": (200, b"<html>")}},
            V3_TOKEN,
            "malformed answer from",
        ),
        (
            {"raw": {"/api/v3/configure/database": (200, b'{"databases": [1]}')}},
            V3_TOKEN,
            '"databases" holds something other than names',
        ),
    ],
)
def test_every_failure_is_one_line_without_the_token(influx3, change, token, expected):
    for key, value in change.items():
        setattr(influx3.state, key, value)
    if "raw" in change or "failures" in change:
        influx3.allow_violations()  # some are answers the contract does not describe
    with pytest.raises(MappingError) as caught:
        load_from_influxdb3(influx3.url, token, influx3.target)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and token not in message and V3_TOKEN not in message


def test_timeout_and_refused_connection(influx3):
    influx3.state.delay_s = 2
    with pytest.raises(MappingError, match=r"no answer from .* within 0.2 s"):
        load_from_influxdb3(influx3.url, V3_TOKEN, influx3.target, timeout_s=0.2)
    with pytest.raises(MappingError, match="connection refused"):
        load_from_influxdb3(f"http://127.0.0.1:{free_port()}", V3_TOKEN, "v3-core")


def _tickmig(*args: str, token: str = V3_TOKEN) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin", "NO_COLOR": "1", "TM_V3_TOKEN": token}
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args, "--token-env", "TM_V3_TOKEN"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_against_a_live_core_finds_the_docs_autogen_database(influx3):
    proc = _tickmig(
        "check", SCENARIO, "--target", influx3.target, "--influx3-url", influx3.url,
        "--output-format", "json-lines", "--select", "TM403,TM405,TM406",
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    # telegraf/autogen exists (the docs' naming) but "telegraf"."autogen" reaches "telegraf"
    assert "not to the existing 'telegraf/autogen'" in out
    # the query of "app"."OneWeek" reads app/OneWeek, which the server does not have
    assert "database not found: app/OneWeek" in out
    # telegraf/one_year exists: its retention is known, no auto-create warning for it
    assert "creates database 'telegraf/one_year'" not in out
    assert "creates database 'telegraf/five_years'" in out
    assert V3_TOKEN not in out + proc.stderr


def test_check_with_a_failing_server_exits_2_with_one_line(influx3):
    proc = _tickmig(
        "check", SCENARIO, "--target", influx3.target, "--influx3-url", influx3.url,
        token="apiv3_wrong-token-0000",
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "rejected the token" in lines[0]
    assert "apiv3_wrong-token-0000" not in proc.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--target", "oss"], "use it with --target v3-core or v3-enterprise, not oss"),
        (["--target", "v3-core", "--token-env", "TM_UNSET_VAR"], "set the environment variable"),
    ],
)
def test_influx3_url_needs_a_v3_target_and_a_token(args, expected):
    env = {k: v for k, v in os.environ.items() if k != "TM_UNSET_VAR"}
    proc = subprocess.run(
        [sys.executable, "-m", "tickmig", "check", SCENARIO, "--influx3-url",
         "http://127.0.0.1:9/", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert expected in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_the_database_limit_counts_what_the_live_server_has(influx3):
    proc = _tickmig(
        "check", SCENARIO, "--target", influx3.target, "--influx3-url", influx3.url,
        "--output-format", "json-lines", "--select", "TM404",
    )  # fmt: skip
    if influx3.target == "v3-enterprise":
        assert proc.returncode == 0 and proc.stdout == ""
        return
    assert proc.returncode == 1, proc.stderr
    # 3 databases exist (_internal is not counted), the scenario needs 5 more
    assert "with the 3 that exist that makes 8, and InfluxDB 3 Core allows 5" in proc.stdout
    assert "'telegraf/one_year'" not in proc.stdout.split("creates (")[1].split(")")[0]


def test_the_proof_starts_from_the_databases_the_live_server_has(influx3):
    proc = _tickmig("report", SCENARIO, "--target", influx3.target, "--influx3-url", influx3.url,
                    "--format", "json", "--kapacitor-version", "1.8.3")  # fmt: skip
    doc = json.loads(proc.stdout)
    assert proc.returncode == (0 if doc["verdict"]["ok"] else 1), proc.stderr
    verdict = doc["verdict"]
    assert verdict["assumption"] is None  # the server was read, the Kapacitor version given
    flows = {(f["subject"].rsplit("/", 1)[-1], f["kind"]): f for f in doc["flows"]}
    # telegraf/one_year exists on the server: the rollup's write lands there, not auto-created
    rollup = flows[("cpu_rollup.tick", "write")]
    assert rollup["landing"] == 'database "telegraf/one_year"'
    # "app" exists: no create command for it, and the stream's CamelCase write still splits
    assert "app" not in {a["bucket"] for a in doc["actions"] if a["kind"] == "database-create"}
    alert = flows[("app_latency_alert.tick", "batch-read")]
    assert not alert["lands"] and "database not found: app/OneWeek" in alert["reason"]
    # the docs' telegraf/autogen is there, but "telegraf"."autogen" reads "telegraf"
    assert flows[("cpu_rollup.tick", "batch-read")]["landing"] == 'database "telegraf"'
    if influx3.target == "v3-core":  # 3 exist (_internal not counted): writes hit the limit
        assert any("limit of 5" in e for e in verdict["action_errors"])
    else:
        assert verdict["action_errors"] == []
    assert V3_TOKEN not in proc.stdout + proc.stderr


def test_check_tm130_runs_the_influxdb_3_proof(influx3):
    proc = _tickmig("check", SCENARIO, "--target", influx3.target, "--influx3-url", influx3.url,
                    "--output-format", "json-lines", "--select", "TM130", "--no-cache")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    found = [json.loads(line) for line in proc.stdout.splitlines()]
    messages = {d["location"]["path"].rsplit("/", 1)[-1]: d["message"] for d in found}
    # judged by InfluxDB 3's rules, not InfluxDB 2's DBRP mappings
    assert "database not found: app/OneWeek" in messages["app_latency_alert.tick"]
    assert "dbrp" not in " ".join(messages.values()).lower()
