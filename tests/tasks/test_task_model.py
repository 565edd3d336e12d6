"""The task model: Kapacitor's task type rule, DBRPs read and written, value provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import corpus_oracle, corpus_text, load_jsonl
from tickmig.tasks.analysis import analyse, task_type
from tickmig.tickscript.parser import parse


def kapacitor_type(ast: dict[str, Any]) -> str:
    """services/task_store/util.go taskTypeFromProgram, applied to Kapacitor's own AST."""
    found = []
    for node in ast["Nodes"]:
        if node["node"] == "DeclarationNode":
            n = node["Right"]
        elif node["node"] == "ChainNode":
            n = node["Left"]
        else:
            continue
        while n["node"] == "ChainNode":
            n = n["Left"]
        if n["node"] == "IdentifierNode" and n["Ident"] in ("stream", "batch"):
            found.append(n["Ident"])
    if not found or len(set(found)) > 1:
        return "invalid"
    return str(found[0])


def test_task_types_agree_with_kapacitors_rule_on_the_corpus(corpus_dir: Path) -> None:
    disagree = []
    for row in load_jsonl(corpus_dir / "ORACLE_AST.jsonl"):
        mine, _ = task_type(parse(corpus_text(row["file"])))
        if mine != kapacitor_type(row["ast"]):
            disagree.append(row["file"])
    assert disagree == []


def test_every_accepted_corpus_script_is_checked_without_internal_error(
    corpus_dir: Path,
) -> None:
    from tickmig.engine.checker import Checker
    from tickmig.mappings import embedded_default
    from tickmig.rules import select
    from tickmig.text.source import decode

    checker = Checker(embedded_default(), select())
    internal = []
    for row in corpus_oracle():
        if not row["ok"]:
            continue
        source = decode(row["file"], (corpus_dir / row["file"]).read_bytes())
        result = checker.check_source(source)
        internal += [d.message for d in result.diagnostics if d.code in ("TM000", "TM001")]
    assert internal == []


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("stream|from()", "stream"),
        ("var b = batch\nb|query('x')", "batch"),
        ("var s = (stream)", "stream"),
        ("var s = stream|from()\nbatch|query('x')", "invalid"),
        ("var x = 5", "invalid"),
        ("var db string\nstream|from().database(db)", "template"),
    ],
)
def test_classification(src: str, expected: str) -> None:
    assert analyse(parse(src), "t.tick").kind == expected


SCRIPT = """\
dbrp "telegraf"."autogen"

var db = 'derived'
var rp string

batch
    |query('SELECT mean("v") FROM "telegraf"."autogen"."cpu", "telegraf".."mem", disk')
        .period(5m)
        .every(5m)
    |influxDBOut()
        .database(db)
        .retentionPolicy(rp)
        .precision('m')
        .create()
"""


def test_dbrps_read_and_written_with_their_provenance() -> None:
    task = analyse(parse(SCRIPT), "t.tick")
    assert task.type == "batch" and task.template
    (dbrp,) = task.dbrps
    assert (dbrp.database.text, dbrp.retention_policy.text) == ("telegraf", "autogen")
    reads = [
        (
            u.database.kind,
            u.database.text,
            u.retention_policy.kind,
            u.retention_policy.text,
            u.measurement,
        )
        for u in task.reads
    ]
    assert reads == [
        ("literal", "telegraf", "literal", "autogen", "cpu"),
        ("literal", "telegraf", "unset", None, "mem"),
        ("unset", None, "unset", None, "disk"),
    ]
    # offsets inside the query string point at the script text
    cpu = task.reads[0]
    assert SCRIPT[cpu.database.start : cpu.database.end] == '"telegraf"'
    (write,) = task.writes
    assert (write.database.kind, write.database.text, write.database.var) == (
        "var",
        "derived",
        "db",
    )
    assert SCRIPT[write.database.start : write.database.end] == "'derived'"
    assert (write.retention_policy.kind, write.retention_policy.var) == ("template", "rp")
    assert sorted(f.name for f in task.features) == ["create", "precision"]


def test_string_offsets_count_escapes() -> None:
    src = 'batch|query(\'SELECT * FROM "it\\\'s"."rp"."m"\')'
    task = analyse(parse(src), "t.tick")
    (read,) = task.reads
    assert src[read.retention_policy.start : read.retention_policy.end] == '"rp"'


def test_load_directory_definitions_and_vars_files() -> None:
    from tickmig.engine.checker import Checker, check_paths
    from tickmig.mappings import embedded_default
    from tickmig.tasks.workspace import load_workspace

    root = "fixtures/migration/kapacitor"
    run = check_paths(
        load_workspace([root]), Checker(embedded_default("oss"), set()), keep_tasks=True
    )
    tasks = run.tasks
    assert run.input_errors == []
    defined = {t.definition: (t.path.rsplit("/", 1)[1], t.kind) for t in tasks if t.definition}
    assert defined == {
        f"{root}/tasks/api_latency_alert.yaml": ("generic_threshold.tick", "stream"),
        f"{root}/tasks/disk_rollup_5m.json": ("batch_rollup.tick", "batch"),
        f"{root}/tasks/web_cpu_idle.yaml": ("generic_threshold.tick", "stream"),
        # no template-id: matched to the one template whose variables it fills
        f"{root}/vars/staging_mem_used.json": ("generic_threshold.tick", "stream"),
    }
    rollup = next(
        t
        for t in tasks
        if t.definition and t.definition.endswith(".json") and "tasks" in t.definition
    )
    written = [(u.database.text, u.retention_policy.text, u.database.path) for u in rollup.writes]
    assert written == [("telegraf", "one_year", f"{root}/tasks/disk_rollup_5m.json")]
