"""A reviewed file is written only behind the safety net: otherwise it is left untouched, the
user is told, and its decisions are dropped so that the next session asks again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickmig.diagnostics import Edit
from tickmig.review.decisions import APPLIED, Decision, DecisionLog, sha256_bytes
from tickmig.review.terminal import Console
from tickmig.review.writing import FAILED, WRITTEN, FileState, finish_file
from tickmig.text.source import decode

from .helpers import Project, answer, finish

A = "scripts/alpha.tick"


def test_a_file_changed_on_disk_during_the_review_is_left_alone(project: Project) -> None:
    child = project.spawn()
    answer(child, "y", "(1/6) scripts/alpha.tick")
    answer(child, "y", "(2/6) scripts/alpha.tick")
    child.expect_exact("(3/6) scripts/alpha.tick")
    child.expect_exact("[y,n,e,a,d,A,q,?]? ")
    changed = b"// edited by someone else\n" + project.original("alpha.tick")
    project.alpha.write_bytes(changed)
    child.sendline("y")
    child.expect_exact(
        f"tickmig: error: {A}: left unchanged: the file changed on disk during "
        "the review (3 decisions on it dropped: the next session asks again)"
    )
    answer(child, "d", "(4/6) scripts/beta.tick")
    status, _ = finish(child)
    assert status == 2
    assert project.alpha.read_bytes() == changed
    assert [path for path, _, _ in project.kinds()] == ["scripts/beta.tick"] * 3


def _state(path: Path, text: str) -> FileState:
    data = text.encode()
    path.write_bytes(data)
    return FileState(decode(str(path), data), sha256_bytes(data))


def test_edits_that_do_not_pass_the_safety_net_are_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "task.tick"
    text = "stream\n    |from()\n        .measurement('cpu')\n"
    state = _state(path, text)
    log = DecisionLog(str(tmp_path / "decisions.json"))
    start = text.index("'cpu'")
    broken = Edit(str(path), start, start + 5, "'cpu'(")
    log.add(Decision(str(path), state.sha256, "TM999", "t", (broken,), APPLIED))
    state.accepted.append(broken)
    state.counts[APPLIED] += 1

    assert finish_file(str(path), state, log, Console(False), complete=True, backup=None) == FAILED
    assert path.read_text() == text
    assert "left unchanged: the edited text does not parse" in capsys.readouterr().err
    assert log.decisions == [] and DecisionLog.load(log.path).decisions == []


def test_a_sound_edit_is_recorded_before_the_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "task.tick"
    state = _state(path, "stream\n    |from()\n        .measurement('cpu')\n")
    start = state.source.text.index("'cpu'")
    state.accepted.append(Edit(str(path), start, start + 5, "'mem'"))
    state.counts[APPLIED] += 1
    log = DecisionLog(str(tmp_path / "decisions.json"))

    assert finish_file(str(path), state, log, Console(False), complete=True, backup=".orig") == (
        WRITTEN
    )
    assert "'mem'" in path.read_text()
    assert (tmp_path / "task.tick.orig").read_bytes() == state.source.text.encode()
    record = DecisionLog.load(log.path).files[str(path)]
    assert record.complete and record.sha256 == sha256_bytes(path.read_bytes())
    assert [(w.before, w.after) for w in record.writes] == [(state.sha256, record.sha256)]
