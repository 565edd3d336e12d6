"""tickmig's advice, followed literally by an operator, on a deployment built only from
InfluxData's published guides (fixtures/guides, see its README.md): the guides' TICKscripts,
the stock kapacitor.conf with the live-leaderboard guide's `[[udp]]`, Telegraf's sample
output with `urls` and `database` uncommented, and the mappings of an `influxd upgrade`d
InfluxDB OSS 2 with a plan written after docs-v2's DBRP-mapping guide.

Each test runs what tickmig prints and checks it against what the published material says:
the influx CLI's documented flags (docs-v2 reference/cli/influx/, recorded with its commit in
fixtures/guides/influx-cli-flags.json), TOML and the keys the "Use Kapacitor" page asks for,
the proof's verdict on the in-memory InfluxDB 2 the script leaves behind, Kapacitor's
define-time checks on the migrated scripts, and the Telegraf output for every stream task."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Goldens
from tests.model.fake_influx import load, save
from tests.report.cases import ROOT, tickmig
from tickmig.model.target import InfluxDB2, TargetBucket, TargetMapping

from .cases import (
    GOLDEN_DIR,
    GOLDENS,
    KAPACITOR_CONF,
    ORG,
    PATHS,
    SCENARIO,
    TELEGRAF_CONF,
    mapping_args,
    report_json,
    run,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

needs_sh = pytest.mark.skipif(shutil.which("sh") is None, reason="needs /bin/sh")
CLI_FLAGS = json.loads((ROOT / SCENARIO / "influx-cli-flags.json").read_text(encoding="utf-8"))
KAPACITOR_URL = "http://localhost:9092"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return report_json()


def flows(doc: dict[str, Any], kind: str, subject: str = "") -> list[dict[str, Any]]:
    return [f for f in doc["flows"] if f["kind"] == kind and subject in f["subject"]]


def pair(db: str, rp: str | None) -> dict[str, str | None]:
    return {"database": db, "retention_policy": rp}


# --- the report ---------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", list(GOLDENS))
def test_report_matches_golden(output_format: str, goldens: Goldens) -> None:
    proc, patched = run(output_format)
    assert proc.returncode == 1, proc.stderr  # the proof fails: Kapacitor refuses two tasks
    assert proc.stderr == "tickmig: the proof fails: 2 of 24 flows do not land\n"
    goldens.check(GOLDEN_DIR / GOLDENS[output_format], proc.stdout)
    for name, text in patched.items():
        goldens.check(GOLDEN_DIR / name, text)


def test_check_reports_what_the_report_counts(doc: dict[str, Any]) -> None:
    proc = tickmig(
        [
            "check",
            *PATHS,
            *mapping_args(),
            "--telegraf-conf",
            TELEGRAF_CONF,
            "--kapacitor-conf",
            KAPACITOR_CONF,
            "--no-cache",
            "--output-format",
            "json",
        ]
    )
    assert proc.returncode == 1, proc.stderr
    codes: dict[str, int] = {}
    for file in json.loads(proc.stdout)["files"]:
        for finding in file["diagnostics"]:
            codes[finding["code"]] = codes.get(finding["code"], 0) + 1
    # Each flow that does not land is a TM130 finding of `check` (the report shows them in
    # its verdict instead of counting them among the findings).
    assert codes.pop("TM130") == len(doc["verdict"]["failing"]) == 2
    # The configuration files' findings (TM3xx) are the report's Telegraf and kapacitor.conf
    # sections, not its task findings; with the same files, the task findings agree (a stream
    # task the [[udp]] listener feeds gets no TM110 in either).
    configs = {code for code in codes if code.startswith("TM3")}
    assert configs, "check reads the same configuration files as the report"
    tasks = {code: n for code, n in codes.items() if code not in configs}
    assert tasks == doc["summary"]["findings"]["by_code"]


# --- (a) the command script: every influx command as docs-v2 documents it ------------------


def fake_cli(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    influx = bin_dir / "influx"
    influx.write_text(
        f'#!/bin/sh\nexec {sys.executable} -m tests.model.fake_influx "$@"\n', encoding="utf-8"
    )
    influx.chmod(influx.stat().st_mode | stat.S_IEXEC)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "FAKE_INFLUX_STATE": str(tmp_path / "state.json"),
        "FAKE_INFLUX_LOG": str(tmp_path / "calls.log"),
    }


def seed(tmp_path: Path) -> InfluxDB2:
    """The upgraded server of fixtures/guides/mappings (buckets.json, dbrps.json)."""
    root = ROOT / SCENARIO / "mappings"
    buckets = json.loads((root / "buckets.json").read_text(encoding="utf-8"))["buckets"]
    dbrps = json.loads((root / "dbrps.json").read_text(encoding="utf-8"))
    server = InfluxDB2()
    server.buckets = [TargetBucket(b["id"], ORG, b["name"]) for b in buckets]
    server.mappings = [
        TargetMapping(
            m["id"], ORG, m["database"], m["retention_policy"], m["bucketID"], m["default"], False
        )
        for m in dbrps
    ]
    save(str(tmp_path / "state.json"), server, [])
    return server


def documented(argv: list[str]) -> list[str]:
    """What is wrong with one influx invocation by docs-v2's flag tables."""
    for length in (3, 2):
        name = " ".join(["influx", *argv[:length]])
        if name in CLI_FLAGS["commands"]:
            break
    else:
        return [f"undocumented command: influx {' '.join(argv[:3])}"]
    known = set(CLI_FLAGS["commands"][name]["flags"])
    flags = [a for a in argv[length:] if a.startswith("--")]
    problems = [f"{name}: undocumented flag {f}" for f in flags if f not in known]
    if "--org" not in flags:
        problems.append(f"{name}: no --org")
    return problems


@needs_sh
def test_every_command_the_script_runs_is_documented(tmp_path: Path, doc: dict[str, Any]) -> None:
    script = tmp_path / "run-first.sh"
    script.write_text(doc["commands"]["script"], encoding="utf-8")
    env = fake_cli(tmp_path)
    seed(tmp_path)
    proc = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert {" ".join(c.split()[:3]) for c in calls} >= {
        "bucket list --org",
        "bucket create --org",
        "v1 dbrp list",
        "v1 dbrp create",
        "auth list --org",
        "auth create --org",
    }
    assert [p for c in calls for p in documented(c.split())] == []


def test_the_commented_v1_auth_command_is_documented(doc: dict[str, Any]) -> None:
    (line,) = [
        x[1:].strip()
        for x in doc["commands"]["script"].splitlines()
        if x.lstrip("# ").startswith("influx v1 auth create")
    ]
    argv = shlex.split(line)
    assert argv[0] == "influx" and documented(argv[1:]) == []
    assert "--username" in argv and "--password" in argv


def test_no_line_of_the_script_has_a_placeholder_the_shell_misreads(doc: dict[str, Any]) -> None:
    for line in doc["commands"]["script"].splitlines():
        if not line.startswith("#"):
            assert "<" not in line.replace("2>/dev/null", ""), line


# --- (c) the proof's verdict holds on the server the script leaves behind ------------------


@needs_sh
def test_the_script_runs_twice_and_every_flow_the_proof_lands_does(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    assert doc["verdict"]["headline"] == "Proof: 2 of 24 flows do not land."
    script = tmp_path / "run-first.sh"
    script.write_text(doc["commands"]["script"], encoding="utf-8")
    env = fake_cli(tmp_path)
    seed(tmp_path)
    for attempt in (1, 2):
        (tmp_path / "calls.log").write_text("", encoding="utf-8")
        proc = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
        assert proc.returncode == 0, (attempt, proc.stderr)
        made = [
            c
            for c in (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
            if c.split(" --")[0].endswith(("create", "update"))
        ]
        if attempt == 1:
            assert [c.split(" --")[0] for c in made] == [
                "bucket create",  # my-db/my-rp for the write-back example
                "v1 dbrp create",  # my-db.my-rp
                "v1 dbrp create",  # telegraf.sampled_5m -> telegraf-downsampled (the plan)
                "auth create",
            ]
        else:
            assert made == []  # safe to run twice
    server, auths = load(str(tmp_path / "state.json"))
    (auth,) = auths
    readable, writable = auth["read"], auth["write"]
    assert isinstance(readable, list) and isinstance(writable, list)
    checked = 0
    for flow in doc["flows"]:
        db, rp = flow["dbrp"]["database"], flow["dbrp"]["retention_policy"]
        if flow["kind"] == "write" and flow["lands"]:
            bucket = server.write(ORG, db, rp)
            if flow["actor"] == "influxDBOut":
                assert bucket.id in writable, flow["id"]
        elif flow["kind"] == "batch-read" and flow["lands"]:
            bucket = server.query(ORG, db, rp)
            assert bucket.id in readable, flow["id"]
        else:
            continue
        assert flow["landing"] == f'bucket "{bucket.name}"', flow["id"]
        checked += 1
    assert checked == 14  # the write-back task's write never happens: Kapacitor refuses it


# --- (b) the patched configuration files ----------------------------------------------------


def test_patched_telegraf_conf_is_toml_with_the_output_the_docs_ask_for() -> None:
    _, patched = run("json")
    conf = tomllib.loads(patched["telegraf.patched.conf"])
    to_influx, to_kapacitor = conf["outputs"]["influxdb"]
    # docs-v2 influxdb/v2/tools/kapacitor "Write data using the Telegraf InfluxDB output
    # plugin": skip_database_creation = true on the output to InfluxDB 2 ...
    assert to_influx["urls"] == ["http://127.0.0.1:8086"]
    assert to_influx["database"] == "telegraf" and to_influx["skip_database_creation"] is True
    # ... and an output to Kapacitor with the database and retention policy of the mapping.
    assert to_kapacitor["urls"] == [KAPACITOR_URL]
    assert (to_kapacitor["database"], to_kapacitor["retention_policy"]) == ("telegraf", "autogen")
    assert to_kapacitor["namepass"] == ["cpu"]
    # The new output goes after the mirrored output's commented options, before the input.
    text = patched["telegraf.patched.conf"]
    assert (
        text.index("# influx_omit_timestamp = false")
        < text.index('urls = ["http://localhost:9092"]')
        < text.index("[[inputs.cpu]]")
    )
    assert conf["inputs"]["cpu"] == [{"percpu": True, "totalcpu": True, **_cpu_rest(conf)}]


def _cpu_rest(conf: dict[str, Any]) -> dict[str, Any]:
    (cpu,) = conf["inputs"]["cpu"]
    return {k: v for k, v in cpu.items() if k not in ("percpu", "totalcpu")}


def test_patched_kapacitor_conf_is_toml_with_the_keys_the_docs_ask_for() -> None:
    _, patched = run("json")
    conf = tomllib.loads(patched["kapacitor.patched.conf"])
    (influxdb,) = conf["influxdb"]
    # docs-v2 influxdb/v2/tools/kapacitor: "Disable InfluxDB subscriptions", credentials.
    assert influxdb["disable-subscriptions"] is True
    assert "token" in influxdb
    assert influxdb["urls"] == ["http://localhost:8086"]  # never a guessed InfluxDB address
    # The live leaderboard guide's listener is kept as it is.
    assert conf["udp"] == [
        {
            "enabled": True,
            "bind-address": ":9100",
            "database": "game",
            "retention-policy": "autogen",
        }
    ]
    assert conf["default-retention-policy"] == "autogen"


# --- (d) the migrated scripts ---------------------------------------------------------------


def test_migrated_scripts_parse_and_pass_kapacitor_define_checks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = tickmig(["migrate", *PATHS, *mapping_args(), "--output-dir", str(out)])
    assert proc.returncode == 0, proc.stderr
    assert "14 files scanned, 0 changed" in proc.stderr  # the guides need no rename
    ticks = sorted(out.rglob("*.tick"))
    assert len(ticks) == 13
    parsed = tickmig(["parse", *map(str, ticks)])
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    checked = tickmig(
        [
            "check",
            *(str(out / Path(p).name) for p in PATHS),
            *mapping_args(),
            "--no-cache",
            "--select",
            "TM002,TM003,TM004,TM104",
        ]
    )
    # What Kapacitor's task store refuses: only the load-directory guide's own templated task
    # (its template has a dbrp statement and its YAML lists dbrps: "cannot specify dbrp in
    # both implicitly and explicitly", services/task_store/service.go).
    found = [x for x in checked.stdout.splitlines() if ": TM" in x]
    assert len(found) == 1 and "my_templated_task.yaml" in found[0] and "TM004" in found[0]


# --- (e) the views agree --------------------------------------------------------------------


def test_every_stream_task_is_fed_the_pair_it_reads(doc: dict[str, Any]) -> None:
    outputs = {
        (o["sends"]["database"], o["sends"]["retention_policy"]) for o in doc["telegraf"]["outputs"]
    }
    _, patched = run("json")
    conf = tomllib.loads(patched["telegraf.patched.conf"])
    in_file = {
        (o["database"], o.get("retention_policy"))
        for o in conf["outputs"]["influxdb"]
        if o["urls"] == [KAPACITOR_URL]
    }
    for flow in flows(doc, "stream-input"):
        want = (flow["dbrp"]["database"], flow["dbrp"]["retention_policy"])
        if any("[[udp]]" in f for f in flow["fed_by"]):
            assert want == ("game", "autogen") and want not in outputs
            continue
        assert want in outputs, flow["subject"]
        if want[0] == "telegraf":  # the only database the Telegraf file in view writes
            assert want in in_file


# --- disagreements found (see fixtures/guides/README.md) ------------------------------------


def test_a_load_directory_below_the_path_is_read_as_one() -> None:
    proc = tickmig(["check", SCENARIO, *mapping_args(), "--no-cache", "--select", "TM004"])
    assert "my_templated_task.yaml" in proc.stdout


def test_a_task_kapacitor_refuses_lands_nothing(doc: dict[str, Any]) -> None:
    """The load-directory guide's templated task: Kapacitor refuses to define it (TM004), so
    the stream input it would read is fed to nobody; the write-back example's query names no
    database, so Kapacitor refuses to start it (TM103) and its write never happens. Before,
    the proof counted both as landing ("all 24 flows land")."""
    (templated,) = flows(doc, "stream-input", "my_templated_task")
    assert (templated["lands"], templated["status"]) == (False, "refused by Kapacitor")
    assert "cannot specify dbrp in both implicitly and explicitly" in templated["reason"]
    (write,) = flows(doc, "write", "writeback")
    assert (write["lands"], write["status"]) == (False, "refused by Kapacitor")
    assert 'batch query is not allowed to request data from ""' in write["reason"]
    assert doc["verdict"]["headline"] == "Proof: 2 of 24 flows do not land."
    assert doc["verdict"]["failing"] == [write["id"], templated["id"]]


def test_an_output_for_writers_not_in_view_is_a_caveat_not_a_fact(doc: dict[str, Any]) -> None:
    """The join-backfill and anomaly-detection guides write "pages" and "printer" with their
    own scripts, not with the Telegraf file in view: the output to Kapacitor that tickmig
    proposes has nowhere to go until the operator adds it to those writers. The proof says so
    instead of calling the stream input fed by an output that no file carries."""
    for subject, db in (("error_percent_stream", "pages"), ("print_temps", "printer")):
        (stream,) = flows(doc, "stream-input", subject)
        assert stream["lands"] and stream["status"] == "fed"
        assert f'no Telegraf file in view writes "{db}"."autogen"' in stream["caveat"]
        assert any(
            n.startswith(f"{stream['id']}: no Telegraf file") for n in doc["verdict"]["notes"]
        )
    (cpu,) = flows(doc, "stream-input", "cpu_alert")
    assert cpu["caveat"] == ""  # telegraf.conf writes "telegraf": its output is in the patch


def test_the_docs_own_telegraf_setup_is_recognised_as_feeding_kapacitor(tmp_path: Path) -> None:
    """docs-v2 "Use Kapacitor" (influxdb/v2/tools/kapacitor) gives a Telegraf file that
    already writes example-db.example-rp to Kapacitor and to InfluxDB 2: a stream task on
    that pair is fed by it, and tickmig proposes no second output to Kapacitor."""
    task = tmp_path / "example_alert.tick"
    task.write_text(
        'dbrp "example-db"."example-rp"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'
        '    |alert()\n        .crit(lambda: "usage_idle" < 10)\n',
        encoding="utf-8",
    )
    conf = f"{SCENARIO}/config/telegraf-docs-example.conf"
    proc = tickmig(
        ["report", str(tmp_path), "--org", ORG, "--telegraf-conf", conf, "--format", "json"]
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    (stream,) = flows(out, "stream-input")
    assert stream["lands"] and stream["fed_by"] == [f"{conf} [[outputs.influxdb]] #1"]
    assert stream["caveat"] == ""
    assert not any(a["kind"] == "telegraf-output" for a in out["actions"])
    (write,) = flows(out, "write")
    assert write["landing"] == 'bucket "example-db/example-rp"'


def test_a_renamed_pair_is_named_as_renamed_in_the_findings(tmp_path: Path) -> None:
    """An operator renames "pages" to "web" (a plan `[[rename]]`): the server has
    "pages"."autogen" (default) and nothing for "web" yet. The findings must say that the
    renamed pair has no mapping, not that "pages" has none (before: TM102 'declares
    "pages"."autogen", which has no DBRP mapping', TM113 '"pages" has no default')."""
    plan = tmp_path / "plan.toml"
    plan.write_text('target = "oss"\n[[rename]]\nfrom = "pages"\nto = "web"\n', encoding="utf-8")
    proc = tickmig(
        [
            "check",
            f"{SCENARIO}/kapacitor/error_percent.tick",
            "--mapping",
            f"{SCENARIO}/mappings/dbrps.json",
            "--mapping",
            f"{SCENARIO}/mappings/buckets.json",
            "--mapping",
            str(plan),
            "--no-cache",
            "--select",
            "TM102,TM113",
        ]
    )
    lines = [x.split(": ", 1)[1] for x in proc.stdout.splitlines() if ": TM1" in x]
    assert lines == [
        'TM102 batch task declares "pages"."autogen", renamed by the plan to "web"."autogen", '
        'which has no DBRP mapping: the query fails with "retention policy not found: autogen"',
        'TM102 query reads "pages"."autogen", renamed by the plan to "web"."autogen", which '
        'has no DBRP mapping: the query fails with "retention policy not found: autogen"',
        'TM102 query reads "pages"."autogen", renamed by the plan to "web"."autogen", which '
        'has no DBRP mapping: the query fails with "retention policy not found: autogen"',
        'TM113 influxDBOut writes to "pages" without a retention policy, renamed by the plan '
        'to "web", and "web" has no default DBRP mapping: InfluxDB 2 answers 404',
    ]


def test_every_influx_command_the_report_prints_names_the_org(doc: dict[str, Any]) -> None:
    for row in doc["dbrps"]:
        text = json.dumps(row)
        if "influx v1 dbrp create" in text:
            assert "--org" in text, text


def test_a_listener_feeding_no_task_names_the_near_miss() -> None:
    """Kapacitor's own example configuration (examples/scores/kapacitor.conf) scopes the UDP
    scores to "game"."default"; the live leaderboard guide's task reads "game"."autogen".
    Stream tasks match the exact pair, so the scores reach no task: the proof says so on the
    listener's flow instead of a bare 204."""
    proc = tickmig(
        [
            "report",
            f"{SCENARIO}/kapacitor/top_scores.tick",
            *mapping_args(),
            "--org",
            ORG,
            "--kapacitor-conf",
            f"{SCENARIO}/config/scores-kapacitor.conf",
            "--format",
            "json",
        ]
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    (listener,) = flows(out, "kapacitor-write")
    assert listener["dbrp"] == pair("game", "default") and listener["fed_by"] == []
    assert listener["caveat"] == (
        'no stream task reads "game"."default" '
        '(fixtures/guides/kapacitor/top_scores.tick reads "game"."autogen")'
    )
    assert any(n.startswith(f"{listener['id']}: no stream task") for n in out["verdict"]["notes"])
