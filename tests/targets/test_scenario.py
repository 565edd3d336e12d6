"""The InfluxDB 3 scenario (fixtures/v3/kapacitor): its goldens for every target, one test per
InfluxDB 3 trap, and the different verdicts of OSS 2, Cloud and InfluxDB 3 on the same scripts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import Goldens
from tickmig.targets import parse_target
from tickmig.targets.commands import render_v3_script, v3_actions
from tickmig.targets.plan import PairUse, build_plan

from .cases import GOLDEN, RUNS, run

SCENARIO = "fixtures/v3/kapacitor"
BUCKETS = "fixtures/v3/mappings/buckets.json"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_golden(name: str, goldens: Goldens) -> None:
    proc = run(RUNS[name])
    # check finds the traps (1); report exits 1 where its proof fails: InfluxDB 3 Core and
    # Enterprise refuse some names and Core runs out of databases, OSS 2 and Cloud land all
    failing = name.startswith("check") or name in ("report.v3-core.md", "report.v3-enterprise.md")
    assert proc.returncode == (1 if failing else 0), proc.stderr
    goldens.check(GOLDEN / name, proc.stdout)


@pytest.fixture(scope="module")
def core() -> list[dict[str, object]]:
    """The v3-core findings, from the JSON golden (itself checked by test_golden)."""
    doc = json.loads((GOLDEN / "check.v3-core.json").read_text())
    return [d for f in doc["files"] for d in f["diagnostics"]]


def findings(found: list[dict[str, object]], code: str, file: str) -> list[str]:
    return [
        str(d["message"])
        for d in found
        if d["code"] == code and str(d["location"]["path"]).endswith(file)  # type: ignore[index]
    ]


def test_case_trap_camelcase_rp_is_written_and_queried_in_two_databases(core):
    (write,) = findings(core, "TM401", "app_latency_stream.tick")
    (read,) = findings(core, "TM401", "app_latency_alert.tick")
    assert "into database 'app/oneweek'" in write and "reads 'app/OneWeek'" in write
    assert "finds no data" in read


def test_name_trap_internal_and_dotted_names_are_refused(core):
    (internal,) = findings(core, "TM402", "internal_monitor.tick")
    (dotted,) = findings(core, "TM402", "load_forecast.tick")
    assert "'_internal/monitor'" in internal and "did not start with a number or letter" in internal
    assert "'capacity.planning'" in dotted and "invalid character" in dotted


def test_autogen_trap_names_the_database_kapacitor_really_reaches(core):
    messages = findings(core, "TM403", "cpu_rollup.tick")
    assert messages == [
        'the query reads "telegraf"."autogen": InfluxDB 3 sends it to database \'telegraf\'; '
        "create 'telegraf', not 'telegraf/autogen' as the docs' naming table says"
    ]


def test_database_limit_trap_counts_every_database_the_migration_creates(core):
    limit = findings(core, "TM404", "cpu_yearly.tick")
    assert limit and all("makes 7, and InfluxDB 3 Core allows 5" in m for m in limit)
    enterprise = (GOLDEN / "check.v3-enterprise.txt").read_text()
    assert "TM404" not in enterprise  # 7 of Enterprise's 100


def test_retention_trap_auto_created_databases_keep_data_forever(core):
    (msg,) = findings(core, "TM405", "cpu_yearly.tick")
    assert "creates database 'telegraf/five_years' with indefinite retention" in msg
    assert "cannot change it later" in msg  # Core's retention is immutable


def test_capability_traps(core):
    assert findings(core, "TM410", "load_forecast.tick") == [
        "InfluxDB 3 Core cannot run this query: it uses HOLT_WINTERS(), SLIMIT"
    ]
    (window,) = findings(core, "TM411", "week_over_week.tick")
    assert "169h back (.period(1h) + .offset(1w))" in window and "shifts by 1w" in window
    (precision,) = findings(core, "TM412", "cpu_yearly.tick")
    assert precision.startswith("precision 'm'")
    assert findings(core, "TM413", "flux_errors.tick")
    assert findings(core, "TM414", "load_forecast.tick")
    enterprise = (GOLDEN / "check.v3-enterprise.txt").read_text()
    assert "TM411" not in enterprise  # no 72-hour window on Enterprise


def _codes(name: str) -> Counter[str]:
    text = (GOLDEN / name).read_text()
    return Counter(w for w in text.split() if w.startswith("TM") and w[2:].isdigit())


def test_each_target_gives_its_own_verdict():
    oss, cloud = _codes("check.oss.txt"), _codes("check.cloud.txt")
    core, enterprise = _codes("check.v3-core.txt"), _codes("check.v3-enterprise.txt")
    # OSS 2: the buckets give every pair a virtual mapping; only 2.x's own traps remain
    assert set(oss) == {"TM106", "TM110", "TM112", "TM113", "TM114"}
    # Cloud: no virtual mappings, so the same buckets leave every pair unmapped; of the
    # target rules only the plan's bucket limit (no --cloud-plan: the Free plan's, a warning)
    assert cloud["TM101"] == 4 and cloud["TM102"] >= 8
    assert {code for code in cloud if code.startswith("TM4")} == {"TM420"}
    # InfluxDB 3: no DBRP mappings at all; its own traps instead
    assert not {"TM101", "TM102", "TM106", "TM112", "TM113", "TM114"} & set(core)
    assert {"TM401", "TM402", "TM403", "TM404", "TM405", "TM411", "TM412", "TM413"} <= set(core)
    assert set(core) - set(enterprise) == {"TM404", "TM411"}
    assert len({frozenset(c.items()) for c in (oss, cloud, core, enterprise)}) == 4


def test_kapacitor_version_gates():
    proc = run(["check", SCENARIO, "--target", "v3-core", "--kapacitor-version", "1.7.5",
                "--select", "TM415", "--output-format", "json-lines"])  # fmt: skip
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 1 and len(rows) == 8
    assert "Kapacitor 1.7.5 cannot start against InfluxDB 3 Core" in rows[0]["message"]
    ok = run(["check", SCENARIO, "--target", "v3-core", "--kapacitor-version", "1.8.2",
              "--select", "TM415"])  # fmt: skip
    assert ok.returncode == 0, ok.stdout
    old = run(["check", SCENARIO, "--target", "oss", "--kapacitor-version", "1.5",
               "--select", "TM415,TM414", "--output-format", "json-lines"])  # fmt: skip
    codes = Counter(json.loads(line)["code"] for line in old.stdout.splitlines())
    assert codes == {"TM415": 8}  # a warning per task; 1.5 still runs Python 2 UDFs


def test_commands_translate_retention_and_scope_the_token():
    uses = [
        PairUse("telegraf", "one_year", "write", "a.tick"),
        PairUse("telegraf", None, "read", "a.tick"),
        PairUse("app", "forever", "write", "b.tick"),
        PairUse("app", "forever", "read", "c.tick"),
    ]
    durations = {("telegraf", "one_year"): "8760h0m0s", ("app", "forever"): "INF"}
    plan = build_plan(parse_target("v3-enterprise"), uses, None, durations)
    actions = v3_actions(plan)
    commands = [a.command for a in actions if a.kind in ("database-create", "token")]
    assert commands == [
        "influxdb3 create database app/forever",
        "influxdb3 create database telegraf",
        "influxdb3 create database telegraf/one_year --retention-period 365d",
        "influxdb3 create token --permission db:app/forever:read,write "
        "--permission db:telegraf:read --permission db:telegraf/one_year:write "
        "--name kapacitor --expiry 1y",
    ]
    script = render_v3_script(plan, actions)
    assert "--retention-period 0d" not in script and "no --retention-period (never 0d)" in script
    assert "disable-subscriptions = true" in script and "[fluxtask]" in script
    assert 'database = "telegraf"' in script  # Telegraf's [[outputs.influxdb_v3]]
    core = v3_actions(build_plan(parse_target("v3-core"), uses, None, durations))
    (token,) = [a for a in core if a.kind == "token"]
    assert token.command == "influxdb3 create token --admin --name kapacitor"
    assert "admin tokens only" in token.comments[0]


def test_existing_databases_are_not_created_again_and_count_toward_the_limit():
    uses = [PairUse("db", f"rp{i}", "write", "t.tick") for i in range(3)]
    existing = {"_internal": "0s", "x": "0s", "y": "0s", "db/rp0": "0s"}
    plan = build_plan(parse_target("v3-core"), uses, existing)
    assert plan.created == ("db/rp1", "db/rp2") and plan.total == 5 and not plan.over_limit
    creates = [a.command for a in v3_actions(plan) if a.kind == "database-create"]
    assert creates == ["influxdb3 create database db/rp1", "influxdb3 create database db/rp2"]
    more = build_plan(parse_target("v3-core"), [*uses, PairUse("z", None, "write", "u")], existing)
    assert more.total == 6 and more.over_limit


def test_report_of_the_scenario_carries_the_v3_commands():
    text = (GOLDEN / "report.v3-core.md").read_text()
    assert "influxdb3 create database telegraf\n" in text
    assert "influxdb3 create token --admin --name kapacitor" in text
    assert "[[outputs.influxdb_v3]]" in text and "influx v1 dbrp create" not in text
    assert Path(GOLDEN / "report.v3-enterprise.md").read_text().count("--permission") == 3


def _count(args: list[str]) -> Counter[str]:
    proc = run(args)
    return Counter(json.loads(line)["code"] for line in proc.stdout.splitlines())


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("oss@2.3", {"TM101": 4, "TM102": 12}),  # no virtual mappings at all
        ("oss@2.4", {"TM102": 12}),  # virtual mappings serve writes, not InfluxQL yet
        ("oss@2.5", {}),
    ],
)
def test_the_oss_version_decides_what_virtual_mappings_serve(target, expected):
    found = _count(["check", SCENARIO, "--target", target, "--mapping",
                    "fixtures/v3/mappings/buckets.json", "--select", "TM101,TM102",
                    "--output-format", "json-lines"])  # fmt: skip
    assert found == expected


def test_internal_does_not_count_toward_the_limit():
    uses = [PairUse("a", None, "write", "t"), PairUse("b", None, "write", "t")]
    existing = {"_internal": "0s", "x": "0s", "y": "0s", "z": "0s"}
    plan = build_plan(parse_target("v3-core"), uses, existing)
    assert plan.total == 5 and not plan.over_limit


def test_stream_inputs_are_databases_telegraf_fills_and_count_but_get_no_kapacitor_permission():
    uses = [PairUse("sensors", "autogen", "feed", "s.tick"), PairUse("out", None, "write", "s")]
    plan = build_plan(parse_target("v3-enterprise"), uses)
    assert plan.created == ("out", "sensors") and plan.get("sensors").fed  # type: ignore[union-attr]
    actions = v3_actions(plan)
    assert "influxdb3 create database sensors" in [a.command for a in actions]
    (token,) = [a.command for a in actions if a.kind == "token"]
    assert "sensors" not in token and "db:out:write" in token


def test_cloud_serverless_has_clouds_mappings_and_influxdb3s_influxql():
    found = _count(["check", SCENARIO, "--target", "cloud-serverless", "--mapping", BUCKETS,
                    "--output-format", "json-lines"])  # fmt: skip
    assert found["TM101"] == 4 and found["TM410"] == 1
    assert not {"TM401", "TM404", "TM411", "TM413"} & set(found)


def test_the_target_comes_from_the_settings_file_too(tmp_path):
    settings = tmp_path / "tickmig.toml"
    settings.write_text('target = "oss"\ninflux-version = "2.3"\nkapacitor-version = "1.7.5"\n')
    found = _count(["check", SCENARIO, "--config", str(settings), "--mapping",
                    "fixtures/v3/mappings/buckets.json", "--select", "TM101,TM415",
                    "--output-format", "json-lines"])  # fmt: skip
    assert found == {"TM101": 4}  # 2.3: no virtual mappings; 1.7.5 has the token key


def test_a_plan_renaming_the_camelcase_rp_removes_the_case_trap(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('[[rename]]\nfrom = "app/OneWeek"\nto = "app/one_week"\n')
    before = _count(["check", SCENARIO, "--target", "v3-core", "--mapping", str(plan),
                     "--select", "TM401,TM120", "--output-format", "json-lines"])  # fmt: skip
    assert before == {"TM401": 2, "TM120": 3}
    out = tmp_path / "migrated"
    proc = run(["migrate", SCENARIO, "--target", "v3-core", "--mapping", str(plan),
                "--output-dir", str(out)])  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    after = _count(["check", str(out), "--target", "v3-core", "--mapping", str(plan),
                    "--select", "TM401,TM120", "--output-format", "json-lines"])  # fmt: skip
    assert after == {}
