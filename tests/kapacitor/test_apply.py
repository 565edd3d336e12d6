"""`tickmig apply`: the dry run prints the calls, --yes makes exactly those, --rollback puts
everything back; an export applied unchanged changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tickmig.kapacitor.apply import show_body

from .conftest import run_cli, seed_from_dir
from .server import Call, KapacitorServer
from .trees import MAPPINGS, example_tree

pytestmark = pytest.mark.server
CALL = re.compile(r"^\s+\d+\. (.*?)  \[\w+ [^\]]+\]$")


def printed_calls(out: str) -> list[str]:
    return [m.group(1) for line in out.splitlines() if (m := CALL.match(line))]


def made(call: Call) -> str:
    query = urlencode([(k, v) for k, vs in call.query.items() for v in vs])
    body = show_body(call.body) if isinstance(call.body, dict) else ""
    return f"{call.method} {call.path}{'?' + query if query else ''}{body}"


def migrated_export(tmp_path: Path, server: KapacitorServer) -> Path:
    """Export the example plus 12 generated tasks, migrate it with the example's plan, and
    make two hand edits: a template comment and the DBRPs of a task defined with -dbrp."""
    seed_from_dir(server.state, example_tree(tmp_path, generated=12))
    server.state.tasks["downsample_one_year"]["status"] = "disabled"
    export = tmp_path / "export"
    assert run_cli("export", str(export), "--kapacitor-url", server.url)[0] == 0
    code, _out, err = run_cli("migrate", str(export), "--write", *MAPPINGS)
    assert code == 0, err
    template = export / "templates" / "generic_threshold.tick"
    template.write_text(template.read_text() + "// reviewed for InfluxDB 2\n")
    definition = export / "tasks" / "gen_006.yaml"
    definition.write_text(definition.read_text().replace("rp: autogen", "rp: one_month"))
    templated = export / "tasks" / "web_cpu_idle.yaml"  # re-defined by the template, too
    text = templated.read_text()
    assert "value: '\"value\" < 10.0'" in text
    templated.write_text(text.replace("< 10.0", "< 12.0"))
    return export


def test_apply_makes_exactly_the_calls_the_dry_run_printed(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        export = migrated_export(tmp_path, server)
        code, dry, err = run_cli("apply", str(export), "--kapacitor-url", server.url)
        assert code == 0, err
        assert "dry run: nothing changed" in dry
        plan = printed_calls(dry)
        writes_before = [c for c in server.state.calls if c.method != "GET"]
        assert writes_before == []  # a dry run only reads
        first = len(server.state.calls)
        code, _out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")
        assert code == 0, err
        assert [made(c) for c in server.state.calls[first:]] == plan
        assert all(c.status in (200, 204) for c in server.state.calls[first:])
    # the template PATCH and the tasks it re-defines
    assert "template generic_threshold: script changes; the PATCH re-defines " in dry
    assert "api_latency_alert, web_cpu_idle" in dry
    # a dbrp statement: the script is PATCHed; DBRPs given beside it: the dbrps field
    assert any(
        p.startswith('PATCH /kapacitor/v1/tasks/downsample_one_year {"script"') for p in plan
    )
    assert (
        'PATCH /kapacitor/v1/tasks/gen_006 {"dbrps": [{"db": "telegraf", "rp": "one_month"}]}'
        in plan
    )
    # a templated task's own vars are PATCHed after its template's PATCH re-defined it
    patches = [p for p in plan if p.startswith("PATCH")]
    assert patches.index(next(p for p in patches if "/templates/generic_threshold" in p)) < (
        patches.index(
            next(
                p for p in patches if p.startswith('PATCH /kapacitor/v1/tasks/web_cpu_idle {"vars"')
            )
        )
    )
    # enabled tasks are reloaded, nothing is deleted but scratch copies
    assert plan.count('PATCH /kapacitor/v1/tasks/gen_006 {"status": "disabled"}') == 1
    # a disabled task is PATCHed and stays disabled: no status call
    load = [p for p in plan if p.startswith("PATCH /kapacitor/v1/tasks/downsample_one_year ")]
    assert len(load) == 1 and load[0].startswith(
        'PATCH /kapacitor/v1/tasks/downsample_one_year {"script"'
    )
    deletes = [p for p in plan if p.startswith("DELETE")]
    assert deletes and all("/tickmig-verify-" in p for p in deletes)
    rollback = json.loads((export / "rollback.json").read_text())
    assert rollback["status"] == "complete" and all(
        s["done"] for s in rollback["steps"] if s["kind"] == "change"
    )


def test_rollback_restores_the_server_exactly(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        export = migrated_export(tmp_path, server)
        before = server.state.snapshot()
        assert run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")[0] == 0
        assert server.state.snapshot() != before
        code, out, err = run_cli(
            "apply", "--rollback", str(export / "rollback.json"), "--kapacitor-url", server.url
        )
        assert code == 0, err
        assert server.state.snapshot() == before
        assert "restored 1 template(s)" in out
        # a second rollback finds everything as before and makes no change
        first = len(server.state.calls)
        code, _out, err = run_cli(
            "apply", "--rollback", str(export / "rollback.json"), "--kapacitor-url", server.url
        )
        assert code == 0, err
        assert all(c.method == "GET" for c in server.state.calls[first:])


def test_export_apply_unchanged_export_round_trip_is_byte_identical(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        seed_from_dir(server.state, example_tree(tmp_path, generated=30))
        assert run_cli("export", str(tmp_path / "a"), "--kapacitor-url", server.url)[0] == 0
        first = len(server.state.calls)
        code, out, _err = run_cli(
            "apply", str(tmp_path / "a"), "--kapacitor-url", server.url, "--yes"
        )
        assert code == 0 and "nothing to apply" in out
        assert server.state.calls[first:] == []
        assert run_cli("export", str(tmp_path / "b"), "--kapacitor-url", server.url)[0] == 0
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert files == sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_a_script_kapacitor_rejects_stops_the_apply_before_any_change(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        export = migrated_export(tmp_path, server)
        before = server.state.snapshot()
        script = export / "tasks" / "load_per_core.tick"
        script.write_text(script.read_text() + "\n// needs .noSuchMethod()\n")
        server.state.compile_errors["noSuchMethod"] = (
            'no method or property "noSuchMethod" on *pipeline.StreamNode'
        )
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")
        assert code == 2
        assert (
            "task load_per_core: Kapacitor rejects the migrated script: invalid TICKscript: "
            'no method or property "noSuchMethod" on *pipeline.StreamNode' in out
        )
        assert err.strip().endswith("nothing changed") and err.count("\n") == 1
        assert server.state.snapshot() == before
        assert not [t for t in server.state.tasks if t.startswith("tickmig-verify-")]
        assert not (export / "rollback.json").exists()


def test_a_task_changed_since_the_export_is_refused_unless_forced(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        export = migrated_export(tmp_path, server)
        server.state.tasks["downsample_one_year"]["script"] += "// edited by hand\n"
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url)
        assert code == 2 and out == ""
        assert "task downsample_one_year changed on Kapacitor since the export" in err
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--force")
        assert code == 0, err
        assert "dry run" in out


def test_verify_records_each_migrated_batch_task_under_a_scratch_id(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        export = migrated_export(tmp_path, server)
        server.state.data[("telegraf", "downsampled")] = 10
        first = len(server.state.calls)
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--verify")
        assert code == 0, err
        calls = server.state.calls[first:]
        records = [c for c in calls if c.path == "/kapacitor/v1/recordings/batch"]
        assert records and all(c.body["task"].startswith("tickmig-verify-") for c in records)
        assert not [t for t in server.state.tasks if t.startswith("tickmig-verify-")]
        assert server.state.recordings == {}
        # live tasks are never touched: only scratch copies are written
        writes = [c for c in calls if c.method in ("PATCH",)]
        assert writes == []
    assert re.search(
        r"verify task downsample_one_year: (finished, \d+ bytes recorded|failed: .+)", out
    )
    assert "    query 'SELECT" in out


BATCH = """dbrp "telegraf"."autogen"

batch
    |query('SELECT mean("usage_idle") FROM "telegraf"."autogen"."cpu"')
        .period(5m)
        .every(5m)
    |alert()
        .crit(lambda: "mean" < 10)
        .post('http://pager.example/hook')
"""


def test_verify_reports_what_kapacitor_says_of_each_query(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        server.state.add_task("idle", BATCH)
        server.state.add_task("idle_old", BATCH)
        server.state.data[("telegraf", "autogen")] = 10
        export = tmp_path / "e"
        assert run_cli("export", str(export), "--kapacitor-url", server.url)[0] == 0
        good = export / "tasks" / "idle.tick"
        good.write_text(good.read_text().replace(".period(5m)", ".period(10m)"))
        bad = export / "tasks" / "idle_old.tick"
        bad.write_text(
            bad.read_text().replace('FROM "telegraf"."autogen"', 'FROM "other"."autogen"')
        )
        code, out, err = run_cli(
            "apply", str(export), "--kapacitor-url", server.url, "--verify",
            "--verify-output", str(tmp_path / "verify.json"),
        )  # fmt: skip
        assert code == 0, err
    assert "verify task idle: finished, 640 bytes recorded" in out
    written = json.loads((tmp_path / "verify.json").read_text())
    assert [(t["task"], t["status"], t["size"]) for t in written["tasks"]] == [
        ("idle", "finished", 640),
        ("idle_old", "failed", 0),
    ]
    assert (
        "verify task idle_old: failed: batch query is not allowed to request data from "
        '"other"."autogen"' in out
    )
    assert """    query 'SELECT mean("usage_idle") FROM "other"."autogen"."cpu"': failed""" in out


def test_a_directory_that_is_not_an_export_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "tasks").mkdir()
    code, out, err = run_cli("apply", str(tmp_path), "--kapacitor-url", "http://127.0.0.1:9")
    assert code == 2 and out == ""
    assert err == (
        f"tickmig: error: {tmp_path}/manifest.json: cannot read the export manifest: "
        "No such file or directory\n"
    )
    (tmp_path / "manifest.json").write_text(
        '{"format": "tickmig-kapacitor-export/1", "tasks": {"t": {"id": "t", "sha256": "x"}}}'
    )
    code, out, err = run_cli("apply", str(tmp_path), "--kapacitor-url", "http://127.0.0.1:9")
    assert code == 2 and "task 't' does not match its hash" in err and err.count("\n") == 1


def test_new_files_in_the_export_are_named_not_applied(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        server.state.add_task("t", BATCH)
        assert run_cli("export", str(tmp_path / "e"), "--kapacitor-url", server.url)[0] == 0
        (tmp_path / "e" / "tasks" / "new_one.tick").write_text(BATCH)
        (tmp_path / "e" / "config" / "influxdb.json").write_text("{}")
        first = len(server.state.calls)
        code, out, _err = run_cli(
            "apply", str(tmp_path / "e"), "--kapacitor-url", server.url, "--yes"
        )
        assert server.state.calls[first:] == []
    assert code == 0
    assert "note: tasks/new_one.tick is not in the export" in out and "nothing to apply" in out
    assert "note: config/influxdb.json changed: apply does not change topic handlers" in out


def test_a_task_defined_with_dbrp_is_migrated_through_its_definition(tmp_path: Path) -> None:
    """`kapacitor define -dbrp telegraf.one_year` and a plan renaming that pair: migrate edits
    the exported definition, and apply PATCHes the task's dbrps field, not its script."""
    script = "stream\n    |from()\n        .measurement('mem')\n"
    with KapacitorServer() as server:
        server.state.add_task("mem", script, dbrps=[{"db": "telegraf", "rp": "one_year"}])
        export = tmp_path / "e"
        assert run_cli("export", str(export), "--kapacitor-url", server.url)[0] == 0
        code, _out, err = run_cli("migrate", str(export), "--write", *MAPPINGS)
        assert code == 0, err
        assert "rp: downsampled" in (export / "tasks" / "mem.yaml").read_text()
        assert (export / "tasks" / "mem.tick").read_text() == script
        code, _out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")
        assert code == 0, err
        assert server.state.tasks["mem"]["dbrps"] == [{"db": "telegraf", "rp": "downsampled"}]
        assert server.state.tasks["mem"]["script"] == script
        patches = [c.body for c in server.state.calls if c.method == "PATCH"]
    assert patches == [
        {"dbrps": [{"db": "telegraf", "rp": "downsampled"}]},
        {"status": "disabled"},
        {"status": "enabled"},
    ]


def test_task_ids_with_letters_beyond_ascii_round_trip(tmp_path: Path) -> None:
    # services/task_store/service.go validTaskID: ^[-\._\p{L}0-9]+$
    with KapacitorServer() as server:
        server.state.add_task("température.salle-2", BATCH)
        export = tmp_path / "e"
        assert run_cli("export", str(export), "--kapacitor-url", server.url)[0] == 0
        script = export / "tasks" / "température.salle-2.tick"
        script.write_text(script.read_text().replace("5m)", "10m)"))
        code, _out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")
        assert code == 0, err
        assert "10m" in server.state.tasks["température.salle-2"]["script"]
