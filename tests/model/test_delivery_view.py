"""Issue 10, "How the changes reach Kapacitor": the report says per task whether a
load-directory reload or a `kapacitor define` applies it, and which tasks lose window state
on reload, in every format (tickmig.tasks.delivery computes it)."""

from __future__ import annotations

import json

import pytest

from .cases import SCENARIO, run

TASKS = f"{SCENARIO}/kapacitor/tasks"


def test_json_carries_each_tasks_delivery() -> None:
    proc, _ = run("json")
    tasks = {t["path"]: t for t in json.loads(proc.stdout)["tasks"]}
    pages = tasks[f"{TASKS}/pages_hits.tick"]["delivery"]
    assert pages["method"] == "load-directory" and pages["commands"] == []
    assert pages["loses_window_state"] and "window" in pages["loses_state"]
    udp = tasks[f"{TASKS}/udp_alert.tick"]["delivery"]
    assert udp["method"] == "load-directory" and not udp["loses_window_state"]
    # cli_mem names no dbrp: the load directory refuses it, it is defined by command.
    cli = tasks[f"{TASKS}/cli_mem.tick"]["delivery"]
    assert cli["method"] == "define"
    assert cli["commands"] == [
        ["kapacitor", "define", "cli_mem", "-type", "stream", "-tick", f"{TASKS}/cli_mem.tick"]
    ]


@pytest.mark.parametrize(
    ("output_format", "label"),
    [("markdown", "**delivery**"), ("html", "<strong>Delivery:</strong>"), ("text", "delivery:")],
)
def test_every_format_shows_the_delivery(output_format: str, label: str) -> None:
    proc, _ = run(output_format)
    # text wraps long lines; markdown escapes "_"
    out = " ".join(proc.stdout.split()).replace("\\_", "_")
    assert out.count(label) == 6  # one per task of the scenario
    assert "loses its window state on reload: window" in out
    assert "kapacitor define cli_mem -type stream -tick" in out
