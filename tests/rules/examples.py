"""What the rule tests share: the example mappings every rule example is checked against (the
mappings the rule docstrings describe), a rule's findings on a script, the script `tickmig
migrate` makes of it with that rule alone (in-process, through the fixer and its safety net),
and the examples of a rule's docstring.

The example mappings, as InfluxDB 2 would list them: `"telegraf"."autogen"` (the default of
`telegraf`), `"telegraf"."one_month"`, `"derived"."autogen"` and `"derived"."hourly"` (neither
the default), and a plan that renames `"telegraf"."one_year"` to `"telegraf"."downsampled"`.
Every other pair has no mapping. An example for InfluxDB 3 (```tick target=v3-core) is
checked against that target instead, which has no DBRP mappings at all; with `influx3=a,b`
against a live InfluxDB 3 (`--influx3-url`) that lists the databases `a` and `b`. A mapping
plan in the example (```toml plan.toml) is added to the example mappings."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from tickmig.cli.check import flow_findings
from tickmig.diagnostics import Diagnostic
from tickmig.engine.checker import Checker, check_paths
from tickmig.engine.fixer import migrate
from tickmig.mappings import Mapping, MappingSet, Rename, combine
from tickmig.mappings.influx3 import ORIGIN_PREFIX
from tickmig.mappings.model import Database, SourceRetentionPolicy
from tickmig.mappings.plan import parse_plan
from tickmig.rules.base import Rule
from tickmig.settings import Settings
from tickmig.targets import parse_target
from tickmig.tasks.workspace import Workspace, load_workspace
from tickmig.text.source import BOM, SourceFile, decode

PATH = "example.tick"


def _mapping(db: str, rp: str, default: bool = False) -> Mapping:
    return Mapping(
        db, rp, f"id-{db}-{rp}", f"{db}/{rp}", default, False, "acme", f"m-{db}-{rp}", "example"
    )


MAPPINGS = MappingSet(
    mappings=(
        _mapping("telegraf", "autogen", default=True),
        _mapping("telegraf", "one_month"),
        _mapping("derived", "autogen"),
        _mapping("derived", "hourly"),
    ),
    buckets=(),
    renames=(Rename("telegraf", "one_year", "telegraf", "downsampled", None, "plan.toml"),),
    target="oss",
    origin="example",
)


#: An example's mapping plan, a file of its own: ```toml plan.toml.
PLAN = "plan.toml"


def mappings_for(target: str | None, plan: str | None = None) -> MappingSet:
    """The example mappings, or (for another target) none on that target; `target` may add
    the Kapacitor version (`v3-core kapacitor=1.7.5`), the databases a live InfluxDB 3
    lists (`v3-core influx3=telegraf,derived`), the Cloud plan (`cloud plan=free`) and the
    1.x durations of retention policies (`v1=telegraf.one_year:8760h0m0s,...`). A `plan`
    (TOML) is added to them."""
    if target is None:
        found = MAPPINGS
    else:
        name, *words = target.split()
        options = dict(word.split("=", 1) for word in words)
        profile = parse_target(
            name, kapacitor_version=options.get("kapacitor"), cloud_plan=options.get("plan")
        )
        inventory = tuple(
            SourceRetentionPolicy(*pair.split(".", 1), duration, False, "example")
            for pair, _, duration in (
                item.partition(":") for item in options.get("v1", "").split(",") if item
            )
        )
        found = MappingSet((), (), (), profile, "example", from_server=False, inventory=inventory)
        if "influx3" in options:
            origin = f"{ORIGIN_PREFIX} http://influxdb3.example:8181/"
            databases = [Database(n, None, origin) for n in options["influx3"].split(",")]
            found = MappingSet((), (), (), profile, origin, databases=tuple(databases))
    if plan is None:
        return found
    return combine([found, parse_plan(tomlkit.parse(plan).unwrap(), plan, PLAN)])


def source(text: str, *, bom: bool = False) -> SourceFile:
    return decode(PATH, (BOM if bom else "").encode() + text.encode("utf-8"))


def findings(
    code: str, text: str, *, bom: bool = False, target: str | None = None, plan: str | None = None
) -> list[Diagnostic]:
    """The findings of rule `code` alone on the script, checked as `tickmig check` does (the
    migration proof's TM130 findings too)."""
    checker = Checker(mappings_for(target, plan), {code})
    workspace = Workspace.of_texts([source(text, bom=bom)])
    run = check_paths(workspace, checker)
    flow_findings(workspace, checker, Settings(), run)
    return sorted(run.diagnostics(), key=Diagnostic.sort_key)


def migrated(code: str, text: str, *, unsafe: bool = False, target: str | None = None) -> str:
    """The script as `tickmig migrate` leaves it with rule `code` alone (nothing written)."""
    checker = Checker(mappings_for(target), {code})
    result = migrate(Workspace.of_texts([source(text)]), checker, unsafe=unsafe)
    assert result.failed == {}, result.failed
    change = result.changes.get(PATH)
    return change.text if change is not None else text


@dataclass(frozen=True)
class Example:
    text: str
    bom: bool
    #: The file's place in a Kapacitor load directory, when the example is one.
    path: str | None = None
    #: The --target the example is checked against (`target=v3-core`), when not the default.
    target: str | None = None
    #: The mapping plan the example is checked with (a ```toml plan.toml block before it).
    plan: str | None = None

    @property
    def checked_with(self) -> dict[str, Any]:
        """The keyword arguments of `findings` for this example."""
        return {"bom": self.bom, "target": self.target, "plan": self.plan}


FENCE = re.compile(
    r"^```(?P<lang>tick|yaml|json|toml)(?P<options>[^\n]*)\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


def example_section(rule: type[Rule]) -> tuple[str, str]:
    """The docstring's `## Example` section, before and after `Use instead` ("" when none)."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    match = re.search(r"^## Example\n(.*?)(?=^## |\Z)", doc, re.MULTILINE | re.DOTALL)
    before, _, after = match.group(1).partition("Use instead") if match else ("", "", "")
    return before, after


def examples(rule: type[Rule]) -> tuple[list[Example], list[Example]]:
    """The code blocks of the docstring's `## Example` section: those before `Use instead`
    (each must fire) and those after it (none may). A block is a whole script (```tick), one
    stored with a UTF-8 byte order mark (```tick bom), checked against another target (```tick
    target=v3-core, with `kapacitor=1.7.5` for a Kapacitor version, `influx3=a,b` for the
    databases of a live InfluxDB 3, `plan=free` for a Cloud plan and `v1=db.rp:720h0m0s,...`
    for 1.x retention durations), or a file of a load directory, named after the language
    (```tick templates/cpu.tick, ```yaml tasks/cpu.yaml): the files of one side then make one
    load directory, checked together. A mapping plan (```toml plan.toml) is not an example:
    the examples after it on its side are checked with it."""
    before, after = example_section(rule)

    def blocks(part: str) -> list[Example]:
        out = []
        plan = None
        for m in FENCE.finditer(part):
            options = m.group("options").split()
            paths = [o for o in options if "=" not in o and ("/" in o or "." in o)]
            if paths == [PLAN]:
                plan = m.group("body")
                continue
            target = next((o[len("target=") :] for o in options if o.startswith("target=")), None)
            if target is not None:
                extra = [
                    o for o in options if o.startswith(("kapacitor=", "influx3=", "plan=", "v1="))
                ]
                target = " ".join([target, *extra])
            out.append(
                Example(
                    m.group("body"), "bom" in options, paths[0] if paths else None, target, plan
                )
            )
        return out

    return blocks(before), blocks(after)


#: A finding quoted in a docstring: `TMnnn message` (it may wrap over lines).
QUOTED = re.compile(r"`(TM\d{3} [^`]+)`")


def reported(rule: type[Rule]) -> list[str]:
    """The findings the `## Example` section quotes before `Use instead`, white space folded
    (each must be what tickmig reports for the examples)."""
    before, _ = example_section(rule)
    return [" ".join(q.split()) for q in QUOTED.findall(FENCE.sub("", before))]


def load_directory_findings(code: str, files: list[Example], root: Path) -> list[Diagnostic]:
    """The findings of rule `code` alone on a load directory made of the example files (on
    the target the first of them names)."""
    for example in files:
        assert example.path is not None
        target = root / example.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((BOM if example.bom else "").encode() + example.text.encode())
    target = next((e.target for e in files if e.target), None)
    run = check_paths(load_workspace([str(root)]), Checker(mappings_for(target), {code}))
    found = [*run.diagnostics(), *(p.diagnostic() for p in run.problems)]  # TM005: input errors
    return [d for d in found if d.code == code]


#: A batch task that reads a mapped pair: the start of most example scripts.
BATCH = 'batch\n    |query(\'SELECT mean("usage") FROM "telegraf"."autogen"."cpu"\')\n'


def marked(code: str, text: str, target: str | None = None) -> list[str]:
    """The text each finding of rule `code` points at (its location's span)."""
    return [text[d.location.start : d.location.end] for d in findings(code, text, target=target)]


def assert_unchanged(code: str, text: str, fires: bool, target: str | None = None) -> None:
    """The rule fires (or not) as said, and `tickmig migrate --unsafe-fixes` changes nothing."""
    assert bool(findings(code, text, target=target)) is fires
    assert migrated(code, text, unsafe=True, target=target) == text


def assert_fixed(code: str, text: str, expected: str, unsafe: bool) -> None:
    """The rule fires, its fix (with --unsafe-fixes when `unsafe`) gives `expected`, on which
    it no longer fires; a safe migration applies an unsafe fix only with --unsafe-fixes."""
    assert findings(code, text) != []
    assert migrated(code, text, unsafe=True) == expected
    assert migrated(code, text) == (text if unsafe else expected)
    assert findings(code, expected) == []
