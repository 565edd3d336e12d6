"""Issue 10: the report's DBRP table shows each DBRP as it is today AND as it resolves after
the plan and the actions (what the proof sees), so "missing" is never the last word for a
mapping the commands create; and it agrees with the proof's flows."""

from __future__ import annotations

import pytest

from .cases import report_json, run


def test_a_missing_pair_the_actions_map_shows_mapped_after() -> None:
    doc = report_json()
    rows = {p["label"]: p for p in doc["dbrps"]}
    derived = rows['"derived"."autogen"']
    assert derived["status"] == "missing"
    assert derived["after"] == {
        "dbrp": {"database": "derived", "retention_policy": "autogen"},
        "status": "exact",
        "bucket": "derived/autogen",
    }
    # The renamed pair: after the plan the scripts use "web"."autogen".
    assert rows['"pages"."autogen"']["after"]["dbrp"] == {
        "database": "web",
        "retention_policy": "autogen",
    }


def test_the_table_agrees_with_the_proof() -> None:
    doc = report_json()
    after = {
        (p["after"]["dbrp"]["database"], p["after"]["dbrp"]["retention_policy"]): p["after"]
        for p in doc["dbrps"]
        if p["after"] is not None
    }
    checked = 0
    for flow in doc["flows"]:
        key = (flow["dbrp"]["database"], flow["dbrp"]["retention_policy"])
        if flow["kind"] not in ("write", "batch-read") or key not in after:
            continue
        row = after[key]
        assert flow["lands"] == (row["status"] != "missing"), (flow, row)
        if flow["lands"]:
            assert flow["landing"] == f'bucket "{row["bucket"]}"', (flow, row)
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize(
    ("output_format", "shown"),
    [
        ("markdown", "| after the plan and actions |"),
        ("html", "<th>after the plan and actions</th>"),
        (
            "text",
            '"derived"."autogen": missing (written by 1 task); after the plan and actions: '
            "mapped (exact) -> derived/autogen",
        ),
    ],
)
def test_every_format_shows_the_status_after_the_actions(output_format: str, shown: str) -> None:
    proc, _ = run(output_format)
    assert shown in " ".join(proc.stdout.split())
