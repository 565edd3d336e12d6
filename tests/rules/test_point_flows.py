"""What an influxDBOut() without .retentionPolicy() really sends (tickmig.tasks.flow): points
passed on unchanged from stream|from() keep their own db/rp, batch-shaped data has an empty rp.
Kapacitor: influxdb_out.go (Point writes p.Database()/p.RetentionPolicy(), BufferedBatch writes
"", ""), edge/messages.go (ShallowCopy keeps them, NewPointMessage(name, "", "", ...) clears)."""

from __future__ import annotations

from tickmig.diagnostics import Applicability, Diagnostic
from tickmig.engine.checker import Checker
from tickmig.mappings import MappingSet, Rename
from tickmig.tasks.analysis import analyse
from tickmig.tasks.flow import EMPTIES, KEEPS, point_pairs, written_pairs
from tickmig.text.edits import apply_edits
from tickmig.text.source import decode
from tickmig.tickscript.parser import parse

from .test_rules import SERVER, check

PASS_THROUGH = (
    'dbrp "telegraf"."autogen"\n'
    "stream\n"
    "    |from()\n"
    "        .measurement('system')\n"
    '    |where(lambda: "n_cpus" > 0)\n'
    '    |eval(lambda: "load1" / "n_cpus")\n'
    "        .as('per_core')\n"
    "    |default()\n"
    "        .field('per_core', 0.0)\n"
    "    |influxDBOut()\n"
    "        .database('derived')\n"
)


def writes(src: str) -> list[tuple[str, tuple[str, ...], list[tuple[str, str | None]]]]:
    task = analyse(parse(src, "t.tick"), "t.tick")
    return [
        (
            w.points.kind if w.points else "-",
            w.points.path if w.points else (),
            written_pairs(task, w),
        )
        for w in task.writes
    ]


def test_points_passed_on_unchanged_keep_the_writers_retention_policy() -> None:
    ((kind, path, pairs),) = writes(PASS_THROUGH)
    assert kind == "point"
    assert path == ("stream", "from", "where", "eval", "default", "influxDBOut")
    assert pairs == [("derived", "autogen")]


def test_no_false_alarm_where_the_points_own_pair_is_mapped() -> None:
    # "derived" has no default mapping, but the write goes to "derived"."autogen", which exists
    assert check(PASS_THROUGH, "TM113", "TM101") == []


def test_a_missed_404_a_write_to_a_pair_nobody_maps_is_reported() -> None:
    # "solo" has only "weekly": the points carry "autogen", so the write gets 404
    src = PASS_THROUGH.replace("'derived'", "'solo'")
    ((code, where, message),) = check(src, "TM113", "TM101")
    assert (code, where) == ("TM101", "'solo'")
    assert '"solo"."autogen"' in message


def test_after_window_and_an_aggregate_the_rp_is_empty() -> None:
    src = PASS_THROUGH.replace(
        "    |default()\n", "    |window()\n        .period(1m)\n    |mean('per_core')\n"
    ).replace("        .field('per_core', 0.0)\n", "")
    ((kind, path, pairs),) = writes(src)
    assert (kind, path[-3:], pairs) == (
        "empty",
        ("window", "mean", "influxDBOut"),
        [("derived", None)],
    )
    ((code, where, _message),) = check(src, "TM113", "TM101")
    assert (code, where) == ("TM113", "'derived'")
    (diagnostic,) = findings(src, "TM113")
    assert "|window() builds new points or batches" in diagnostic.notes[-1]
    assert diagnostic.notes[-1].endswith("stream|from|where|eval|window|mean|influxDBOut")


def findings(src: str, code: str, mappings: MappingSet = SERVER) -> list[Diagnostic]:
    result = Checker(mappings, {code}).check_source(decode("t.tick", src.encode()))
    return result.sorted()


def test_batch_tasks_write_an_empty_rp() -> None:
    src = (
        'dbrp "telegraf"."autogen"\n'
        'batch|query(\'SELECT mean("x") FROM "telegraf"."autogen"."cpu"\')'
        ".period(1m).every(1m)|influxDBOut().database('derived')"
    )
    assert writes(src)[0][0] == "empty"
    assert [c for c, *_ in check(src, "TM113")] == ["TM113"]


def test_a_var_holding_the_stream_is_followed() -> None:
    src = (
        'dbrp "telegraf"."autogen"\n'
        "var data = stream|from().measurement('cpu')|where(lambda: TRUE)\n"
        "data|shift(1h)|influxDBOut().database('derived')\n"
        "data|join(data).as('a', 'b')|influxDBOut().database('derived')\n"
    )
    assert [(k, p) for k, _path, p in writes(src)] == [
        ("point", [("derived", "autogen")]),
        ("empty", [("derived", None)]),
    ]


def test_a_union_of_both_shapes_is_mixed_and_reported() -> None:
    src = (
        'dbrp "telegraf"."autogen"\n'
        "var raw = stream|from().measurement('cpu')\n"
        "var agg = raw|window().period(1m)|mean('usage')\n"
        "raw|union(agg)|influxDBOut().database('derived')\n"
    )
    ((kind, _path, pairs),) = writes(src)
    assert kind == "mixed" and pairs == [("derived", "autogen"), ("derived", None)]
    assert [c for c, *_ in check(src, "TM113")] == ["TM113"]


def test_a_udf_is_not_followed_and_keeps_the_conservative_reading() -> None:
    src = PASS_THROUGH.replace("    |default()\n", "    @myFunc()\n")
    (kind, _path, pairs) = writes(src)[0]
    assert kind == "unknown" and pairs == [("derived", None)]


def test_from_filters_choose_which_declared_pairs_reach_the_write() -> None:
    src = (
        'dbrp "telegraf"."autogen"\ndbrp "telegraf"."one_month"\n'
        "stream|from().retentionPolicy('one_month')|influxDBOut().database('derived')\n"
        "stream|from()|influxDBOut().database('derived')\n"
    )
    task = analyse(parse(src, "t.tick"), "t.tick")
    assert [point_pairs(task, w) for w in task.writes] == [
        [("derived", "one_month")],
        [("derived", "autogen"), ("derived", "one_month")],
    ]


def test_a_plan_rename_of_the_written_pair_applies() -> None:
    plan = MappingSet(
        SERVER.mappings,
        SERVER.buckets,
        (Rename("derived", "autogen", "derived", "hourly", None, "plan.toml"),),
        "oss",
        "test",
    )
    (rename,) = findings(PASS_THROUGH, "TM120", plan)
    assert rename.fix is not None and rename.fix.applicability is Applicability.SAFE
    out = apply_edits(PASS_THROUGH, sorted(rename.fix.edits, key=lambda e: e.start))
    assert out == PASS_THROUGH.replace(
        "        .database('derived')\n",
        "        .database('derived')\n        .retentionPolicy('hourly')\n",
    )
    ((code, _where, message),) = check(PASS_THROUGH, "TM120", mappings=plan)
    assert code == "TM120" and '"derived"."autogen" to "derived"."hourly"' in message


def test_every_kapacitor_chain_method_is_classified() -> None:
    # the chaining methods of kapacitor pipeline/*.go (`func (n *chainnode) X(`) plus the
    # node methods deadman/stats, and the batch source query
    methods = [
        "Count",
        "Distinct",
        "Mean",
        "Median",
        "Mode",
        "Spread",
        "Sum",
        "First",
        "Last",
        "Min",
        "Max",
        "Percentile",
        "Top",
        "Bottom",
        "Stddev",
        "Elapsed",
        "Difference",
        "MovingAverage",
        "HoltWinters",
        "HoltWintersWithFit",
        "CumulativeSum",
        "Where",
        "HttpOut",
        "HttpPost",
        "Alert",
        "Union",
        "Join",
        "Combine",
        "Flatten",
        "Eval",
        "GroupBy",
        "Window",
        "Barrier",
        "Sample",
        "Derivative",
        "ChangeDetect",
        "Shift",
        "Log",
        "Default",
        "Delete",
        "K8sAutoscale",
        "SwarmAutoscale",
        "Ec2Autoscale",
        "StateDuration",
        "StateCount",
        "Sideload",
        "Trickle",
        "Deadman",
        "Stats",
        "Query",
        "From",
    ]
    assert [m for m in methods if m not in KEEPS | EMPTIES] == []
    assert KEEPS.isdisjoint(EMPTIES)
