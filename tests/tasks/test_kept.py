"""The task model a run keeps (tickmig.tasks.kept): without the syntax tree, yet everything the
migration model, the proof and the report read from it is what the full model gives."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tests.conftest import CORPUS, FIXTURES, _require_corpus
from tickmig.diagnostics import Diagnostic, Location, Severity
from tickmig.engine.checker import Checker, check_paths
from tickmig.engine.define_checks import refusals
from tickmig.engine.suppression import suppress
from tickmig.mappings import embedded_default
from tickmig.model.flows import ModelInputs, build_model
from tickmig.report.facts import clusters, flux_tasks, stream_inputs
from tickmig.report.uses import definitions_for, resolve_pairs, task_uses
from tickmig.tasks.kept import kept
from tickmig.tasks.model import Task
from tickmig.tasks.workspace import Workspace, load_workspace
from tickmig.tickscript.nodes import Call, Node, Script

LOAD_DIR = FIXTURES / "migration" / "kapacitor"


def full_tasks(workspace: Workspace) -> list[Task]:
    """Each script's full task model (as the rules see it), and the defined tasks."""
    checker = Checker(embedded_default("oss"), set())
    tasks = []
    for path in workspace.scripts:
        _result, task = checker.check(workspace.source(path))
        if task is not None:
            tasks.append(task)
    defined = check_paths(workspace, checker, keep_tasks=True).tasks
    return tasks + [t for t in defined if t.definition is not None]


def derived(tasks: list[Task], workspace: Workspace) -> dict[str, object]:
    """What the report and the model take from the task models."""
    mappings = embedded_default("oss")
    model = build_model(ModelInputs(tasks, mappings, "org"))
    pairs, _res, loopback = resolve_pairs(tasks, mappings, {})
    definitions = definitions_for(tasks, workspace)
    return {
        "flows": model.flows,
        "unseen": model.unseen,
        "pairs": pairs,
        "uses": [task_uses(t) for t in tasks],
        "kinds": [t.kind for t in tasks],
        "deliveries": [t.delivery for t in tasks if t.type != "invalid"],
        "refusals": [refusals(t) for t in tasks],
        "stream_inputs": stream_inputs(tasks, definitions, loopback),
        "clusters": clusters(tasks),
        "flux": flux_tasks(tasks),
    }


def trees(task: Task) -> list[Node]:
    """Every node of the kept model that hangs below another (a call's arguments)."""
    calls = [n.call for n in task.nodes if n.call is not None]
    calls += [p for n in task.nodes for p in n.properties]
    return [a for c in calls for a in c.args]


def check_same(root: Path) -> list[Task]:
    workspace = load_workspace([str(root)])
    full = full_tasks(workspace)
    slim = [kept(t) for t in full]
    assert derived(slim, workspace) == derived(full, workspace)
    return slim


def test_the_load_directory_gives_the_same_model_and_report_facts() -> None:
    slim = check_same(LOAD_DIR)
    assert any(t.definition for t in slim)
    assert stream_inputs(slim, {}, set())  # something to compare: stream tasks with inputs


def test_a_flux_task_keeps_its_cluster(tmp_path: Path) -> None:
    (tmp_path / "flux.tick").write_text(
        'dbrp "telegraf"."autogen"\n'
        "batch\n    |queryFlux('from(bucket: \"telegraf/autogen\")')\n"
        "        .cluster('east')\n        .period(1m)\n    |log()\n",
        encoding="utf-8",
    )
    slim = check_same(tmp_path)
    assert list(flux_tasks(slim).values()) == ["east"]


def test_the_corpus_gives_the_same_model_and_report_facts() -> None:
    _require_corpus()
    slim = check_same(CORPUS)
    assert len(slim) > 500


def test_a_kept_task_has_no_tree_and_keeps_identity() -> None:
    src = """
dbrp "telegraf"."autogen"
// tickmig: ignore[TM130]
var data = stream
    |from()
        .measurement('cpu')
        .where(lambda: "host" == 'a' AND "cpu" != 'total')
    |window()
        .period(5m)
data
    |mean('usage_idle')
    |influxDBOut()
        .database('out')
        .retentionPolicy('autogen')
"""
    checker = Checker(embedded_default("oss"), set())
    from tickmig.text.source import SourceFile

    _result, task = checker.check(SourceFile("t.tick", src, False, "\n"))
    assert task is not None
    slim = kept(task)
    assert isinstance(slim.script, Script) and slim.script.statements == ()
    assert slim.script.tokens == ()
    assert [n.name for n in slim.nodes] == [n.name for n in task.nodes]
    # only the properties readers need, with their leaf arguments; no expression trees
    from_node = next(n for n in slim.nodes if n.name == "from")
    assert [p.name for p in from_node.properties] == ["measurement"]
    assert all(type(a) is not Node or a.end > a.start for a in trees(slim))
    assert not any(isinstance(a, Call) for a in trees(slim))
    # the same call in the full model is the same object in the kept one
    (read,) = [u for u in slim.reads if u.via == "from"]
    assert read.node is from_node.call
    (write,) = slim.writes
    out = next(n for n in slim.nodes if n.name == "influxDBOut")
    assert write.node is out.call
    # what only fixes read is empty, and cannot be filled by mistake
    assert not slim.var_refs and not slim.dbrp_arguments and not slim.query_arguments
    with pytest.raises(AttributeError):
        slim.dbrp_arguments.add(1)
    assert pickle.loads(pickle.dumps(slim)) == slim
    # a finding made from the kept model is silenced as one made from the full model
    finding = Diagnostic(
        "TM130", "flow-does-not-land", "m", Severity.ERROR, Location("t.tick", 9, 9, 3, 1, 3, 2)
    )
    assert suppress([finding], {"t.tick": task.script}) == []
    assert suppress([finding], {"t.tick": slim.script}) == []
    # the full model is left as it was
    assert task.script.statements and task.nodes[1].properties


def test_a_run_keeping_tasks_keeps_them_without_trees() -> None:
    run = check_paths(
        load_workspace([str(LOAD_DIR)]), Checker(embedded_default("oss"), set()), keep_tasks=True
    )
    scripts = [t for t in run.tasks if t.definition is None]
    assert scripts and all(t.script.statements == () for t in scripts)
