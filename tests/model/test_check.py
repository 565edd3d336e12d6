"""`tickmig check` reports each flow the migration proof says does not land as TM130, at the
node of the task; a deployment whose flows all land gets none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.report.cases import tickmig

from .cases import SCENARIO

ORG_ID = "7c1e5a9f3b2d4e60"


def deployment(tmp_path: Path, *, conflict: bool) -> list[str]:
    """game_scores.tick and the plan of fixtures/deployment; with `conflict`, the server
    already maps "game"."autogen" to bucket game/autogen, not the plan's "leaderboard"."""
    (tmp_path / "tasks").mkdir()
    shutil.copy(f"{SCENARIO}/kapacitor/tasks/game_scores.tick", tmp_path / "tasks")
    buckets = json.loads(Path(f"{SCENARIO}/mappings/buckets.json").read_text(encoding="utf-8"))
    dbrps: dict[str, list[dict[str, object]]] = {"content": []}
    if conflict:
        extra = dict(buckets["buckets"][1], id="0b1a000000000099", name="game/autogen")
        buckets["buckets"].append(extra)
        dbrps["content"].append(
            {
                "id": "0d10000000000009",
                "database": "game",
                "retention_policy": "autogen",
                "default": True,
                "virtual": False,
                "orgID": ORG_ID,
                "bucketID": "0b1a000000000099",
            }
        )
    (tmp_path / "buckets.json").write_text(json.dumps(buckets), encoding="utf-8")
    (tmp_path / "dbrps.json").write_text(json.dumps(dbrps), encoding="utf-8")
    return [
        "check",
        str(tmp_path / "tasks"),
        "--mapping",
        str(tmp_path / "dbrps.json"),
        "--mapping",
        str(tmp_path / "buckets.json"),
        "--mapping",
        f"{SCENARIO}/mappings/plan.toml",
        "--org",
        "games-ops",
        "--select",
        "TM130",
        "--output-format",
        "json",
    ]


def test_flows_that_cannot_land_are_findings(tmp_path: Path) -> None:
    proc = tickmig([*deployment(tmp_path, conflict=True), "--no-cache"])
    assert proc.returncode == 1, proc.stderr
    found = [
        (d["code"], d["location"]["line"], d["message"])
        for f in json.loads(proc.stdout)["files"]
        for d in f["diagnostics"]
    ]
    assert [(code, line) for code, line, _ in found] == [("TM130", 5), ("TM130", 8)]
    assert 'queries "game"."autogen"' in found[0][2]
    assert 'reads bucket "game/autogen", not "leaderboard"' in found[0][2]
    assert 'writes "game"' in found[1][2]
    assert "a mapping's bucket cannot be changed" in found[1][2]


def test_the_check_cache_keeps_the_proof_findings(tmp_path: Path) -> None:
    args = [*deployment(tmp_path, conflict=True), "--cache-dir", str(tmp_path / "cache")]
    first, second = tickmig(args), tickmig(args)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout and "TM130" in first.stdout
    cached = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "cache").glob("*.json"))
    assert "<migration-proof>" in cached


def test_no_finding_when_every_flow_lands(tmp_path: Path) -> None:
    proc = tickmig([*deployment(tmp_path, conflict=False), "--no-cache"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
