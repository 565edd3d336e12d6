"""The text format: headers, the underlined source line, help and note lines, the summary."""

from __future__ import annotations

import pytest

from tickmig.diagnostics import (
    Applicability,
    Diagnostic,
    Edit,
    FileResult,
    Fix,
    Location,
    Severity,
)

from .cases import render, span

A = Applicability


def _problem(
    source: str, needle: str, *, fix: Applicability | None = None, path: str = "t.tick"
) -> Diagnostic:
    loc = span(path, source, needle)
    edits = (Edit(path, loc.start, loc.end, "x"),)
    return Diagnostic(
        "TM101",
        "dbrp-renamed",
        "renamed",
        Severity.WARNING,
        loc,
        None if fix is None else Fix("Use x", edits, fix),
    )


def _text(*diagnostics: Diagnostic, source: str | None = None, path: str = "t.tick") -> str:
    return render("text", [FileResult(path, list(diagnostics), source=source)])


@pytest.mark.parametrize(
    ("fixes", "summary"),
    [
        ([None], "Found 1 problem in 1 file."),
        ([A.SAFE, A.SAFE], "Found 2 problems in 1 file (2 fixable by tickmig migrate)."),
        ([A.UNSAFE], "Found 1 problem in 1 file (1 fixable by tickmig migrate --unsafe-fixes)."),
        (
            [A.SAFE, A.UNSAFE, A.DISPLAY_ONLY],
            "Found 3 problems in 1 file"
            " (1 fixable by tickmig migrate; 1 more with --unsafe-fixes).",
        ),
        ([A.DISPLAY_ONLY], "Found 1 problem in 1 file."),
    ],
)
def test_summary_counts_problems_and_fixes(fixes: list[Applicability | None], summary: str) -> None:
    source = "abc\n"
    out = _text(*(_problem(source, "b", fix=fix) for fix in fixes), source=source)
    assert out.endswith("\n\n" + summary + "\n")


def test_summary_counts_files_with_problems() -> None:
    assert render("text").endswith(
        "\nFound 6 problems in 2 files (2 fixable by tickmig migrate;"
        " 1 more with --unsafe-fixes).\n"
    )


def test_header_marks_safe_fixes_only_and_help_tells_about_unsafe_ones() -> None:
    source = "abc\n"
    safe = _text(_problem(source, "b", fix=A.SAFE), source=source).splitlines()
    unsafe = _text(_problem(source, "b", fix=A.UNSAFE), source=source).splitlines()
    shown = _text(_problem(source, "b", fix=A.DISPLAY_ONLY), source=source).splitlines()
    assert safe[0] == "t.tick:1:2: TM101 [*] renamed"
    assert unsafe[0] == shown[0] == "t.tick:1:2: TM101 renamed"
    assert "help: Use x" in safe
    assert "help: Use x (unsafe fix available with --unsafe-fixes)" in unsafe
    assert "help: Use x" in shown


def test_excerpt_underlines_the_span() -> None:
    source = 'dbrp "telegraf"."autogen"\n'
    out = _text(_problem(source, '"telegraf"'), source=source)
    assert out == (
        "t.tick:1:6: TM101 renamed\n"
        "  |\n"
        '1 | dbrp "telegraf"."autogen"\n'
        "  |      ^^^^^^^^^^\n"
        "  |\n"
        "\n"
        "Found 1 problem in 1 file.\n"
    )


def test_tabs_and_wide_characters_keep_the_carets_under_the_span() -> None:
    source = "\tx\t= '漢字' + bad\n"
    lines = _text(_problem(source, "bad"), source=source).splitlines()
    assert lines[2] == "1 |     x   = '漢字' + bad"
    # Before "bad" the terminal shows 4 (tab) + 1 ("x") + 3 (tab to the next stop at 8)
    # + 3 ("= '") + 4 (two wide characters) + 4 ("' + ") = 19 cells.
    assert lines[3] == "  | " + " " * 19 + "^^^"


def test_control_characters_in_the_source_line_are_shown_not_sent() -> None:
    source = "var s = '\x1b[31mred'\n"
    out = _text(_problem(source, "red"), source=source)
    assert "\x1b" not in out
    assert "1 | var s = '␛[31mred'" in out


def test_an_empty_span_gets_one_caret() -> None:
    at_start = Location("t.tick", 0, 0, 1, 1, 1, 1)
    diagnostic = Diagnostic("TM201", "mixed-task-type", "mixed", Severity.ERROR, at_start)
    assert "1 | stream\n  | ^\n" in _text(diagnostic, source="stream\n")


def test_no_excerpt_without_the_source_or_for_another_file() -> None:
    source = "abc\n"
    without_source = _text(_problem(source, "b"), source=None)
    other_file = _text(_problem(source, "b", path="task.yaml"), source=source)
    for out in (without_source, other_file):
        assert "|" not in out
        assert out.splitlines()[1] == ""


def test_multi_line_messages_and_notes() -> None:
    lines = render("text").splitlines()
    tm103 = lines.index(
        'tasks/cpu_alert.tick:18:20: TM103 no DBRP mapping for "telegraf"."one_month":'
        ' 100% of writes would fail (404, "database not found")'
    )
    assert lines[tm103 + 1] == "  mapped retention policies: autogen, one_week"
    assert "note: split it into one stream task and one batch task" in lines


def test_a_span_over_several_lines_is_underlined_to_the_end_of_its_first_line() -> None:
    lines = render("text").splitlines()
    at = lines.index("4 | var data = stream")
    assert lines[at + 1] == "  |            ^^^^^^"
