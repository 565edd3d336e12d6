"""The github format: every line is a GitHub Actions annotation command, with properties and
message escaped as the Actions toolkit does, so that they decode back to what was reported."""

from __future__ import annotations

import re

import pytest

from tickmig.diagnostics import Diagnostic, FileResult, Location, Severity
from tickmig.output.render_github import escape_data, escape_property

from .cases import render

# `::KIND key=value,key=value::message`; an escaped value has no `,` `:` CR or LF left and an
# escaped message no CR or LF.
ANNOTATION = re.compile(
    r"::(?P<kind>error|warning|notice) (?P<props>[^:\r\n]+)::(?P<message>[^\r\n]*)"
)
PROPERTY = re.compile(r"(?P<key>file|line|col|endLine|endColumn|title)=(?P<value>[^,:\r\n]*)")
NUMERIC = {"line", "col", "endLine", "endColumn"}


def _unescape(text: str) -> str:
    for escaped, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def _parse(out: str) -> list[tuple[str, dict[str, str], str]]:
    annotations = []
    for line in out.splitlines():
        match = ANNOTATION.fullmatch(line)
        assert match, line
        props = {}
        for prop in match["props"].split(","):
            pm = PROPERTY.fullmatch(prop)
            assert pm, prop
            assert pm["key"] not in props
            props[pm["key"]] = _unescape(pm["value"])
            if pm["key"] in NUMERIC:
                assert int(pm["value"]) >= 1
        annotations.append((match["kind"], props, _unescape(match["message"])))
    return annotations


def test_every_line_is_an_annotation_command() -> None:
    out = render("github")
    assert out.endswith("\n")
    annotations = _parse(out)
    assert [(kind, props["title"]) for kind, props, _ in annotations] == [
        ("warning", "TM101 dbrp-renamed"),
        ("notice", "TM301 stream-without-subscriptions"),
        ("warning", "TM305 alert-tag-not-grouped"),
        ("warning", "TM102 influxdbout-database-renamed"),
        ("error", "TM103 unmapped-retention-policy"),
        ("error", "TM201 mixed-task-type"),
    ]


def test_messages_decode_to_the_message_help_and_notes() -> None:
    _, props, message = _parse(render("github"))[4]
    assert props == {
        "file": "tasks/cpu_alert.tick",
        "line": "18",
        "col": "20",
        "endLine": "18",
        "endColumn": "31",
        "title": "TM103 unmapped-retention-policy",
    }
    assert message == (
        'no DBRP mapping for "telegraf"."one_month": 100% of writes would fail'
        ' (404, "database not found")\n'
        "mapped retention policies: autogen, one_week\n"
        "help: Write to 'autogen' instead; cpu_alerts then keeps its points forever"
        " (unsafe fix available with --unsafe-fixes)"
    )


def test_columns_are_left_out_for_a_span_over_several_lines() -> None:
    _, props, _ = _parse(render("github"))[1]
    assert props["line"] == "4"
    assert props["endLine"] == "5"
    assert "col" not in props
    assert "endColumn" not in props


def test_properties_with_delimiters_round_trip() -> None:
    path = "tasks/50%,cpu:alerts.tick"
    loc = Location(path, 0, 6, 1, 1, 1, 7)
    message = "a: b, 100%\r\nnext"
    diagnostic = Diagnostic("TM101", "dbrp-renamed", message, Severity.WARNING, loc)
    out = render("github", [FileResult(path, [diagnostic])])
    assert out.count("\n") == 1
    ((kind, props, decoded),) = _parse(out)
    assert kind == "warning"
    assert props["file"] == path
    assert decoded == message
    assert "file=tasks/50%25%2Ccpu%3Aalerts.tick," in out
    assert out.endswith("::a: b, 100%25%0D%0Anext\n")


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("one\r\ntwo", "one%0D%0Atwo", "one%0D%0Atwo"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop
