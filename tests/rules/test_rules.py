"""Each rule on small scripts (what it reports, where, what its fix does); the registry."""

from __future__ import annotations

import inspect
import pkgutil

import pytest

import tickmig.rules as rules_pkg
from tickmig.diagnostics import Applicability
from tickmig.engine.checker import Checker
from tickmig.mappings import Bucket, Mapping, MappingSet, Rename, embedded_default
from tickmig.rules import ALL_RULES, BY_CODE, select
from tickmig.rules.base import Rule
from tickmig.text.edits import apply_edits
from tickmig.text.source import decode


def mapping(db: str, rp: str, bucket: str, default: bool = False) -> Mapping:
    return Mapping(db, rp, f"id-{bucket}", bucket, default, False, "org", f"m-{db}-{rp}", "test")


SERVER = MappingSet(
    mappings=(
        mapping("telegraf", "autogen", "telegraf/autogen", default=True),
        mapping("telegraf", "one_month", "telegraf/one_month"),
        mapping("derived", "autogen", "derived/autogen"),
        mapping("derived", "hourly", "derived/hourly"),
        mapping("solo", "weekly", "solo/weekly"),
    ),
    buckets=(Bucket("b1", "telegraf/autogen", "org"),),
    renames=(Rename("telegraf", "one_year", "telegraf", "downsampled", None, "plan.toml"),),
    target="oss",
    origin="test",
)


def check(src: str, *codes: str, mappings: MappingSet = SERVER) -> list[tuple[str, str, str]]:
    """(code, text at the location, message) of each finding of the given rules."""
    checker = Checker(mappings, set(codes) or set(BY_CODE))
    result = checker.check_source(decode("t.tick", src.encode()))
    return [(d.code, src[d.location.start : d.location.end], d.message) for d in result.sorted()]


def fixed(src: str, code: str, *, unsafe: bool = False) -> str:
    checker = Checker(SERVER, {code})
    result = checker.check_source(decode("t.tick", src.encode()))
    edits = {
        e
        for d in result.diagnostics
        if d.fix and (d.fix.applicability is Applicability.SAFE or unsafe)
        for e in d.fix.edits
    }
    return apply_edits(src, sorted(edits, key=lambda e: e.start))


# --- the registry -------------------------------------------------------------------------


def test_every_rule_module_is_registered() -> None:
    registered = {rule.__module__ for rule in ALL_RULES}
    registry = {"base", "info"}  # the rule base class and rule metadata; helpers/ is a package
    modules = {
        f"tickmig.rules.{m.name}"
        for m in pkgutil.iter_modules(rules_pkg.__path__)
        if m.name not in registry and not m.ispkg
    }
    assert modules == registered


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule: type[Rule]) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    assert rule.code.startswith("TM") and len(rule.code) == 5
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert "## What it does" in doc and "## Why is this bad?" in doc
    if rule.fix_safety is not None:
        assert "## Fix safety" in doc


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len({r.name for r in ALL_RULES}) == len(ALL_RULES)


def test_selection_by_prefix() -> None:
    assert select(["TM1"], ["TM110"]) == {c for c in BY_CODE if c.startswith("TM1")} - {"TM110"}
    with pytest.raises(ValueError, match="unknown rule selector"):
        select(["XX9"])


# --- findings -----------------------------------------------------------------------------


def test_tm002_invalid_task_type() -> None:
    assert check("var x = 1", "TM002")[0][2].startswith("invalid task type")


def test_tm003_missing_dbrp() -> None:
    assert [c for c, *_ in check("stream|from()", "TM003")] == ["TM003"]
    assert check('dbrp "telegraf"."autogen"\nstream|from()', "TM003") == []


def test_tm101_write_to_unmapped_dbrp() -> None:
    src = (
        'dbrp "telegraf"."autogen"\n'
        "stream|from()|influxDBOut().database('nope').retentionPolicy('x')"
    )
    ((code, where, message),) = check(src, "TM101")
    assert code == "TM101" and where == "'nope'" and '"nope"."x"' in message
    assert check(src.replace("'nope'", "'telegraf'").replace("'x'", "'one_month'"), "TM101") == []


def test_tm101_unset_database_writes_to_the_points_own_dbrp() -> None:
    src = 'dbrp "solo"."monthly"\nstream|from()|influxDBOut().retentionPolicy(\'monthly\')'
    assert [c for c, *_ in check(src, "TM101")] == ["TM101"]


def test_tm102_read_from_unmapped_dbrp_only_for_batch() -> None:
    src = 'dbrp "telegraf"."gone"\nbatch|query(\'SELECT * FROM "telegraf"."gone"."cpu"\')'
    found = check(src, "TM102")
    assert [w for _, w, _ in found] == ['"telegraf"', '"telegraf"']
    assert "retention policy not found: gone" in found[1][2]
    assert (
        check(
            src.replace("batch|query", "stream|from").replace(
                '(\'SELECT * FROM "telegraf"."gone"."cpu"\')', "()"
            ),
            "TM102",
        )
        == []
    )


def test_tm103_unqualified_query() -> None:
    src = 'dbrp "telegraf"."autogen"\nbatch|query(\'SELECT * FROM cpu\')'
    ((_, _, message),) = check(src, "TM103")
    assert "names no database and no retention policy" in message


def test_tm104_undeclared_source() -> None:
    src = 'dbrp "telegraf"."autogen"\nbatch|query(\'SELECT * FROM "telegraf"."one_month"."cpu"\')'
    ((_, where, message),) = check(src, "TM104")
    assert where == '"telegraf"' and "does not declare" in message


def test_tm105_create_and_its_unsafe_fix() -> None:
    src = (
        'dbrp "telegraf"."autogen"\nstream\n    |influxDBOut()\n        .create()\n'
        "        .database('telegraf')\n"
    )
    assert fixed(src, "TM105") == src  # unsafe: not applied by default
    assert fixed(src, "TM105", unsafe=True) == (
        'dbrp "telegraf"."autogen"\nstream\n    |influxDBOut()\n        .database(\'telegraf\')\n'
    )
    inline = "stream|influxDBOut().create().database('x')"
    assert fixed(inline, "TM105", unsafe=True) == "stream|influxDBOut().database('x')"


@pytest.mark.parametrize(
    ("unit", "reported"), [("m", True), ("h", True), ("u", True), ("s", False), ("ms", False)]
)
def test_tm106_precision(unit: str, reported: bool) -> None:
    src = f"stream|influxDBOut().precision('{unit}')"
    assert bool(check(src, "TM106")) is reported


def test_tm107_and_tm108() -> None:
    src = "stream|influxDBOut().cluster('metrics').writeConsistency('all')"
    assert [c for c, *_ in check(src, "TM107", "TM108")] == ["TM108", "TM107"]


def test_tm109_template_var() -> None:
    src = "var db string\nstream|from()|influxDBOut().database(db).retentionPolicy('autogen')"
    ((code, where, _),) = check(src, "TM109")
    assert code == "TM109" and where.startswith("influxDBOut")


def test_tm110_stream_direct_writes() -> None:
    ((_, where, message),) = check('dbrp "telegraf"."autogen"\nstream|from()', "TM110")
    assert where == '"telegraf"' and "straight to Kapacitor" in message


def test_tm111_select_into_and_tm112_query_flux() -> None:
    src = (
        'batch|query(\'SELECT * INTO "a"."b"."c" FROM "telegraf"."autogen"."cpu"\')'
        "\nbatch|queryFlux('''from(bucket: \"x\")''')"
    )
    assert [c for c, *_ in check(src, "TM111", "TM112")] == ["TM111", "TM112"]


def test_tm113_insert_the_only_retention_policy() -> None:
    src = (
        'dbrp "telegraf"."autogen"\nbatch\n    |influxDBOut()\n'
        "        .database('solo')\n        .measurement('m')\n"
    )
    assert fixed(src, "TM113") == (
        'dbrp "telegraf"."autogen"\nbatch\n    |influxDBOut()\n'
        "        .database('solo')\n        .retentionPolicy('weekly')\n"
        "        .measurement('m')\n"
    )


def test_tm113_several_choices_is_unsafe() -> None:
    src = "stream|from()|window().period(1m)|influxDBOut().database('derived')"
    assert fixed(src, "TM113") == src
    assert fixed(src, "TM113", unsafe=True) == (
        "stream|from()|window().period(1m)|influxDBOut().database('derived')"
        ".retentionPolicy('autogen')"
    )


def test_tm114_system_database() -> None:
    assert [c for c, *_ in check("stream|influxDBOut().database('_internal')", "TM114")] == [
        "TM114"
    ]
    assert check('dbrp "_kapacitor"."autogen"\nstream|from()', "TM114") == []


def test_tm117_bom() -> None:
    checker = Checker(SERVER, {"TM117"})
    result = checker.check_source(decode("t.tick", b"\xef\xbb\xbfstream|from()"))
    assert [d.code for d in result.diagnostics] == ["TM117"]


def test_tm120_rename_literal_and_shared_var() -> None:
    src = (
        'dbrp "telegraf"."autogen"\nvar rp = \'one_year\'\nstream|from()\n'
        "    |influxDBOut().database('telegraf').retentionPolicy(rp)\n"
        "    |influxDBOut().database('telegraf').retentionPolicy(rp)\n"
    )
    assert fixed(src, "TM120") == src.replace("'one_year'", "'downsampled'")


def test_tm120_var_used_elsewhere_is_not_rewritten() -> None:
    src = (
        "var rp = 'one_year'\nstream|from()\n"
        "    |influxDBOut().database('telegraf').retentionPolicy(rp).tag('rp', rp)\n"
    )
    ((_, _, message),) = check(src, "TM120")
    assert "renames" in message
    assert fixed(src, "TM120") == src


def test_tm200_todo_left() -> None:
    src = "// TICKMIG-TODO(TM101): create the mapping\nstream|from()\n"
    ((_, _, message),) = check(src, "TM200")
    assert message == "TODO left for TM101: create the mapping"


def test_embedded_default_assumes_virtual_mappings() -> None:
    src = "stream|influxDBOut().database('anything').retentionPolicy('any')"
    assert check(src, "TM101", mappings=embedded_default()) == []


def test_suppression_comments() -> None:
    src = (
        'dbrp "telegraf"."autogen" // tickmig: ignore[TM110]\n'
        "// tickmig: ignore[TM106]\n"
        "stream|influxDBOut().precision('m')\n"
    )
    assert check(src, "TM110", "TM106") == []
    assert check("// tickmig: ignore-file\n" + src.replace("tickmig:", "x"), "TM110") == []
    assert [c for c, *_ in check(src.replace("[TM106]", "[TM101]"), "TM106")] == ["TM106"]


def test_ignore_file_with_codes_silences_those_codes_anywhere_in_the_file() -> None:
    body = 'dbrp "telegraf"."autogen"\n\n\nstream|influxDBOut().precision(\'m\')\n'
    assert [c for c, *_ in check(body, "TM110", "TM106")] == ["TM110", "TM106"]
    silenced = "// tickmig: ignore-file[TM106]\n" + body
    assert [c for c, *_ in check(silenced, "TM110", "TM106")] == ["TM110"]
    assert [c for c, *_ in check("// tickmig: ignore-file\n" + body, "TM110", "TM106")] == []
