"""A decisions file edited by hand is not trusted beyond what review showed (issue 11, 0b):
`"complete": true` does not make `--decisions --check` pass for files whose proposals were
never decided, and an "edited" decision whose span reaches beyond the lines of its change is
never applied."""

from __future__ import annotations

import hashlib
import json

from .helpers import Project, answer, finish

A, B = "scripts/alpha.tick", "scripts/beta.tick"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_complete_true_does_not_pass_check_for_an_unreviewed_file(project: Project) -> None:
    beta = project.beta.read_bytes()
    forged = {
        "version": 1,
        "decisions": [],
        "files": {B: {"sha256": _sha(beta), "complete": True, "writes": []}},
    }
    project.decisions_file.write_text(json.dumps(forged), encoding="utf-8")
    failed = project.run("--check")
    assert failed.returncode == 1
    assert f"{B}: 3 proposed changes still undecided" in failed.stdout


def test_an_oversized_edited_span_is_not_applied(project: Project) -> None:
    # A genuine review: the first change of alpha is applied, the rest skipped.
    child = project.spawn()
    answer(child, "y", "(1/6)")
    for number in range(2, 7):
        answer(child, "n", f"({number}/6)")
    assert finish(child)[0] == 0
    assert project.run("--check").returncode == 0
    # Hand-edit one skipped decision of beta into an "edited" one spanning the whole file.
    data = project.decisions()
    beta = project.beta.read_bytes()
    victim = next(d for d in data["decisions"] if d["path"] == B)
    victim["decision"] = "edited"
    victim["edited"] = {"start": 0, "end": len(beta.decode()), "text": "// gone\n"}
    project.decisions_file.write_text(json.dumps(data), encoding="utf-8")
    failed = project.run("--check")
    assert failed.returncode == 1
    assert f"{B}: 1 proposed change still undecided" in failed.stdout
    # Resuming applies nothing it did not show: the session asks about that change again.
    child = project.spawn()
    child.expect_exact("the decisions file holds a hand edit beyond the change shown")
    answer(child, "n", "(1/1)")
    finish(child)
    assert project.beta.read_bytes() == beta
