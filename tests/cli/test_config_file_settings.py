"""`telegraf-conf` and `kapacitor-conf` in tickmig.toml: paths relative to the settings file,
read by `check` and `report` as the options would be; the command line replaces them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.report.cases import ROOT, tickmig
from tickmig.errors import ConfigError
from tickmig.settings import load_settings

SCENARIO = ROOT / "fixtures" / "deployment"


def test_paths_are_relative_to_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "tickmig.toml").write_text(
        'telegraf-conf = ["conf/a.conf", "/etc/telegraf/b.conf"]\n'
        'kapacitor-conf = "conf/kapacitor.conf"\n',
        encoding="utf-8",
    )
    settings = load_settings(cwd=tmp_path)
    assert settings.telegraf_conf == [str(tmp_path / "conf/a.conf"), "/etc/telegraf/b.conf"]
    assert settings.kapacitor_conf == str(tmp_path / "conf/kapacitor.conf")


def test_kapacitor_conf_names_one_file(tmp_path: Path) -> None:
    (tmp_path / "tickmig.toml").write_text('kapacitor-conf = ["a.conf", "b.conf"]\n')
    with pytest.raises(ConfigError, match="kapacitor-conf must be one path"):
        load_settings(cwd=tmp_path)
    (tmp_path / "tickmig.toml").write_text('kapacitor-conf = ["a.conf"]\n')
    assert load_settings(cwd=tmp_path).kapacitor_conf == str(tmp_path / "a.conf")


def codes(stdout: str) -> list[str]:
    return [d["code"] for f in json.loads(stdout)["files"] for d in f["diagnostics"]]


def test_check_reads_the_kapacitor_conf_of_the_settings(tmp_path: Path) -> None:
    # The [[udp]] listener of this kapacitor.conf feeds udp_alert: no TM110 once it is read.
    (tmp_path / "conf").mkdir()
    shutil.copy(SCENARIO / "config" / "kapacitor.conf", tmp_path / "conf" / "kapacitor.conf")
    shutil.copy(SCENARIO / "kapacitor" / "tasks" / "udp_alert.tick", tmp_path / "udp_alert.tick")
    (tmp_path / "other.conf").write_text('hostname = "k"\n', encoding="utf-8")
    argv = ["check", "udp_alert.tick", "--output-format", "json", "--exit-zero"]
    bare = tickmig(argv, cwd=tmp_path)
    assert "TM110" in codes(bare.stdout), bare.stderr

    (tmp_path / "tickmig.toml").write_text('kapacitor-conf = "conf/kapacitor.conf"\n')
    proc = tickmig(argv, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "TM110" not in codes(proc.stdout)

    # The command line replaces the setting: this kapacitor.conf has no listener.
    over = tickmig([*argv, "--kapacitor-conf", "other.conf"], cwd=tmp_path)
    assert "TM110" in codes(over.stdout), over.stderr
