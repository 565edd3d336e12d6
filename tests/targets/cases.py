"""The runs behind the goldens of the InfluxDB 3 scenario (fixtures/v3/expected/): `check` for
every target and `report` for the InfluxDB 3 ones. After an intended change,
`pytest --update-goldens` rewrites them; review the diff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "fixtures" / "v3" / "expected"
SCENARIO = "fixtures/v3/kapacitor"
BUCKETS = ["--mapping", "fixtures/v3/mappings/buckets.json"]
#: (golden file, command line after `tickmig`).
#: InfluxDB 3 has no DBRP mappings: its runs need no mapping source; OSS and Cloud read the
#: buckets an upgrade would create (virtual mappings on OSS, none on Cloud).
RUNS: dict[str, list[str]] = {
    f"check.{target}.txt": ["check", SCENARIO, "--target", target]
    for target in ("v3-core", "v3-enterprise")
}
RUNS.update(
    {
        f"check.{target}.txt": ["check", SCENARIO, "--target", target, *BUCKETS]
        for target in ("oss", "cloud")
    }
)
RUNS["check.v3-core.json"] = ["check", SCENARIO, "--target", "v3-core", "--output-format", "json"]
for target in ("v3-core", "v3-enterprise"):
    RUNS[f"report.{target}.md"] = ["report", SCENARIO, "--target", target]


def run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        env={"NO_COLOR": "1", "PATH": "/usr/bin"},
    )
