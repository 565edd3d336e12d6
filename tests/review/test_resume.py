"""Ctrl-C and end of input in mid-review, resuming from the decisions file, and the CI replay
(`tickmig migrate --decisions FILE --check`)."""

from __future__ import annotations

from .helpers import Project, answer, finish, intact_or_parses, parses

A, B = "scripts/alpha.tick", "scripts/beta.tick"


def _review_alpha_then_stop_in_beta(project: Project, stop: str) -> tuple[int, str]:
    """Apply the three changes of alpha and the first of beta, then stop at beta's second
    with Ctrl-C (`stop` "intr") or end of input ("eof")."""
    child = project.spawn()
    for number in (1, 2, 3):
        answer(child, "y", f"({number}/6) scripts/alpha.tick")
    child.expect_exact(f"wrote {A} (3 applied)")
    answer(child, "y", "(4/6) scripts/beta.tick")
    child.expect_exact("(5/6) scripts/beta.tick")
    child.expect_exact("[y,n,e,a,d,A,q,?]? ")
    if stop == "intr":
        child.sendintr()
        child.expect_exact(
            "interrupted: the review stopped with 2 proposed changes undecided; "
            f"{B} was left as it was."
        )
    else:
        child.sendeof()
        child.expect_exact(
            "end of input: the review stopped with 2 proposed changes "
            f"undecided; {B} was left as it was."
        )
    child.expect_exact(
        "Your decisions are kept in decisions.json: run the same command again "
        "to resume where you stopped."
    )
    return finish(child)


def _assert_nothing_half_written(project: Project) -> None:
    assert intact_or_parses(project, "alpha.tick")
    assert intact_or_parses(project, "beta.tick")
    leftovers = [p.name for p in project.root.rglob("*") if p.name.endswith(".tickmig-tmp")]
    assert leftovers == []


def test_ctrl_c_keeps_the_decisions_and_leaves_the_file_in_progress(project: Project) -> None:
    status, _ = _review_alpha_then_stop_in_beta(project, "intr")
    assert status == 130
    _assert_nothing_half_written(project)
    assert "one_year" not in project.alpha.read_text(encoding="utf-8")
    assert parses(project.alpha)
    assert project.beta.read_bytes() == project.original("beta.tick")
    assert project.kinds() == [
        (A, "TM105", "applied"),
        (A, "TM120", "applied"),
        (A, "TM120", "applied"),
        (B, "TM120", "applied"),
    ]


def test_end_of_input_keeps_the_decisions_and_exits_1(project: Project) -> None:
    status, _ = _review_alpha_then_stop_in_beta(project, "eof")
    assert status == 1
    _assert_nothing_half_written(project)
    assert project.beta.read_bytes() == project.original("beta.tick")
    assert len(project.kinds()) == 4


def test_a_second_session_asks_only_what_is_left(project: Project) -> None:
    _review_alpha_then_stop_in_beta(project, "intr")
    child = project.spawn()
    child.expect_exact("3 proposed changes in 1 file, 1 already decided in decisions.json")
    child.expect_exact(f"applied before: TM120 {B}:8:19")
    answer(child, "n", "(1/2) scripts/beta.tick:16:19  TM120")
    answer(child, "y", "(2/2) scripts/beta.tick:19:10  TM107")
    child.expect_exact(f"wrote {B} (2 applied, 1 skipped)")
    status, rest = finish(child)
    assert status == 0
    assert "alpha" not in rest
    beta = project.beta.read_text(encoding="utf-8")
    assert beta.count("'downsampled'") == 1 and beta.count("'one_year'") == 1
    assert beta.index("'downsampled'") < beta.index("'one_year'")  # mem applied, disk skipped
    assert "writeConsistency" not in beta and parses(project.beta)
    assert len(project.kinds()) == 6
    # A third session has nothing left to ask.
    child = project.spawn()
    child.expect_exact(f"{B}: already reviewed (decisions in decisions.json); not asked again")
    child.expect_exact("nothing to review: no proposed changes left")
    status, _ = finish(child)
    assert status == 0


def test_an_edit_by_hand_is_replayed_when_resuming(project: Project) -> None:
    env = project.env(EDITOR=project.editor("editor_valid.py"))
    child = project.spawn(env=env)
    answer(child, "d", "(1/6) scripts/alpha.tick")
    answer(child, "e", "(4/6) scripts/beta.tick")
    child.expect_exact("(5/6) scripts/beta.tick")
    child.expect_exact("[y,n,e,a,d,A,q,?]? ")
    child.sendintr()
    status, _ = finish(child)
    assert status == 130
    assert project.beta.read_bytes() == project.original("beta.tick")
    # The same scripts named another way: the decisions are found by normalised path.
    child = project.spawn(env=env, folder="./scripts")
    child.expect_exact("3 proposed changes in 1 file, 1 already decided in decisions.json")
    child.expect_exact("edited before: TM120 ./scripts/beta.tick:8:19")
    answer(child, "n", "(1/2) ./scripts/beta.tick:16:19")
    answer(child, "n", "(2/2) ./scripts/beta.tick:19:10")
    child.expect_exact("wrote ./scripts/beta.tick (1 edited, 2 skipped)")
    status, _ = finish(child)
    assert status == 0
    beta = project.beta.read_text(encoding="utf-8")
    assert "        .retentionPolicy('rollups')\n        .measurement('mem_copy')" in beta
    assert beta.count("'one_year'") == 1 and parses(project.beta)
    assert project.run("--check").returncode == 0


def test_resuming_a_file_written_at_q_follows_its_rewrite(project: Project) -> None:
    child = project.spawn()
    answer(child, "y", "(1/6) scripts/alpha.tick")
    answer(child, "n", "(2/6) scripts/alpha.tick")
    answer(child, "q", "(3/6) scripts/alpha.tick")
    child.expect_exact(f"wrote {A} (1 applied, 1 skipped)")
    finish(child)
    # alpha now has one line less; the skipped rename is found again through the rewrite.
    child = project.spawn()
    child.expect_exact("5 proposed changes in 2 files, 1 already decided in decisions.json")
    child.expect_exact(f"skipped before: TM120 {A}:8:19")
    answer(child, "y", "(1/4) scripts/alpha.tick:16:19  TM120")
    answer(child, "d", "(2/4) scripts/beta.tick")
    status, _ = finish(child)
    assert status == 0
    alpha = project.alpha.read_text(encoding="utf-8")
    assert ".create()" not in alpha and alpha.count("'one_year'") == 1
    assert alpha.index("'one_year'") < alpha.index("'downsampled'")
    assert project.beta.read_bytes() == project.original("beta.tick")
    assert project.run("--check").returncode == 0


def test_check_passes_after_the_review_and_fails_once_a_script_changed(project: Project) -> None:
    child = project.spawn()
    answer(child, "y", "(1/6)")
    answer(child, "n", "(2/6)")
    answer(child, "y", "(3/6)")
    answer(child, "n", "(4/6)")
    answer(child, "y", "(5/6)")
    answer(child, "n", "(6/6)")
    status, _ = finish(child)
    assert status == 0
    passed = project.run("--check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout == ""
    assert "the decisions in decisions.json account for every proposed change" in passed.stderr

    text = project.beta.read_text(encoding="utf-8")
    project.beta.write_text("// reviewed by ops\n" + text, encoding="utf-8")
    failed = project.run("--check")
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        f"{B}: 2 proposed changes without a decision: the file changed since the review"
    ]
    assert "review them again with tickmig migrate --interactive" in failed.stderr


def test_check_fails_for_a_new_proposal_in_a_migrated_script(project: Project) -> None:
    child = project.spawn()
    answer(child, "A", "(1/6)")
    finish(child)
    assert project.run("--check").returncode == 0
    with project.alpha.open("a", encoding="utf-8") as f:
        f.write(
            "\nstream\n    |from()\n        .measurement('io')\n    |influxDBOut()\n"
            "        .database('telegraf')\n        .retentionPolicy('one_year')\n"
            "        .measurement('io_copy')\n"
        )
    failed = project.run("--check")
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        f"{A}: 1 proposed change without a decision: the file changed since the review"
    ]


def test_check_fails_while_proposals_are_undecided(project: Project) -> None:
    _review_alpha_then_stop_in_beta(project, "intr")
    failed = project.run("--check")
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        f"{B}: 2 proposed changes still undecided",
        f"{B}: 1 change decided as applied is not in the file (resume the review to write it)",
    ]


def test_check_names_files_never_reviewed(project: Project) -> None:
    child = project.spawn()
    answer(child, "d", "(1/6)")
    answer(child, "q", "(4/6)")
    finish(child)
    failed = project.run("--check")
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [f"{B}: 3 proposed changes not reviewed"]


def test_check_needs_the_decisions_file(project: Project) -> None:
    result = project.run("--check")
    assert result.returncode == 2
    assert "decisions.json: no such decisions file" in result.stderr
