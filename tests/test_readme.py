"""The README is true as written: its migrate example shows a diff, its CI example installs
tickmig from the repository (no registry has it), its pre-commit example pins the release tag
of the version `tickmig --version` prints, it says what `../shared` is, and its test command
passes in a fresh clone without `../shared` (those tests skip)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig import __version__

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TAG = f"v{__version__}"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, re.S)


def test_the_migrate_example_shows_a_diff() -> None:
    match = re.search(
        r"`(tickmig migrate fixtures/migration/kapacitor[^`]*)`\s+shows the diffs", README
    )
    assert match, "the README's migrate example"
    args = match.group(1).split()[1:]
    proc = subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.startswith("--- a/") for line in lines)
    assert any(line.startswith("+") and not line.startswith("+++") for line in lines)
    assert any(line.startswith("-") and not line.startswith("---") for line in lines)


def test_the_ci_example_installs_tickmig_from_its_repository_at_the_release_tag() -> None:
    (workflow,) = [b for b in yaml_blocks() if "runs-on:" in b]
    installs = re.findall(r"pip install (.+)", workflow)
    assert installs, "the CI example installs tickmig"
    for spec in installs:
        spec = spec.strip().strip("\"'")
        assert "git+" in spec or spec.startswith((".", "/")), f"not from the repository: {spec}"
        if "git+" in spec:
            assert spec.endswith(f"@{TAG}"), spec


def test_the_pre_commit_example_pins_the_release_tag_of_this_version() -> None:
    (config,) = [b for b in yaml_blocks() if "hooks:" in b]
    repo = re.search(r"repo: (\S+)", config)
    rev = re.search(r"rev: (\S+)", config)
    assert repo and rev
    assert rev.group(1) == TAG
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for hook in re.findall(r"- id: (\S+)", config):
        assert f"- id: {hook}\n" in hooks
    (workflow,) = [b for b in yaml_blocks() if "runs-on:" in b]
    assert f"git+{repo.group(1)}@{TAG}" in workflow, "CI and pre-commit name one repository"


def test_the_release_tag_exists() -> None:
    """The tag the examples pin is created at release and must name a commit of this same
    version. (A clone made without tags cannot tell: it skips, saying so.)"""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    proc = subprocess.run(
        [git, "show", f"refs/tags/{TAG}:tickmig/__init__.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if proc.returncode != 0:
        pytest.skip(f"tag {TAG} is not in this checkout (cloned without tags?)")
    assert f'__version__ = "{__version__}"' in proc.stdout


def test_the_readme_says_what_shared_is() -> None:
    assert "`../shared`" in README
    for part in ("corpus/kapacitor/", "contracts/", "TICKMIG_SHARED", "CI=true"):
        assert part in README, part


def corpus_test_files() -> list[str]:
    """The test modules that read ../shared."""
    marks = ("corpus_dir", "corpus_oracle", "CORPUS", "contracts_dir", "TICKMIG_SHARED")
    return sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("test_*.py")
        if p.name != "test_readme.py" and any(m in p.read_text(encoding="utf-8") for m in marks)
    )


def test_a_fresh_clone_without_shared_skips_what_needs_it(tmp_path: Path) -> None:
    """The modules that read ../shared, run in a clone of this commit whose parent folder has
    no `shared`: they pass or skip, never fail."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "tickmig"
    subprocess.run(
        [git, "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    files = [f for f in corpus_test_files() if (clone / f).exists()]
    assert len(files) >= 5, files
    env = {k: v for k, v in os.environ.items() if k not in ("TICKMIG_SHARED", "CI")}
    env["PYTHONPATH"] = str(clone)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *files],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=1800,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "skipped" in proc.stdout.splitlines()[-1]


def test_the_main_command_opens_with_the_verdict_the_readme_quotes() -> None:
    """Issue 10: the README's main command shows the proof's verdict at the top of the report,
    and the verdict the README quotes is the one it prints."""
    match = re.search(r"<!-- main-command -->\n```sh\n.*&& \.venv/bin/tickmig (.*)\n```", README)
    assert match, "the README's main command"
    quoted = re.search(r"\(`(Proof: [^`]*)` in the example", README)
    assert quoted, "the verdict the README quotes"
    proc = subprocess.run(
        [sys.executable, "-m", "tickmig", *match.group(1).split()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr  # the example's proof fails, as the README says
    heading, verdict = [line for line in proc.stdout.splitlines() if line.strip()][:2]
    assert heading == "# tickmig migration report"
    assert verdict == f"**{quoted.group(1)}**"
