"""The `influx` commands to run first, on small hand-made mapping sets: buckets that do not
exist, mappings that are missing, the --default decision, the order, and the script's
syntax."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from tickmig.mappings import Bucket, Mapping, MappingSet, Rename
from tickmig.report.commands import plan_commands, render_script
from tickmig.report.model import Command, Pair

ORG = "acme"


def mapping(
    db: str,
    rp: str,
    bucket_id: str,
    bucket: str,
    *,
    default: bool = False,
    virtual: bool = False,
    ident: str | None = None,
) -> Mapping:
    return Mapping(db, rp, bucket_id, bucket, default, virtual, "o1", ident or bucket_id, "test")


def mapping_set(
    mappings: tuple[Mapping, ...] = (),
    buckets: tuple[Bucket, ...] = (),
    renames: tuple[Rename, ...] = (),
    *,
    from_server: bool = True,
) -> MappingSet:
    return MappingSet(mappings, buckets, renames, "oss", "test", from_server=from_server)


def plan(ms: MappingSet, *pairs: tuple[str, str | None], org: str | None = ORG) -> list[Command]:
    resolutions = [(Pair(db, rp), ms.resolve(db, rp)) for db, rp in pairs]
    return plan_commands(resolutions, ms, org)


def active(commands: list[Command]) -> list[str]:
    return [c.command for c in commands if c.active and c.command]


METRICS = mapping("metrics", "autogen", "b1", "metrics/autogen", default=True, ident="m1")
BUCKETS = (Bucket("b1", "metrics/autogen", "o1"), Bucket("b2", "app-new-old", "o1"))


def test_missing_pair_gets_its_bucket_and_a_mapping_by_bucket_lookup() -> None:
    commands = plan(mapping_set((METRICS,), BUCKETS), ("metrics", "two_weeks"))
    lookup = '"$(influx bucket list --name metrics/two_weeks --org acme --hide-headers | cut -f1)"'
    assert active(commands) == [
        "influx bucket create --name metrics/two_weeks --org acme",
        f"influx v1 dbrp create --db metrics --rp two_weeks --bucket-id {lookup} --org acme",
    ]
    bucket = commands[0]
    assert any("--retention" in c for c in bucket.comments)


def test_first_mappings_of_a_new_database_default_goes_to_the_first() -> None:
    commands = plan(mapping_set((METRICS,), BUCKETS), ("logs", "b"), ("logs", "a"))
    created = [c for c in commands if c.kind == "dbrp-create"]
    assert [c.command.split(" --bucket-id")[0] for c in created] == [
        "influx v1 dbrp create --db logs --rp a",
        "influx v1 dbrp create --db logs --rp b",
    ]
    assert [c.command.endswith("--default --org acme") for c in created] == [True, False]
    assert any('first mapping of "logs"' in text for text in created[0].comments)


def test_unset_rp_with_one_physical_non_default_mapping_is_an_update() -> None:
    app = mapping("app", "raw", "b9", "app/raw", ident="0a9")
    commands = plan(mapping_set((METRICS, app), BUCKETS), ("app", None))
    assert active(commands) == ["influx v1 dbrp update --id 0a9 --default --org acme"]


def test_unset_rp_with_only_a_virtual_mapping_creates_the_default() -> None:
    derived = mapping("derived", "autogen", "b7", "derived/autogen", virtual=True)
    commands = plan(mapping_set((METRICS, derived), BUCKETS), ("derived", None))
    assert active(commands) == [
        "influx v1 dbrp create --db derived --rp autogen --bucket-id b7 --default --org acme"
    ]


def test_a_resolved_pair_needs_nothing() -> None:
    assert plan(mapping_set((METRICS,), BUCKETS), ("metrics", "autogen"), ("metrics", None)) == []


def test_plan_bucket_that_does_not_exist_is_created_first() -> None:
    rename = Rename("app_metrics", "autogen", None, None, "app-new", "plan.toml:3")
    commands = plan(mapping_set((METRICS,), BUCKETS, (rename,)), ("app_metrics", "autogen"))
    lookup = '"$(influx bucket list --name app-new --org acme --hide-headers | cut -f1)"'
    assert active(commands) == [
        "influx bucket create --name app-new --org acme",
        f"influx v1 dbrp create --db app_metrics --rp autogen --bucket-id {lookup} --default "
        "--org acme",
    ]


def test_default_on_a_database_that_already_has_mappings_comes_with_the_update() -> None:
    # A whole-database plan entry for "metrics2", which has a physical, non-default mapping.
    other = mapping("metrics2", "raw", "b3", "metrics2/raw", ident="0b3")
    rename = Rename("metrics2", None, None, None, "metrics/autogen", "plan.toml:7")
    ms = mapping_set((METRICS, other), BUCKETS, (rename,))
    (command,) = [c for c in plan(ms, ("metrics2", None)) if c.kind == "dbrp-create"]
    assert command.command == (
        "influx v1 dbrp create --db metrics2 --rp autogen --bucket-id b1 --default --org acme"
    )
    update = (
        'influx v1 dbrp update --id "$(influx v1 dbrp list --db metrics2 --rp autogen '
        '--org acme --hide-headers | cut -f1)" --default --org acme'
    )
    assert update in command.comments
    assert update in render_script([command], ORG, False)


def test_ambiguous_default_is_left_to_decide_by_hand() -> None:
    a = mapping("app", "a", "ba", "app/a", ident="0aa")
    b = mapping("app", "b", "bb", "app/b", ident="0bb")
    commands = plan(mapping_set((a, b), BUCKETS), ("app", None))
    assert active(commands) == []
    script = render_script(commands, ORG, False)
    assert "# To decide by hand" in script
    assert "# influx v1 dbrp update --id 0aa --default --org acme" in script
    assert "# influx v1 dbrp update --id 0bb --default --org acme" in script


def test_without_server_knowledge_everything_is_a_suggestion() -> None:
    ms = mapping_set(from_server=False)
    commands = plan(ms, ("telegraf", "autogen"), ("derived", None))
    assert commands and active(commands) == []
    script = render_script(commands, ORG, True)
    assert "suggestions to check" in script
    assert "\ninflux " not in script


def test_order_does_not_depend_on_the_input_order() -> None:
    pairs = [("metrics", "two_weeks"), ("logs", "a"), ("logs", "b"), ("zeta", "x"), ("alpha", None)]
    ms = mapping_set((METRICS,), BUCKETS)
    first = plan(ms, *pairs)
    for seed in range(5):
        shuffled = pairs[:]
        random.Random(seed).shuffle(shuffled)
        assert plan(ms, *shuffled) == first
    creates = [c.command for c in first if c.kind == "bucket-create"]
    assert creates == sorted(creates)


def test_without_org_the_script_asks_for_one() -> None:
    commands = plan(mapping_set((METRICS,), BUCKETS), ("metrics", "two_weeks"), org=None)
    script = render_script(commands, None, False)
    assert ': "${INFLUX_ORG:?' in script
    assert '--org "$INFLUX_ORG"' in script


def test_names_are_quoted_for_the_shell() -> None:
    commands = plan(mapping_set((METRICS,), BUCKETS), ("my db", "it's"))
    assert "influx bucket create --name 'my db/it'\"'\"'s' --org acme" in active(commands)


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell to check the syntax")
def test_script_is_valid_shell() -> None:
    a = mapping("app", "a", "ba", "app/a", ident="0aa")
    b = mapping("app", "b", "bb", "app/b", ident="0bb")
    ms = mapping_set((METRICS, a, b), BUCKETS)
    commands = plan(ms, ("metrics", "two_weeks"), ("logs", "a"), ("app", None), ("my db", "x"))
    for org in (ORG, None):
        script = render_script(commands, org, False)
        proc = subprocess.run(["sh", "-n"], input=script, text=True, capture_output=True)
        assert proc.returncode == 0, proc.stderr


def test_one_mapping_per_pair_even_when_two_references_ask_for_it() -> None:
    # "x" alone and "x"."autogen" both want the mapping x/autogen (no server knowledge).
    commands = plan(mapping_set(from_server=False), ("x", "autogen"), ("x", None))
    creates = [c for c in commands if c.kind == "dbrp-create"]
    assert len(creates) == 1
    assert "--db x --rp autogen" in creates[0].command
    assert "--default" in creates[0].command
    assert any("choose one" in text for text in creates[0].comments)
