"""Over every script Kapacitor accepts, with a plan that renames every DBRP found: the output
parses, every byte outside the rewritten values is unchanged, a second run changes nothing."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.conftest import corpus_oracle, corpus_text
from tickmig.engine.checker import Checker
from tickmig.engine.fixer import migrate
from tickmig.mappings import MappingSet, Rename
from tickmig.rules import select
from tickmig.tasks.analysis import analyse
from tickmig.tasks.workspace import Workspace
from tickmig.text.source import decode
from tickmig.tickscript.parser import parse


def rename_everything(texts: dict[str, str]) -> MappingSet:
    pairs = set()
    for name, text in texts.items():
        for use in analyse(parse(text), name).uses():
            if use.database.text and use.retention_policy.text:
                pairs.add((use.database.text, use.retention_policy.text))
    renames = tuple(
        Rename(db, rp, db + "_v2", rp + "_v2", None, "test plan")
        for db, rp in sorted(pairs)
        if "/" not in db + rp and db and rp and db not in (".", "..")
    )
    return MappingSet((), (), renames, "oss", "test plan", from_server=False)


def test_renaming_every_dbrp_of_the_corpus(corpus_dir: Path) -> None:
    texts = {row["file"]: corpus_text(row["file"]) for row in corpus_oracle() if row["ok"]}
    mappings = rename_everything(texts)
    assert len(mappings.renames) > 10
    checker = Checker(mappings, select())
    changed = 0
    for name, text in texts.items():
        source = decode(name, text.encode("utf-8"))
        result = migrate(Workspace.of_texts([source]), checker)
        assert not result.failed, (name, result.failed)
        change = result.changes.get(name)
        if change is None or not change.changed:
            continue
        changed += 1
        new = change.text
        parse(new)
        task = analyse(parse(text), name)
        allowed = [
            (v.start, v.end)
            for u in task.uses()
            for v in (u.database, u.retention_policy)
            if v.path == name
        ]
        for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(
            None, text, new, autojunk=False
        ).get_opcodes():
            if tag != "equal":
                assert any(s <= i1 and i2 <= e for s, e in allowed), (name, tag, i1, i2)
        again = migrate(Workspace.of_texts([decode(name, new.encode())]), checker)
        second = again.changes.get(name)
        assert second is None or not second.changed, name
    assert changed > 50
