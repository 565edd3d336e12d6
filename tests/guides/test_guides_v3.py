"""tickmig's advice for InfluxDB 3, followed literally by an operator, on the deployment built
only from InfluxData's published guides (fixtures/guides), with the operator's InfluxDB 2 plan
(target "oss", `bucket = "telegraf-downsampled"` for the continuous-queries guide's
sampled_5m, a `[[task]]` for the write-back example) and `--target v3-core`.

Each test runs what tickmig prints: the `influxdb3` commands against docs-v2's option tables
(fixtures/guides/influxdb3-cli-flags.json, with its commit) and against the in-memory
InfluxDB 3 the proof uses (tests/model/fake_influxdb3.py), whose answers are checked against
the InfluxDB 3 Core contract; every flow the proof lands is replayed on the server the script
leaves behind; the consolidation is the operator's own plan with its changes, and proven by
running the report and the script again with it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Goldens
from tests.model.fake_influxdb3 import load
from tests.report.cases import ROOT, tickmig
from tickmig.model.target_v3 import InfluxDB3

from .cases import PATHS, SCENARIO
from .cases_v3 import (
    PLAN,
    V3_GOLDEN_DIR,
    V3_GOLDENS,
    consolidation_plan,
    documented,
    fake_influxdb3,
    report_args,
    report_json,
    run,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

needs_sh = pytest.mark.skipif(shutil.which("sh") is None, reason="needs /bin/sh")
REFUSED = ["F03", "F19"]  # the write-back example (TM103), the templated task (TM004)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return report_json()


def run_script(tmp_path: Path, script: str) -> tuple[InfluxDB3, list[str]]:
    path = tmp_path / "run-first.sh"
    path.write_text(script, encoding="utf-8")
    env = fake_influxdb3(tmp_path)
    proc = subprocess.run(["sh", str(path)], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    server, _tokens = load(str(tmp_path / "state3.json"))
    return server, (tmp_path / "calls3.log").read_text(encoding="utf-8").splitlines()


def replay(server: InfluxDB3, flows: list[dict[str, Any]]) -> list[str]:
    """Every write and batch query the proof lands, sent to the server: the flows checked."""
    checked = []
    for flow in flows:
        if not flow["lands"] or flow["kind"] not in ("write", "batch-read"):
            continue
        db, rp = flow["dbrp"]["database"], flow["dbrp"]["retention_policy"]
        found = server.write(db, rp) if flow["kind"] == "write" else server.query(db, rp)
        assert flow["landing"].startswith(f'database "{found.name}"'), flow["id"]
        checked.append(flow["id"])
    return checked


# --- the report ---------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", list(V3_GOLDENS))
def test_v3_core_report_matches_golden(output_format: str, goldens: Goldens) -> None:
    proc, patched = run("v3-core", output_format)
    assert proc.returncode == 1, proc.stderr  # Kapacitor refuses two of the guides' tasks
    assert proc.stderr.splitlines()[-1] == "tickmig: the proof fails: 2 of 24 flows do not land"
    goldens.check(V3_GOLDEN_DIR / V3_GOLDENS[output_format], proc.stdout)
    for name, text in patched.items():
        goldens.check(V3_GOLDEN_DIR / name, text)


def test_only_the_tasks_kapacitor_refuses_fail(doc: dict[str, Any]) -> None:
    assert doc["verdict"]["failing"] == REFUSED
    assert doc["verdict"]["action_errors"] == []
    for flow in doc["flows"]:
        if flow["id"] in REFUSED:
            assert flow["status"] == "refused by Kapacitor"


# --- one model: the plan's `bucket =` rename on InfluxDB 3 --------------------------------------


def test_every_view_sends_the_renamed_pair_to_one_database(doc: dict[str, Any]) -> None:
    """Before: the DBRP table said telegraf-downsampled, the flows and the commands
    telegraf/sampled_5m. A `bucket =` entry means database = on InfluxDB 3 (no buckets)."""
    (row,) = [r for r in doc["dbrps"] if r["label"] == '"telegraf"."sampled_5m"']
    want = row["bucket"]
    assert want == "telegraf-downsampled"
    assert 'writes to "telegraf-downsampled"."autogen" reach database' in row["reason"]
    writes = [f for f in doc["flows"] if f["before"] == row["dbrp"]]
    assert [f["id"] for f in writes] == ["F09", "F10"]
    for flow in writes:
        assert flow["bucket"] == want and flow["landing"].startswith(f'database "{want}"')
    # Its 1.x retention policy's duration is unknown: the create is shown commented (not an
    # action the proof runs) and the first write creates it, as the flows say.
    assert not [a for a in doc["actions"] if a["kind"] == "database-create" and a["bucket"] == want]
    script = doc["commands"]["script"]
    assert f"# influxdb3 create database {want}\n" in script
    assert all("(auto-created, indefinite retention)" in f["landing"] for f in writes)
    assert "telegraf/sampled_5m\n" not in script and "database telegraf/sampled_5m" not in script
    findings = [x for t in doc["tasks"] for x in t["findings"] if x["code"] == "TM405"]
    assert any(want in x["message"] for x in findings)
    assert not any("'telegraf/sampled_5m'" in x["message"] for x in findings)


def test_the_plan_target_that_target_overrides_is_said(doc: dict[str, Any]) -> None:
    notes = doc["verdict"]["notes"]
    assert f'{PLAN}:8: the plan says target = "oss", --target v3-core' in "\n".join(notes)
    assert any(
        n.startswith(f'{PLAN}:11: bucket = "telegraf-downsampled" is read as') for n in notes
    )
    proc = tickmig(["check", *PATHS, "--mapping", PLAN, "--target", "v3-core", "--no-cache"])
    assert f'tickmig: note: {PLAN}:8: the plan says target = "oss"' in proc.stderr


def test_without_target_the_plans_target_is_the_target(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('target = "v3-core"\n', encoding="utf-8")
    proc = tickmig(["report", f"{SCENARIO}/kapacitor/cpu_alert.tick", "--mapping", str(plan),
                    "--format", "json"])  # fmt: skip
    assert json.loads(proc.stdout)["inputs"]["target"] == "v3-core", proc.stderr


def test_a_bucket_id_is_refused_on_influxdb3_with_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[[rename]]\nfrom = "a/b"\nbucket = "0123456789abcdef"\n', encoding="utf-8")
    proc = tickmig(["check", *PATHS, "--mapping", str(plan), "--target", "v3-core"])
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"tickmig: error: {plan}:1:1: ") and 'write database = "NAME"' in line


# --- the command script -------------------------------------------------------------------------


@needs_sh
def test_every_influxdb3_command_is_documented(tmp_path: Path, doc: dict[str, Any]) -> None:
    script = doc["commands"]["script"]
    _server, calls = run_script(tmp_path, script)
    ran = [c.split()[1:] for c in calls]
    assert [" ".join(a[:2]) for a in ran] == ["show databases", "create database"] * 4 + [
        "create token"
    ]
    commented = [x[2:].split()[1:] for x in script.splitlines() if x.startswith("# influxdb3 ")]
    assert commented, "the create commands without a known retention are shown commented"
    assert [p for argv in ran + commented for p in documented(argv)] == []


@needs_sh
def test_the_script_leaves_a_server_where_every_landed_flow_lands(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    server, _calls = run_script(tmp_path, doc["commands"]["script"])
    assert sorted(server.databases) == ["game", "pages", "printer", "telegraf"]
    checked = replay(server, doc["flows"])
    assert len(checked) == 14  # of 24: 9 flows to or in Kapacitor; the refused write-back
    # the commented create (retention unknown): the first write creates it, kept forever
    assert server.databases["telegraf-downsampled"].auto_created


@needs_sh
def test_the_consolidation_is_the_given_plan_with_its_changes(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    """Before: "Save it as plan.toml" over the operator's plan, losing its [[task]] and its
    rename. Now the proposal is that plan, changed; applied, it fits Core's 5 databases."""
    merged = consolidation_plan(doc["commands"]["script"])
    given = tomllib.loads((ROOT / PLAN).read_text(encoding="utf-8"))
    plan = tomllib.loads(merged)
    assert plan["task"] == given["task"]  # the write-back example's DBRPs are kept
    assert plan["target"] == "v3-core"
    assert plan["rename"] == [
        {"from": "telegraf/sampled_5m", "database": "telegraf"},
        {"from": "telegraf-downsampled", "database": "telegraf"},  # scripts already migrated
    ]
    path = tmp_path / "plan-v3-core.toml"
    path.write_text(merged, encoding="utf-8")
    proc = tickmig(report_args("", "json", plan=str(path)))  # its own target, no --target
    after = json.loads(proc.stdout)
    assert after["inputs"]["target"] == "v3-core"
    assert after["verdict"]["failing"] == REFUSED
    assert not [n for n in after["verdict"]["notes"] if n.startswith(str(path))]
    assert "CONSOLIDATION" not in after["commands"]["script"]
    assert "TM404" not in after["summary"]["findings"]["by_code"]
    server, _calls = run_script(tmp_path, after["commands"]["script"])
    replay(server, after["flows"])
    assert server.count() <= 5 and "telegraf-downsampled" not in server.databases


# --- wording keyed off the target ---------------------------------------------------------------


@pytest.mark.parametrize("target", ["v3-core", "v3-enterprise"])
def test_nothing_said_for_influxdb3_names_influxdb2(target: str) -> None:
    proc, patched = run(target, "text")
    assert "InfluxDB 2" not in proc.stdout.replace("InfluxDB 2.x or InfluxDB Cloud", "")
    telegraf = patched["telegraf.patched.conf"]
    assert "InfluxDB 3 has no subscriptions" in telegraf and "InfluxDB 2" not in telegraf
    md, _ = run(target, "markdown")
    assert "| InfluxDB 3 database |" in md.stdout


def test_cloud_names_influxdb_cloud() -> None:
    proc, patched = run("cloud", "markdown")
    assert "InfluxDB Cloud has no subscriptions" in patched["telegraf.patched.conf"]
    assert "| InfluxDB Cloud bucket |" in proc.stdout
    assert "write to InfluxDB Cloud" in proc.stdout


# --- the in-memory InfluxDB 3 answers as the contract says -------------------------------------


@needs_sh
def test_create_database_answers_are_the_contracts(tmp_path: Path) -> None:
    import yaml

    from tests.mappings.contract import contracts_dir

    contract = contracts_dir() / "influxdb3-core.yml"
    if not contract.is_file():
        pytest.skip(f"{contract} not found (the shared reference material)")
    spec = yaml.safe_load(contract.read_text(encoding="utf-8"))
    post = spec["paths"]["/api/v3/configure/database"]["post"]
    documented_statuses = set(post["responses"])
    script = "set -u\ninfluxdb3 create database telegraf\ninfluxdb3 create database telegraf\n"
    script += "influxdb3 create database _internal_copy\ninfluxdb3 create database 'my db'\n"
    path = tmp_path / "s.sh"
    path.write_text(script, encoding="utf-8")
    subprocess.run(["sh", str(path)], env=fake_influxdb3(tmp_path), capture_output=True)
    statuses = [c.split()[0] for c in (tmp_path / "calls3.log").read_text().splitlines()]
    assert statuses == ["200", "409", "400", "400"]
    assert set(statuses) <= documented_statuses


# --- the migrated scripts -----------------------------------------------------------------------


def test_migrated_scripts_keep_the_findings_of_the_data_they_carry(tmp_path: Path) -> None:
    """`migrate --output-dir` rewrites the sampled_5m writes to "telegraf-downsampled"."autogen"
    (the plan's entry); checked again, the scripts still say that the database holds a 1.x
    retention policy's data (TM405) and nothing asks for a rename any more (TM120)."""
    out = tmp_path / "out"
    common = ["--mapping", PLAN, "--target", "v3-core"]
    proc = tickmig(["migrate", *PATHS, *common, "--output-dir", str(out)])
    assert proc.returncode == 0, proc.stderr
    assert "14 files scanned, 2 changed, 2 fixes applied" in proc.stderr

    def codes(paths: list[str]) -> list[str]:
        found = tickmig(["check", *paths, *common, "--no-cache", "--select", "TM120,TM405"])
        return sorted(x.split(": ")[1].split()[0] for x in found.stdout.splitlines() if ": TM" in x)

    assert codes(PATHS) == ["TM120", "TM120", "TM405", "TM405", "TM405"]
    assert codes([str(out / Path(p).name) for p in PATHS]) == ["TM405", "TM405", "TM405"]


@needs_sh
def test_the_script_runs_twice_and_creates_each_database_once(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    """`create database` of one that exists answers 409 and `set -e` would stop there: the
    script creates a database only when `influxdb3 show databases` does not list it."""
    first, calls = run_script(tmp_path, doc["commands"]["script"])
    again, more = run_script(tmp_path, doc["commands"]["script"])
    assert sorted(again.databases) == sorted(first.databases)
    created = [c for c in more[len(calls) :] if " create database " in f" {c} "]
    assert created == []
