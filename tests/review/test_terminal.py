"""Colour on a terminal, none with NO_COLOR or --color never, and no review at all without a
terminal; options that do not go with the review."""

from __future__ import annotations

import io

from .helpers import Project, answer, finish


def _whole_session(project: Project, *extra: str, **env: str) -> str:
    child = project.spawn(*extra, env=project.env(**env))
    log = io.StringIO()
    child.logfile_read = log
    answer(child, "?", "(1/6)")
    answer(child, "n")
    answer(child, "A", "(2/6)")
    status, _ = finish(child)
    assert status == 0
    return log.getvalue()


def test_a_terminal_gets_colour_by_default(project: Project) -> None:
    output = _whole_session(project)
    assert "\x1b[31m-        .create()\x1b[0m" in output
    assert "\x1b[32m+        .retentionPolicy('downsampled')\x1b[0m" in output


def test_no_color_output_has_no_escape_sequences(project: Project) -> None:
    output = _whole_session(project, NO_COLOR="1")
    assert "\x1b" not in output
    assert "-        .create()" in output and "review done: 5 applied" in output


def test_color_never_output_has_no_escape_sequences(project: Project) -> None:
    output = _whole_session(project, "--color", "never")
    assert "\x1b" not in output
    assert "+        .retentionPolicy('downsampled')" in output


def test_interactive_is_refused_without_a_terminal(project: Project) -> None:
    result = project.run("-i")  # standard input from /dev/null
    assert result.returncode == 2
    assert "--interactive needs a terminal, and standard input is not one" in result.stderr
    assert result.stdout == ""
    assert project.alpha.read_bytes() == project.original("alpha.tick")
    assert project.beta.read_bytes() == project.original("beta.tick")
    assert not project.decisions_file.exists()


def test_options_that_do_not_go_with_the_review(project: Project) -> None:
    combined = project.run("-i", "--write")
    assert combined.returncode == 2
    assert "cannot be combined with --write" in combined.stderr
    alone = project.run()  # --decisions without -i or --check
    assert alone.returncode == 2
    assert "--decisions without --interactive goes with --check" in alone.stderr
