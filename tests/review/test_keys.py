"""`tickmig migrate -i` in a pseudo-terminal: every answer key, and $EDITOR."""

from __future__ import annotations

from .helpers import PROMPT, Project, answer, finish, parses

A, B = "scripts/alpha.tick", "scripts/beta.tick"


def test_shows_file_rule_reason_mapping_and_diff(project: Project) -> None:
    child = project.spawn(env=project.env(NO_COLOR="1"))
    child.expect_exact("6 proposed changes in 2 files")
    child.expect_exact("(1/6) scripts/alpha.tick:8:10  TM105 influxdbout-create (unsafe fix)")
    child.expect_exact("why:     .create() sends CREATE DATABASE")
    child.expect_exact("fix:     Remove .create()")
    child.expect_exact("--- a/scripts/alpha.tick")
    child.expect_exact("-        .create()")
    answer(child, "n")
    child.expect_exact("(2/6) scripts/alpha.tick")
    child.expect_exact("TM120 planned-rename (safe fix)")
    child.expect_exact(
        'why:     the mapping plan renames "telegraf"."one_year" to "telegraf"."downsampled"'
    )
    child.expect_exact(
        'mapping: [[rename]] from = "telegraf/one_year", to = "telegraf/downsampled" (plan.toml:4)'
    )
    # The hunk shows this proposal alone: the .create() above is still there, as context.
    child.expect_exact("\n         .create()\r\n")
    child.expect_exact("-        .retentionPolicy('one_year')\r\n")
    child.expect_exact("+        .retentionPolicy('downsampled')\r\n")
    answer(child, "q")
    status, _ = finish(child)
    assert status == 0


def test_y_applies_and_n_skips(project: Project) -> None:
    child = project.spawn()
    answer(child, "y", "(1/6) scripts/alpha.tick")
    answer(child, "n", "(2/6) scripts/alpha.tick")
    answer(child, "y", "(3/6) scripts/alpha.tick")
    child.expect_exact(f"wrote {A} (2 applied, 1 skipped)")
    answer(child, "n", "(4/6) scripts/beta.tick")
    answer(child, "n", "(5/6) scripts/beta.tick")
    answer(child, "n", "(6/6) scripts/beta.tick")
    child.expect_exact(f"{B}: nothing to write (3 skipped)")
    child.expect_exact("review done: 2 applied, 0 edited, 4 skipped; 1 file written")
    status, _ = finish(child)
    assert status == 0
    alpha = project.alpha.read_text(encoding="utf-8")
    assert ".create()" not in alpha
    assert alpha.count("'one_year'") == 1 and alpha.count("'downsampled'") == 1
    assert alpha.index("'one_year'") < alpha.index("'downsampled'")  # cpu skipped, swap applied
    assert parses(project.alpha)
    assert project.beta.read_bytes() == project.original("beta.tick")
    assert project.kinds() == [
        (A, "TM105", "applied"),
        (A, "TM120", "skipped"),
        (A, "TM120", "applied"),
        (B, "TM120", "skipped"),
        (B, "TM120", "skipped"),
        (B, "TM107", "skipped"),
    ]


def test_question_mark_prints_help_and_asks_again(project: Project) -> None:
    child = project.spawn()
    answer(child, "?", "(1/6)")
    child.expect_exact("y - apply this change")
    child.expect_exact("e - edit the proposed text in $EDITOR")
    child.expect_exact("A - apply this change and every change left, in every file")
    child.expect_exact("q - quit: keep the decisions so far")
    answer(child, "x")  # the same proposal is asked again, then an unknown answer
    child.expect_exact("unknown answer 'x': answer one of y, n, e, a, d, A, q, ?")
    answer(child, "q")
    status, _ = finish(child)
    assert status == 0
    assert project.kinds() == []


def test_a_applies_the_rest_of_the_file(project: Project) -> None:
    child = project.spawn()
    answer(child, "n", "(1/6) scripts/alpha.tick")
    answer(child, "a", "(2/6) scripts/alpha.tick")
    child.expect_exact(f"applied: TM120 {A}:17:19")
    child.expect_exact(f"wrote {A} (2 applied, 1 skipped)")
    answer(child, "n", "(4/6) scripts/beta.tick")  # the next file is asked again
    answer(child, "q", "(5/6) scripts/beta.tick")
    status, _ = finish(child)
    assert status == 0
    alpha = project.alpha.read_text(encoding="utf-8")
    assert ".create()" in alpha and "one_year" not in alpha
    assert project.beta.read_bytes() == project.original("beta.tick")
    assert project.kinds() == [
        (A, "TM105", "skipped"),
        (A, "TM120", "applied"),
        (A, "TM120", "applied"),
        (B, "TM120", "skipped"),
    ]


def test_d_skips_the_rest_of_the_file(project: Project) -> None:
    child = project.spawn()
    answer(child, "y", "(1/6) scripts/alpha.tick")
    answer(child, "d", "(2/6) scripts/alpha.tick")
    child.expect_exact(f"skipped: TM120 {A}:17:19")
    child.expect_exact(f"wrote {A} (1 applied, 2 skipped)")
    answer(child, "y", "(4/6) scripts/beta.tick")
    answer(child, "y", "(5/6) scripts/beta.tick")
    answer(child, "y", "(6/6) scripts/beta.tick")
    status, _ = finish(child)
    assert status == 0
    alpha = project.alpha.read_text(encoding="utf-8")
    assert ".create()" not in alpha and alpha.count("'one_year'") == 2
    beta = project.beta.read_text(encoding="utf-8")
    assert "one_year" not in beta and "writeConsistency" not in beta
    assert [k for _, _, k in project.kinds()] == [
        "applied",
        "skipped",
        "skipped",
        "applied",
        "applied",
        "applied",
    ]


def test_capital_a_applies_everything_left(project: Project) -> None:
    child = project.spawn()
    answer(child, "n", "(1/6) scripts/alpha.tick")
    answer(child, "A", "(2/6) scripts/alpha.tick")
    child.expect_exact(f"wrote {A} (2 applied, 1 skipped)")
    child.expect_exact(f"applied: TM107 {B}:19:10")
    child.expect_exact(f"wrote {B} (3 applied)")
    child.expect_exact("review done: 5 applied, 0 edited, 1 skipped; 2 files written")
    status, rest = finish(child)
    assert status == 0
    assert PROMPT not in rest
    assert "one_year" not in project.alpha.read_text(encoding="utf-8")
    assert "writeConsistency" not in project.beta.read_text(encoding="utf-8")
    assert parses(project.alpha) and parses(project.beta)
    assert len(project.kinds()) == 6


def test_q_writes_the_file_in_progress_with_the_answers_so_far(project: Project) -> None:
    child = project.spawn()
    answer(child, "y", "(1/6) scripts/alpha.tick")
    answer(child, "q", "(2/6) scripts/alpha.tick")
    child.expect_exact(f"wrote {A} (1 applied)")
    child.expect_exact("stopped: 5 proposed changes left undecided")
    child.expect_exact(
        "Your decisions are kept in decisions.json: run the same command again "
        "to resume where you stopped."
    )
    status, _ = finish(child)
    assert status == 0
    alpha = project.alpha.read_text(encoding="utf-8")
    assert ".create()" not in alpha and alpha.count("'one_year'") == 2
    assert parses(project.alpha)
    assert project.beta.read_bytes() == project.original("beta.tick")
    assert project.kinds() == [(A, "TM105", "applied")]
    record = project.decisions()["files"][A]
    assert record["complete"] is False


def test_e_with_a_valid_edit_applies_the_edited_text(project: Project) -> None:
    child = project.spawn(env=project.env(EDITOR=project.editor("editor_valid.py")))
    answer(child, "n", "(1/6) scripts/alpha.tick")
    answer(child, "e", "(2/6) scripts/alpha.tick")
    answer(child, "q", "(3/6) scripts/alpha.tick")
    child.expect_exact(f"wrote {A} (1 edited, 1 skipped)")
    status, _ = finish(child)
    assert status == 0
    # The editor got the lines of the hunk after the change.
    given = (project.root / "editor-input.txt").read_text(encoding="utf-8")
    assert given == "        .retentionPolicy('downsampled')\n"
    alpha = project.alpha.read_text(encoding="utf-8")
    assert "        .retentionPolicy('rollups')\n        .measurement('cpu_copy')" in alpha
    assert alpha.count("'one_year'") == 1 and ".create()" in alpha
    assert parses(project.alpha)
    edited = project.decisions()["decisions"][1]
    assert edited["decision"] == "edited"
    assert edited["edited"]["text"] == "        .retentionPolicy('rollups')\n"
    original = project.original("alpha.tick").decode()
    start = original.index("'one_year'")
    assert edited["edits"] == [{"start": start, "end": start + 10, "text": "'downsampled'"}]
    # The span edited by hand is the whole line, as offered.
    line = (original.rindex("\n", 0, start) + 1, original.index("\n", start) + 1)
    assert (edited["edited"]["start"], edited["edited"]["end"]) == line


def test_e_with_an_invalid_edit_asks_again_with_the_error(project: Project) -> None:
    child = project.spawn(env=project.env(EDITOR=project.editor("editor_invalid.py")))
    answer(child, "e", "(1/6) scripts/alpha.tick")
    child.expect_exact("tickmig: error: the edit was not accepted: the edited text does not parse")
    answer(child, "y")  # the same proposal again
    answer(child, "q", "(2/6) scripts/alpha.tick")
    status, _ = finish(child)
    assert status == 0
    assert "broken" not in project.alpha.read_text(encoding="utf-8")
    assert parses(project.alpha)
    assert project.kinds() == [(A, "TM105", "applied")]


def test_e_without_an_editor_says_so(project: Project) -> None:
    child = project.spawn()
    answer(child, "e", "(1/6)")
    child.expect_exact("tickmig: error: $EDITOR is not set")
    answer(child, "q")
    status, _ = finish(child)
    assert status == 0
    assert project.alpha.read_bytes() == project.original("alpha.tick")


def test_unsafe_fixes_are_only_proposed_with_the_option(project: Project) -> None:
    child = project.spawn(unsafe=False)
    child.expect_exact("2 unsafe fixes not proposed (add --unsafe-fixes to review them too)")
    child.expect_exact("4 proposed changes in 2 files")
    answer(child, "A", "(1/4) scripts/alpha.tick:9:19  TM120")
    status, _ = finish(child)
    assert status == 0
    assert ".create()" in project.alpha.read_text(encoding="utf-8")
    assert "writeConsistency" in project.beta.read_text(encoding="utf-8")
    assert {code for _, code, _ in project.kinds()} == {"TM120"}


def test_a_byte_order_mark_is_kept(project: Project) -> None:
    project.beta.write_bytes(b"\xef\xbb\xbf" + project.original("beta.tick"))
    child = project.spawn()
    answer(child, "d", "(1/6) scripts/alpha.tick")
    answer(child, "A", "(4/6) scripts/beta.tick")
    status, _ = finish(child)
    assert status == 0
    data = project.beta.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"one_year" not in data
    assert parses(project.beta)
