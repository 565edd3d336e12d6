"""What an `influxDBOut()` really sends (kapacitor v1.8.3 influxdb_out.go: an unset database or
retention policy is the point's own): points that pass unchanged from `from()` keep their db
and rp; batch-shaped data (batch tasks, after window or an aggregate) has an empty rp."""

from __future__ import annotations

import pytest

from tickmig.configs.model import Pair
from tickmig.model.sent import influxdbout_pairs
from tickmig.tasks.analysis import analyse
from tickmig.tickscript.parser import parse


def sent(script: str) -> list[Pair]:
    task = analyse(parse(script, "t.tick"), "t.tick")
    (use,) = [u for u in task.writes if u.via == "influxDBOut"]
    return [s.pair for s in influxdbout_pairs(task, use)]


STREAM = 'dbrp "telegraf"."autogen"\ndbrp "telegraf"."weekly"\n\nstream\n    |from()\n'


@pytest.mark.parametrize(
    "node",
    [
        "where(lambda: TRUE)",
        "eval(lambda: 1).as('x')",
        "default().field('x', 1)",
        "delete().field('x')",
        "shift(5m)",
        "log()",
    ],
)
def test_points_passed_on_unchanged_keep_their_own_rp(node: str) -> None:
    script = STREAM + f"    |{node}\n    |influxDBOut().database('derived')\n"
    assert sent(script) == [Pair("derived", "autogen"), Pair("derived", "weekly")]


def test_from_filters_which_dbrps_reach_the_node() -> None:
    script = (
        STREAM.replace("|from()", "|from().retentionPolicy('weekly')")
        + "    |influxDBOut().database('derived')\n"
    )
    assert sent(script) == [Pair("derived", "weekly")]


def test_no_database_either_sends_the_points_own_pair() -> None:
    script = STREAM + "    |influxDBOut().measurement('copy')\n"
    assert sent(script) == [Pair("telegraf", "autogen"), Pair("telegraf", "weekly")]


@pytest.mark.parametrize("node", ["window().period(1m).every(1m)", "mean('v')", "max('v')"])
def test_batch_shaped_data_has_no_rp(node: str) -> None:
    script = STREAM + f"    |{node}\n    |influxDBOut().database('derived')\n"
    assert sent(script) == [Pair("derived", None)]


def test_batch_tasks_send_no_rp() -> None:
    script = (
        'dbrp "game"."autogen"\n\nbatch\n    |query(\'SELECT max(s) FROM "game"."autogen"."s"\')\n'
        "        .period(1h).every(1h)\n    |influxDBOut().database('game')\n"
    )
    assert sent(script) == [Pair("game", None)]


def test_a_var_chain_is_followed_back_to_stream() -> None:
    script = STREAM.replace("stream\n    |from()\n", "var data = stream\n    |from()\n") + (
        "data\n    |where(lambda: TRUE)\n    |influxDBOut().database('derived')\n"
    )
    assert sent(script) == [Pair("derived", "autogen"), Pair("derived", "weekly")]


def test_an_explicit_rp_is_sent_as_is() -> None:
    script = STREAM + "    |influxDBOut().database('derived').retentionPolicy('hourly')\n"
    assert sent(script) == [Pair("derived", "hourly")]
