"""`migrate --annotate` above statements that already have a comment (every guide's scripts do):
Kapacitor's lexer reads consecutive comment lines as one comment, so the TODO joins it; the
safety net compares comment lines, and the original comment stays byte for byte."""

from __future__ import annotations

from pathlib import Path

from tickmig.engine.checker import Checker
from tickmig.engine.fixer import migrate
from tickmig.mappings import load_mapping_file
from tickmig.rules import select
from tickmig.tasks.workspace import Workspace
from tickmig.text.source import decode
from tickmig.tickscript.parser import parse

SCRIPT = """dbrp "telegraf"."autogen"

// write the hourly mean
// to the archive
stream
    |from()
        .measurement('cpu')
    |influxDBOut()
        .database('archive')
        .retentionPolicy('autogen')
"""


def test_a_todo_goes_below_the_comment_above_the_statement() -> None:
    dbrps = Path(__file__).resolve().parents[2] / "fixtures/migration/mappings/dbrps.json"
    mappings = load_mapping_file(str(dbrps), target="oss")
    source = decode("a.tick", SCRIPT.encode())
    result = migrate(Workspace.of_texts([source]), Checker(mappings, select()), annotate=True)
    assert result.failed == {}
    new = result.changes["a.tick"].text
    head, todo, rest = new.partition("// TICKMIG-TODO(")
    assert head.endswith("// write the hourly mean\n// to the archive\n")
    assert rest.split("\n", 1)[1].startswith("stream\n")
    assert todo and parse(new).statements[-1]
