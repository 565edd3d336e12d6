"""The HTML format: one self-contained page (inline CSS, no script, nothing fetched), every
text escaped, diffs coloured; and what a reader sees once Chromium has rendered it (the DOM
text, and a screenshot kept under artifacts/ for a human to look at).

The Chromium tests need Debian's package (`apt-get install -y chromium`): without
/usr/bin/chromium they are skipped, except in CI (CI=true), where they fail."""

from __future__ import annotations

import os
import re
import struct
import subprocess
from pathlib import Path

import pytest

from .cases import ROOT, tickmig
from .conftest import Run
from .test_scenario import COMMANDS, DBRPS, TASK_FILES, html_text, label

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"


def test_self_contained(scenario: dict[str, Run]) -> None:
    page = scenario["html"].stdout
    assert page.startswith("<!DOCTYPE html>\n")
    assert "<style>" in page
    for forbidden in ("<script", "<link", "<img", "<iframe", " src=", "url(", "@import"):
        assert forbidden not in page
    assert not re.search(r'href="(?!#)', page)  # only links within the page


def test_diffs_are_coloured_line_by_line(scenario: dict[str, Run]) -> None:
    page = scenario["html"].stdout
    assert '<span class="add">+        .retentionPolicy(&#x27;downsampled&#x27;)</span>' in page
    assert '<span class="del">-        .retentionPolicy(&#x27;one_year&#x27;)</span>' in page
    assert re.search(r"pre \.add \{[^}]*background", page)
    assert re.search(r"pre \.del \{[^}]*background", page)


def test_layout_rules_for_a_laptop_screen(scenario: dict[str, Run]) -> None:
    page = scenario["html"].stdout
    assert re.search(r"main \{[^}]*max-width", page)
    assert re.search(r"pre \{[^}]*overflow-x: auto", page)
    assert re.search(r"\.table \{[^}]*overflow-x: auto", page)
    assert re.search(r"th, td \{[^}]*overflow-wrap", page)


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A load directory whose names and values need escaping."""
    root = tmp_path_factory.mktemp("escaping")
    (root / "tasks").mkdir()
    (root / "tasks" / "x<i>&\"q'.tick").write_text(
        'dbrp "tele<g>raf"."auto&gen"\n\n'
        "stream\n    |from()\n        .measurement('cpu')\n"
        "    |influxDBOut()\n        .database('out<b>db')\n        .retentionPolicy('r\"p')\n",
        encoding="utf-8",
    )
    return root


def test_everything_is_escaped(odd_names: Path) -> None:
    proc = tickmig(["report", str(odd_names), "--format", "html"])
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout
    for raw in ("<i>", "<g>", "<b>"):
        assert raw not in page
    assert "x&lt;i&gt;&amp;&quot;q&#x27;.tick" in page
    text = html_text(page)
    assert "x<i>&\"q'.tick" in text
    assert '"tele<g>raf"."auto&gen"' in text
    assert '"out<b>db"."r"p"' in text


def chromium() -> str:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: apt-get install -y chromium")
        pytest.skip(
            f"Debian's chromium is not installed at {CHROMIUM} "
            "(apt-get install -y chromium); CI=true makes this a failure"
        )
    return CHROMIUM


def run_chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def page(scenario: dict[str, Run], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(scenario["html"].stdout, encoding="utf-8")
    return path


def test_rendered_dom_shows_tasks_dbrps_and_commands(page: Path, tmp_path: Path) -> None:
    proc = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    assert "<main>" in dom and "</html>" in dom
    text = html_text(dom)
    assert "tickmig migration report" in text
    for path in TASK_FILES:
        assert path in text
    for db, rp in DBRPS:
        assert label(db, rp) in text
    for command in COMMANDS:
        assert command in text


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_is_kept_as_an_artefact(page: Path, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    proc = run_chromium(
        page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1366,900"
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert png_size(data) == (1366, 900)
    # A blank page compresses to a few kilobytes; the rendered summary does not.
    assert len(data) > 30_000
