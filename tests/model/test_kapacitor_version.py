"""What tickmig knows of the Kapacitor version (tickmig.model.kapacitor_version): only what the
operator gives counts; kapacitor.conf is not read as evidence of it, and the v3 proof checks the
gate when the version is known and says "unknown" otherwise."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.targets.cases import ROOT, SCENARIO
from tickmig.model.kapacitor_version import GIVEN, gate, kapacitor_version
from tickmig.targets import parse_target

CORE = parse_target("v3-core")


def test_a_given_version_is_known_and_checked():
    old = kapacitor_version(parse_target("v3-core", kapacitor_version="1.7.5"), None)
    assert (old.version, old.how) == ((1, 7, 5), GIVEN)
    assert "does not start against InfluxDB 3 Core" in (gate(CORE, old) or "")
    new = kapacitor_version(parse_target("v3-core", kapacitor_version="1.8.2"), None)
    assert gate(CORE, new) is None


def test_the_token_gate_on_influxdb_2():
    oss = parse_target("oss", kapacitor_version="1.5.9")
    assert "ignores a token in kapacitor.conf" in (gate(oss, kapacitor_version(oss, None)) or "")
    assert gate(oss, kapacitor_version(parse_target("oss", kapacitor_version="1.6"), None)) is None


def test_kapacitor_conf_options_from_1_6_are_not_taken_as_the_version(tmp_path):
    conf = tmp_path / "kapacitor.conf"
    conf.write_text('[[influxdb]]\n  token = "x"\n\n[fluxtask]\n  enabled = false\n')
    found = kapacitor_version(CORE, str(conf))
    assert found.version is None and found.text == "unknown"
    assert "[[influxdb]] token and [fluxtask] section" in found.how
    assert "not which Kapacitor reads it" in found.how
    assert gate(CORE, found) is None  # unknown is not a failed gate
    plain = tmp_path / "plain.conf"
    plain.write_text('hostname = "k"\n')
    assert kapacitor_version(CORE, str(plain)).how == "kapacitor.conf has no version key"


def report(*args: str, cwd=ROOT) -> dict:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, "-m", "tickmig", "report", str(ROOT / SCENARIO), "--target", "v3-core",
         "--format", "json", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300,
        env={"NO_COLOR": "1", "PATH": "/usr/bin"},
    )  # fmt: skip
    doc: dict = json.loads(proc.stdout)
    assert proc.returncode == (0 if doc["verdict"]["ok"] else 1), proc.stderr
    return doc


def test_the_proof_says_unknown_and_asks():
    verdict = report()["verdict"]
    assert "Kapacitor's version is unknown" in verdict["assumption"]
    assert "give --kapacitor-version" in verdict["assumption"]


def test_the_proof_fails_every_kapacitor_flow_for_a_kapacitor_before_1_8_2(tmp_path):
    # from the settings file, as from the option
    (tmp_path / "tickmig.toml").write_text('kapacitor-version = "1.8.1"\n')
    doc = report(cwd=tmp_path)
    verdict = doc["verdict"]
    assert len(verdict["failing"]) == verdict["flows"] == 13
    assert any(
        "Kapacitor 1.8.1" in e and "accepts from 1.8.2" in e for e in verdict["action_errors"]
    )
    assert "version is unknown" not in (verdict["assumption"] or "")
