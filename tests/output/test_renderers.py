"""Every format against its golden file, byte for byte, and the properties all formats share:
the same output whatever the input order, no absolute paths, an empty report, lazy imports."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace

import pytest

from tests.conftest import Goldens
from tickmig.diagnostics import Diagnostic, Edit, FileResult, Fix, Location, Severity
from tickmig.output import RENDERERS

from .cases import GOLDENS, RULES, TOOL_VERSION, render, results

FORMATS = ["text", "json", "json-lines", "sarif", "github", "junit"]
ROOT = GOLDENS["text"].parents[2]


def test_the_formats_of_tickmig_check() -> None:
    assert list(RENDERERS) == FORMATS
    assert set(GOLDENS) == set(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_matches_the_golden_file(fmt: str, goldens: Goldens) -> None:
    goldens.check(GOLDENS[fmt], render(fmt))


def _shuffled(seed: int) -> list[FileResult]:
    rng = random.Random(seed)
    files = results()
    for result in files:
        rng.shuffle(result.diagnostics)
    rng.shuffle(files)
    return files


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_output_every_time_and_for_any_input_order(fmt: str) -> None:
    first = render(fmt)
    assert render(fmt) == first
    orders = set()
    for seed in range(8):
        files = _shuffled(seed)
        orders.add(tuple((f.path, tuple(d.code for d in f.diagnostics)) for f in files))
        assert render(fmt, files) == first, f"seed {seed}"
    assert len(orders) > 1, "the shuffles should have produced different input orders"


@pytest.mark.parametrize("fmt", FORMATS)
def test_ties_on_the_sort_key_are_broken_the_same_way(fmt: str) -> None:
    loc = Location("a.tick", 0, 1, 1, 1, 1, 2)
    one = Diagnostic("TM101", "dbrp-renamed", "same", Severity.WARNING, loc, notes=("one",))
    two = replace(one, notes=("two",))
    forward = render(fmt, [FileResult("a.tick", [one, two], source="x\n")])
    backward = render(fmt, [FileResult("a.tick", [two, one], source="x\n")])
    assert forward == backward


@pytest.mark.parametrize("fmt", FORMATS)
def test_windows_separators_become_slashes_and_nothing_is_made_absolute(fmt: str) -> None:
    path = "tasks\\sub\\cpu.tick"
    source = 'dbrp "telegraf"."autogen"\n'
    loc = Location(path, 5, 25, 1, 6, 1, 26)
    fix = Fix("Use metrics", (Edit(path, 6, 14, "metrics"),))
    diagnostic = Diagnostic("TM101", "dbrp-renamed", "renamed", Severity.WARNING, loc, fix)
    files = [FileResult(path, [diagnostic], source=source)]
    # No rules: their explanations hold JSON-escaped newlines, i.e. backslashes.
    out = RENDERERS[fmt](files, {}, tool_version=TOOL_VERSION)
    assert "tasks/sub/cpu.tick" in out
    assert "\\" not in out
    assert str(ROOT) not in out


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_clean_files_are_listed_with_slashes(fmt: str) -> None:
    out = render(fmt)
    assert "tasks/disk_ok.tick" in out
    assert "disk_ok" not in out.replace("tasks/disk_ok", "")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "All checks passed!\n"),
        ("json-lines", ""),
        ("github", ""),
    ],
)
def test_no_problems(fmt: str, expected: str) -> None:
    clean = [FileResult("tasks/ok.tick", [], task_type="stream", source="stream\n")]
    assert render(fmt, clean) == expected
    # "All checks passed!" only when at least one file was checked
    nothing = "No files were checked.\n" if fmt == "text" else expected
    assert render(fmt, []) == nothing


@pytest.mark.parametrize("fmt", FORMATS)
def test_registry_entries_call_the_format_modules(fmt: str) -> None:
    module = __import__(f"tickmig.output.render_{fmt.replace('-', '_')}", fromlist=["render"])
    files = results()
    assert RENDERERS[fmt](files, RULES, tool_version=TOOL_VERSION) == module.render(
        files, RULES, tool_version=TOOL_VERSION
    )


def test_importing_the_package_loads_no_format() -> None:
    code = (
        "import sys, tickmig.output\n"
        "print(sorted(m for m in sys.modules if m.startswith('tickmig.output.')"
        " or m in ('xml.etree.ElementTree', 'hashlib', 'json.encoder')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
