"""`--dbrp DB.RP`: the DBRPs of a script defined with `kapacitor define -dbrp` (no dbrp
statement in the file), for check, migrate and report."""

from __future__ import annotations

import json
from pathlib import Path

from tests.check.test_cli_check import tickmig

#: A stream task defined with `kapacitor define cpu -tick cpu.tick -dbrp telegraf.autogen`.
SCRIPT = "stream\n    |from()\n        .measurement('cpu')\n    |log()\n"
PLAN = '[[rename]]\nfrom = "telegraf/autogen"\nto = "metrics/autogen"\n'


def codes(result_stdout: str) -> list[str]:
    return sorted(d["code"] for f in json.loads(result_stdout)["files"] for d in f["diagnostics"])


def test_without_dbrp_the_task_has_none(tmp_path: Path) -> None:
    (tmp_path / "cpu.tick").write_text(SCRIPT)
    found = tickmig("check", "cpu.tick", "--output-format", "json", "--no-cache", cwd=tmp_path)
    assert "TM003" in codes(found.stdout)


def test_the_dbrp_given_is_the_tasks_dbrp(tmp_path: Path) -> None:
    (tmp_path / "cpu.tick").write_text(SCRIPT)
    found = tickmig(
        "check",
        "cpu.tick",
        "--dbrp",
        "telegraf.autogen",
        "--output-format",
        "json",
        "--no-cache",
        cwd=tmp_path,
    )
    assert "TM003" not in codes(found.stdout)
    # the stream task now reads "telegraf"."autogen", and needs direct writes for it
    assert "TM110" in codes(found.stdout)
    messages = [d["message"] for f in json.loads(found.stdout)["files"] for d in f["diagnostics"]]
    assert any('reads "telegraf"."autogen"' in m for m in messages)


def test_a_script_with_dbrp_statements_and_dbrp_is_refused_by_kapacitor(tmp_path: Path) -> None:
    (tmp_path / "cpu.tick").write_text('dbrp "telegraf"."autogen"\n' + SCRIPT)
    found = tickmig(
        "check",
        "cpu.tick",
        "--dbrp",
        "telegraf.autogen",
        "--select",
        "TM004",
        "--no-cache",
        cwd=tmp_path,
    )
    assert found.returncode == 1
    assert "cannot specify dbrp in both implicitly and explicitly" in found.stdout


def test_a_malformed_dbrp_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "cpu.tick").write_text(SCRIPT)
    found = tickmig("check", "cpu.tick", "--dbrp", "telegraf", cwd=tmp_path)
    assert found.returncode == 2
    assert "--dbrp 'telegraf': expected DB.RP (as kapacitor define -dbrp)" in found.stderr
    assert "Traceback" not in found.stderr


def test_migrate_cannot_rewrite_it_and_says_how_to_define_the_task(tmp_path: Path) -> None:
    (tmp_path / "cpu.tick").write_text(SCRIPT)
    (tmp_path / "plan.toml").write_text(PLAN)
    found = tickmig(
        "check",
        "cpu.tick",
        "--dbrp",
        "telegraf.autogen",
        "--mapping",
        "plan.toml",
        "--select",
        "TM120",
        "--no-cache",
        cwd=tmp_path,
    )
    assert "define the task with -dbrp metrics.autogen" in found.stdout
    migrated = tickmig(
        "migrate",
        "cpu.tick",
        "--dbrp",
        "telegraf.autogen",
        "--mapping",
        "plan.toml",
        cwd=tmp_path,
    )
    assert migrated.returncode == 0 and migrated.stdout == ""
    assert (tmp_path / "cpu.tick").read_text() == SCRIPT


def test_report_reads_the_task_with_its_dbrp(tmp_path: Path) -> None:
    (tmp_path / "cpu.tick").write_text(SCRIPT)
    report = tickmig(
        "report", "cpu.tick", "--dbrp", "telegraf.autogen", "--format", "json", cwd=tmp_path
    )
    assert report.returncode in (0, 1), report.stderr
    assert "telegraf" in report.stdout and "TM003" not in report.stdout


def test_a_plan_gives_a_directory_of_such_tasks_their_dbrps(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "cpu.tick").write_text(SCRIPT)
    (scripts / "mem.tick").write_text(SCRIPT.replace("'cpu'", "'mem'"))
    (tmp_path / "plan.toml").write_text(
        '[[task]]\nid = "cpu"\ndbrps = ["telegraf.autogen"]\n\n'
        '[[task]]\npath = "scripts/mem.tick"\ndbrps = ["telegraf.one_month"]\n'
    )
    found = tickmig(
        "check",
        "scripts",
        "--mapping",
        "plan.toml",
        "--output-format",
        "json",
        "--no-cache",
        cwd=tmp_path,
    )
    by_file = {
        Path(f["path"]).name: [d["message"] for d in f["diagnostics"]]
        for f in json.loads(found.stdout)["files"]
    }
    assert any('reads "telegraf"."autogen"' in m for m in by_file["cpu.tick"])
    assert any('reads "telegraf"."one_month"' in m for m in by_file["mem.tick"])
    assert not any("declares no dbrp" in m for ms in by_file.values() for m in ms)


def test_a_wrong_plan_task_entry_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "cpu.tick").write_text(SCRIPT)
    (tmp_path / "plan.toml").write_text('target = "oss"\n\n[[task]]\nid = "cpu"\ndbrps = ["x"]\n')
    found = tickmig("check", "cpu.tick", "--mapping", "plan.toml", cwd=tmp_path)
    assert found.returncode == 2
    assert "plan.toml:3" in found.stderr
    assert '[[task]] #1: "dbrps": \'x\' is not "db.rp"' in found.stderr
