"""`tickmig export`: a running Kapacitor becomes a load directory that tickmig checks exactly
as it checks the same scripts kept in files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import run_cli, seed_from_dir
from .server import Fault, KapacitorServer
from .trees import MAPPINGS, example_tree

pytestmark = pytest.mark.server


def _findings(root: Path) -> set[tuple[str, str, str, int, int]]:
    """Each finding of `tickmig check ROOT` as (task file stem, code, message, line, column);
    positions only inside scripts (a YAML definition may be written in another layout)."""
    code, out, err = run_cli("check", str(root), "--output-format", "json", *MAPPINGS)
    assert code in (0, 1), err
    found = set()
    for f in json.loads(out)["files"]:
        for d in f["diagnostics"]:
            loc = d["location"]
            rel = os.path.relpath(loc["path"], root)
            stem, ext = os.path.splitext(rel)
            where = (loc["line"], loc["column"]) if ext == ".tick" else (0, 0)
            found.add((stem, d["code"], d["message"], *where))
    return found


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_export_of_250_tasks_checks_like_the_same_scripts_in_files(tmp_path: Path) -> None:
    src = example_tree(tmp_path)
    with KapacitorServer() as server:
        seed_from_dir(server.state, src)
        assert len(server.state.tasks) == 250
        code, _out, err = run_cli("export", str(tmp_path / "export"), "--kapacitor-url", server.url)
        assert code == 0, err
        lists = [c for c in server.state.calls if c.path == "/kapacitor/v1/tasks"]
    assert "exported 250 task(s), 2 template(s)" in err
    # the list was paged (100 a page) and asked for raw scripts
    assert [c.query["offset"] for c in lists] == [["0"], ["100"], ["200"]]
    assert all(c.query["script-format"] == ["raw"] for c in lists)
    export = tmp_path / "export"
    for script in (src / "tasks").glob("*.tick"):  # raw: comments where they were
        assert (export / "tasks" / script.name).read_bytes() == script.read_bytes()
    for template in (src / "templates").glob("*.tick"):
        assert (export / "templates" / template.name).read_bytes() == template.read_bytes()
    # templated tasks and tasks defined with -dbrp get a definition, the others none
    assert (export / "tasks" / "gen_000.yaml").is_file()
    assert not (export / "tasks" / "gen_001.yaml").exists()
    assert (export / "tasks" / "disk_rollup_5m.yaml").is_file()  # was JSON in the source
    expected = _findings(src)
    # the DBRPs given beside a script are checked too (stream reads need direct writes)
    assert any(stem == "tasks/gen_000" and code == "TM110" for stem, code, *_ in expected)
    assert not any(code == "TM003" for _s, code, *_ in expected)
    assert _findings(export) == expected


def test_export_records_every_field_and_hash_in_the_manifest(tmp_path: Path) -> None:
    src = example_tree(tmp_path, generated=6)
    with KapacitorServer() as server:
        seed_from_dir(server.state, src)
        server.state.tasks["gen_001"]["status"] = "disabled"
        server.state.handlers["api"] = {
            "slack": {"id": "slack", "kind": "slack", "options": {"channel": "#ops"}, "match": ""}
        }
        server.state.influxdb = [
            {"name": "default", "urls": ["http://influx:8086"], "default": True, "token": "s3"}
        ]
        assert run_cli("export", str(tmp_path / "e"), "--kapacitor-url", server.url)[0] == 0
    manifest = json.loads((tmp_path / "e" / "manifest.json").read_text())
    task = manifest["tasks"]["gen_000"]
    assert task["dbrps"] == [{"db": "telegraf", "rp": "autogen"}]
    assert task["status"] == "enabled" and task["type"] == "stream"
    assert manifest["tasks"]["gen_001"]["status"] == "disabled"
    assert manifest["tasks"]["api_latency_alert"]["template-id"] == "generic_threshold"
    assert manifest["templates"]["generic_threshold"]["tasks"] == [
        "api_latency_alert",
        "web_cpu_idle",
    ]
    assert task["sha256"].startswith("sha256:")
    handler = (tmp_path / "e" / "handlers" / "api.slack.yaml").read_text()
    assert "kind: slack" in handler and "channel: '#ops'" in handler
    config = json.loads((tmp_path / "e" / "config" / "influxdb.json").read_text())
    assert config["elements"][0]["options"]["token"] is True  # Kapacitor redacts it
    assert "s3" not in (tmp_path / "e" / "config" / "influxdb.json").read_text()


def test_two_exports_of_one_server_are_byte_identical(tmp_path: Path) -> None:
    src = example_tree(tmp_path, generated=12)
    with KapacitorServer() as server:
        seed_from_dir(server.state, src)
        for name in ("a", "b"):
            assert run_cli("export", str(tmp_path / name), "--kapacitor-url", server.url)[0] == 0
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert os.stat(tmp_path / "a").st_mode & 0o077 == 0  # handler options may hold keys


def test_export_never_leaves_half_a_directory(tmp_path: Path) -> None:
    src = example_tree(tmp_path, generated=2)
    with KapacitorServer() as server:
        seed_from_dir(server.state, src)
        server.state.faults.append(Fault("GET", "/kapacitor/v1/alerts", 500, b"{}"))
        code, out, err = run_cli("export", str(tmp_path / "e"), "--kapacitor-url", server.url)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "answered 500" in err
    assert sorted(os.listdir(tmp_path)) == ["src"]


def test_export_refuses_an_existing_directory(tmp_path: Path) -> None:
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "keep.txt").write_text("mine")
    with KapacitorServer() as server:
        server.state.add_task("t", 'dbrp "a"."b"\nstream|from()\n')
        code, _out, err = run_cli("export", str(tmp_path / "e"), "--kapacitor-url", server.url)
    assert code == 2 and "already exists" in err
    assert os.listdir(tmp_path / "e") == ["keep.txt"]


def test_export_says_what_the_config_api_overrides(tmp_path: Path) -> None:
    conf = tmp_path / "kapacitor.conf"
    conf.write_text(
        '[[influxdb]]\n  enabled = true\n  name = "default"\n  default = true\n'
        '  urls = ["http://influx-old:8086"]\n  username = "kap"\n  password = "file-secret"\n'
    )
    with KapacitorServer() as server:
        server.state.add_task("t", 'dbrp "a"."b"\nstream|from()\n')
        server.state.influxdb = [
            {"name": "default", "enabled": True, "default": True, "username": "kap",
             "urls": ["http://influx-new:8086"], "password": "api-secret"},
            {"name": "v2", "enabled": True, "urls": ["http://v2:8086"], "token": "tok"},
        ]  # fmt: skip
        code, _out, err = run_cli(
            "export", str(tmp_path / "e"), "--kapacitor-url", server.url,
            "--kapacitor-conf", str(conf),
        )  # fmt: skip
    assert code == 0, err
    manifest = json.loads((tmp_path / "e" / "manifest.json").read_text())
    assert manifest["influxdb"]["overrides"] == {
        "default": {"added": False, "differs": ["urls"], "unknown": ["password"]},
        "v2": {"added": True, "differs": [], "unknown": ["token"]},
    }
    assert "warning: [[influxdb]] 'default' urls: set through the config API" in err
    assert "warning: [[influxdb]] 'v2' exists only through the config API" in err
    exported = "".join(p.read_text() for p in (tmp_path / "e").rglob("*") if p.is_file())
    assert "secret" not in exported + err and "tok" not in exported.replace("token", "")


def test_report_reads_the_export_as_it_is(tmp_path: Path) -> None:
    src = example_tree(tmp_path, generated=6)
    with KapacitorServer() as server:
        seed_from_dir(server.state, src)
        assert run_cli("export", str(tmp_path / "e"), "--kapacitor-url", server.url)[0] == 0
    code, out, err = run_cli("report", str(tmp_path / "e"), *MAPPINGS, "--output-format", "json")
    report = json.loads(out)
    assert code == (0 if report["verdict"]["ok"] else 1), err
    paths = json.dumps(report)
    assert "gen_000.yaml" in paths and "web_cpu_idle.yaml" in paths
    assert "manifest.json" not in paths and "influxdb.json" not in paths
