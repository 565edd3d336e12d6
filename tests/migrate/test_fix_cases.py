"""Golden fix cases (fixtures/fixes/CODE/NAME.in.tick -> NAME.out.tick), through the real
program reading standard input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.tickscript.parser import parse

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "fixtures" / "fixes"
INPUTS = sorted(CASES.glob("TM*/*.in.tick"))


def migrate_stdin(text: bytes, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tickmig",
            "migrate",
            "-",
            "--mapping",
            str(CASES / "dbrps.json"),
            "--mapping",
            str(CASES / "plan.toml"),
            *extra,
        ],
        input=text,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("case", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_case(case: Path) -> None:
    expected_path = case.with_name(case.name.replace(".in.tick", ".out.tick"))
    original = case.read_bytes()
    expected = expected_path.read_bytes() if expected_path.exists() else original
    extra = ["--unsafe-fixes"] if ".unsafe." in case.name else []
    proc = migrate_stdin(original, *extra)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == expected
    parse(proc.stdout.decode())
    again = migrate_stdin(proc.stdout, *extra)
    assert again.stdout == proc.stdout, "a second run must change nothing"


def test_every_rule_with_a_fix_has_cases() -> None:
    from tickmig.rules import ALL_RULES
    from tickmig.rules.helpers.config import ConfigRule

    # The TM3xx fixes patch TOML files; tests/configs checks them on real sample configs.
    fixable = {
        r.code for r in ALL_RULES if r.fix_safety is not None and not issubclass(r, ConfigRule)
    }
    assert fixable <= {p.parent.name for p in INPUTS}
