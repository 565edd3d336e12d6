"""TM130 reports the flows of a task that the migration proof says do not land, at their place
in the script; the proof itself runs over the whole deployment (tests/model/test_check.py runs
it through `tickmig check`)."""

from __future__ import annotations

from tickmig.rules.base import Context, FlowFailure
from tickmig.rules.flow_does_not_land import FlowDoesNotLand
from tickmig.tasks.analysis import analyse
from tickmig.tickscript.parser import parse

from .examples import MAPPINGS

SCRIPT = (
    'dbrp "game"."autogen"\n\nbatch\n    |query(\'SELECT max(s) FROM "game"."autogen"."s"\')\n'
    "        .period(1h).every(1h)\n    |influxDBOut().database('game')\n"
)


def context(*failures: FlowFailure) -> Context:
    task = analyse(parse(SCRIPT, "t.tick"), "t.tick")
    return Context(task, MAPPINGS, {"t.tick": SCRIPT}, flow_failures=failures)


def test_each_failing_flow_is_a_finding_at_its_node() -> None:
    start = SCRIPT.index("influxDBOut()")
    failure = FlowFailure("t.tick", start, start + len("influxDBOut()"), 'writes "game": 404')
    (found,) = FlowDoesNotLand().check(context(failure))
    assert (found.code, found.location.line, found.location.column) == ("TM130", 6, 6)
    assert found.message == 'writes "game": 404'


def test_no_failing_flow_no_finding() -> None:
    assert list(FlowDoesNotLand().check(context())) == []


def test_a_failure_in_a_file_the_task_does_not_hold_is_not_reported_here() -> None:
    failure = FlowFailure("other.tick", 0, 1, "elsewhere")
    assert list(FlowDoesNotLand().check(context(failure))) == []
