"""The proof on InfluxDB 3 targets: `tickmig report` on the v3 scenario shows flows, actions and a
verdict (JSON carries them), the consolidation plan it proposes brings Core under its database
limit, and applying that plan (migrate, then report) is proven."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from .cases import ROOT, SCENARIO


def tickmig(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_COLOR": "1", "PATH": "/usr/bin"},
    )


def report(target: str, *extra: str, paths: tuple[str, ...] = (SCENARIO,)) -> dict[str, Any]:
    proc = tickmig("report", *paths, "--target", target, "--format", "json", *extra)
    doc: dict[str, Any] = json.loads(proc.stdout)
    assert proc.returncode == (0 if doc["verdict"]["ok"] else 1), proc.stderr
    return doc


@pytest.fixture(scope="module")
def core() -> dict[str, Any]:
    return report("v3-core")


def test_json_carries_flows_actions_and_a_verdict_on_v3(core):
    assert core["verdict"]["flows"] == len(core["flows"]) == 13
    kinds = [a["kind"] for a in core["actions"]]
    assert kinds[:3] == ["database-create"] * 3 and kinds[-1] == "token"
    assert {a["bucket"] for a in core["actions"] if a["kind"] == "database-create"} == {
        "app",
        "chronograf",
        "telegraf",
    }
    # flows want InfluxDB 3 databases, not InfluxDB 2 buckets ("telegraf/autogen")
    wanted = {f["bucket"] for f in core["flows"] if f["kind"] in ("write", "batch-read")}
    assert "telegraf" in wanted and "telegraf/autogen" not in wanted


def test_core_verdict_names_every_trap(core):
    assert core["verdict"]["ok"] is False
    why = " | ".join(f["reason"] for f in core["flows"] if f["id"] in core["verdict"]["failing"])
    assert "400 'invalid character" in why  # "capacity.planning"
    assert '"database not found: _internal/monitor"' in why
    # the CamelCase rp: written to app/oneweek, queried in app/OneWeek
    assert (
        'database not found: app/OneWeek"; writes of "app"."OneWeek" land in \'app/oneweek\'' in why
    )
    assert "Adding a new database would exceed limit of 5 databases" in why
    assert any("limit of 5" in e for e in core["verdict"]["action_errors"])


def test_enterprise_has_room_but_not_for_bad_names_and_case():
    doc = report("v3-enterprise")
    assert len(doc["verdict"]["failing"]) == 3
    assert doc["verdict"]["action_errors"] == []
    token = next(a for a in doc["actions"] if a["kind"] == "token")
    # exactly the databases of the printed token command
    assert token["write"] == [
        "app/oneweek",
        "chronograf",
        "telegraf/five_years",
        "telegraf/one_year",
    ]
    assert "app/OneWeek" in token["read"]


def test_oss_verdict_differs_on_the_same_scripts():
    doc = report("oss", "--mapping", "fixtures/v3/mappings/buckets.json")
    assert doc["verdict"]["failing"] != report("v3-core")["verdict"]["failing"]
    assert not any(a["kind"] == "database-create" for a in doc["actions"])


def proposed_plan(target: str) -> str:
    proc = tickmig("report", SCENARIO, "--target", target, "--format", "text")
    lines = proc.stdout.splitlines()
    start = lines.index('#   target = "v3-core"')
    plan = []
    for line in lines[start:]:
        if not line.startswith("#  ") and line != "#":
            break
        plan.append(line[4:])
    return "\n".join(plan) + "\n"


def test_the_proposed_consolidation_is_a_plan_that_fits_and_is_proven(tmp_path):
    plan = proposed_plan("v3-core")
    assert '[[rename]]\nfrom = "app/OneWeek"\ndatabase = "app"' in plan
    path = tmp_path / "plan.toml"
    path.write_text(plan, encoding="utf-8")
    doc = report("v3-core", "--mapping", str(path))
    # the limit is gone; what remains are the names no plan of folds can fix
    assert doc["verdict"]["action_errors"] == []
    reasons = [f["reason"] for f in doc["flows"] if f["id"] in doc["verdict"]["failing"]]
    assert len(reasons) == 2
    assert all("invalid character" in r or "_internal/monitor" in r for r in reasons)
    assert "consolidate first" not in json.dumps(doc)
    # migrate applies it to the scripts: dbrp, query FROM and influxDBOut all say "app"."autogen"
    out = tmp_path / "migrated"
    proc = tickmig("migrate", SCENARIO, "--target", "v3-core", "--mapping", str(path),
                   "--output-dir", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    migrated = next(out.rglob("app_latency_alert.tick")).read_text(encoding="utf-8")
    assert 'dbrp "app"."autogen"' in migrated and 'FROM "app"."autogen"."latency_p99"' in migrated
    stream = next(out.rglob("app_latency_stream.tick")).read_text(encoding="utf-8")
    assert ".retentionPolicy('autogen')" in stream
    # and the migrated scripts are under the limit, with no case trap left
    check = tickmig("check", str(out), "--target", "v3-core",
                    "--select", "TM401,TM404")  # fmt: skip
    assert check.returncode == 0, check.stdout


def test_a_plan_database_that_writes_and_queries_would_split_is_refused(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('[[rename]]\nfrom = "app/OneWeek"\ndatabase = "app/OneWeek"\n')
    proc = tickmig("check", SCENARIO, "--target", "v3-core", "--mapping", str(path))
    assert proc.returncode == 2
    assert f"{path}:3:1: " in proc.stderr and 'use "app/oneweek"' in proc.stderr


def test_the_rename_proposed_for_a_refused_name_is_proven_too(tmp_path):
    script = tickmig("report", SCENARIO, "--target", "v3-core", "--format", "text").stdout
    lines = script.splitlines()
    start = lines.index("#   [[rename]]", lines.index("# To decide by hand"))
    rename = "\n".join(line[4:] for line in lines[start : start + 3])
    assert rename == '[[rename]]\nfrom = "capacity.planning"\ndatabase = "capacity_planning"'
    path = tmp_path / "plan.toml"
    path.write_text(proposed_plan("v3-core") + "\n" + rename + "\n", encoding="utf-8")
    doc = report("v3-core", "--mapping", str(path))
    failing = [f for f in doc["flows"] if f["id"] in doc["verdict"]["failing"]]
    # only the query of 1.x's own _internal database is left: it is not migrated
    assert [f["reason"] for f in failing] == [
        'the query fails: "database not found: _internal/monitor"'
    ]


@pytest.mark.parametrize(
    ("name", "better"),
    [
        ("capacity.planning", "capacity_planning"),
        ("my db/One Week", "my_db/one_week"),
        ("a/b/c", "a/b_c"),
        ("-x", "x"),
        ("_internal/monitor", None),
        ("...", None),
    ],
)
def test_suggested_names_are_names_influxdb_3_accepts(name, better):
    from tickmig.targets.v3names import invalid_name, suggest_name

    assert suggest_name(name) == better
    assert better is None or invalid_name(better) is None


def test_the_v3_report_json_follows_the_schema(core):
    import jsonschema

    from tickmig.report.render_json import schema

    jsonschema.validate(core, schema())


def test_a_proven_v3_report_says_database_not_bucket(tmp_path):
    one = tmp_path / "one.tick"
    one.write_text(
        'dbrp "telegraf"."autogen"\n\nbatch\n'
        '    |query(\'SELECT mean("usage_user") FROM "telegraf"."autogen"."cpu"\')\n'
        "        .period(5m)\n        .every(5m)\n"
        "    |influxDBOut()\n        .database('telegraf')\n        .retentionPolicy('autogen')\n"
        "        .measurement('cpu_5m')\n"
    )
    proc = tickmig("report", str(one), "--target", "v3-enterprise", "--kapacitor-version", "1.8.3",
                   "--format", "text")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "PROOF: ALL 2 FLOWS LAND." in proc.stdout
    assert "every write lands in its database," in " ".join(proc.stdout.split())
