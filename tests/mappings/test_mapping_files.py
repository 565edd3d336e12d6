"""Loading mapping files of every shape (recognised by content) and the errors for bad ones."""

from __future__ import annotations

import json

import pytest

from tickmig.mappings import (
    MappingError,
    ResolutionStatus,
    combine,
    load_mapping_file,
)

from .expected import UPGRADED_EFFECTIVE, summary

S = ResolutionStatus

PHYSICAL_IDS = {
    ("telegraf", "autogen"): "4d4d9d5b61dee751",
    ("telegraf", "one_month"): "5e8f3a2b7c1d9e04",
    ("app_metrics", "autogen"): "6b1e2d3c4f5a6b78",
}


def write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- realistic fixtures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "mappings_file",
    ["dbrps.json", "influx-v1-dbrp-list-2.7.txt", "influx-v1-dbrp-list-2.8.json"],
)
def test_fixture_with_buckets_gives_the_upgraded_org(fixtures_dir, mappings_file):
    ms = combine(
        [
            load_mapping_file(fixtures_dir / mappings_file),
            load_mapping_file(fixtures_dir / "buckets.json"),
        ]
    )
    assert summary(ms) == UPGRADED_EFFECTIVE
    assert ms.profile.name == "oss" and ms.from_server


@pytest.mark.parametrize(
    "mappings_file",
    [
        "dbrps.json",
        "influx-v1-dbrp-list-2.3.json",
        "influx-v1-dbrp-list-2.7.txt",
        "influx-v1-dbrp-list-2.8.json",
    ],
)
def test_every_shape_reads_the_physical_mappings(fixtures_dir, mappings_file):
    ms = load_mapping_file(fixtures_dir / mappings_file)
    physical = {(m.database, m.retention_policy): m.bucket_id for m in ms.mappings if not m.virtual}
    assert physical == PHYSICAL_IDS
    assert {m.org_id for m in ms.mappings} == {"bea7ea952287f70d"}


def test_cli_2_3_output_has_no_virtual_mappings(fixtures_dir):
    ms = load_mapping_file(fixtures_dir / "influx-v1-dbrp-list-2.3.json")
    assert not any(m.virtual for m in ms.mappings)
    assert ms.resolve("sensors", None).status is S.MISSING
    # with the bucket list, the OSS virtual rules apply
    both = combine([ms, load_mapping_file(fixtures_dir / "buckets.json")])
    assert both.resolve("sensors", None).status is S.VIRTUAL


def test_cli_2_7_second_array_is_virtual(fixtures_dir):
    ms = load_mapping_file(fixtures_dir / "influx-v1-dbrp-list-2.7.txt")
    virtual = {(m.database, m.bucket_id) for m in ms.mappings if m.virtual}
    assert virtual == {
        ("_monitoring", "77ca9dace40a9bfc"),
        ("_tasks", "a3f1c2d4b5e60718"),
        ("sensors", "8c9d0e1f2a3b4c5d"),
    }


def test_buckets_file_alone_gives_virtual_mappings(fixtures_dir):
    ms = load_mapping_file(fixtures_dir / "buckets.json")
    assert ms.mappings == ()
    assert len(ms.buckets) == 6
    resolution = ms.resolve("telegraf", "one_month")
    assert (resolution.status, resolution.bucket) == (S.VIRTUAL, "telegraf/one_month")
    # bucket "telegraf/autogen" is never a default; only a physical mapping can make it one
    assert ms.resolve("telegraf", None).status is S.AMBIGUOUS


def test_fixture_resolutions(fixtures_dir):
    ms = combine(
        [load_mapping_file(fixtures_dir / name) for name in ("dbrps.json", "buckets.json")]
    )
    expect = {
        ("telegraf", "autogen"): (S.EXACT, "telegraf/autogen"),
        ("telegraf", None): (S.DEFAULT, "telegraf/autogen"),
        ("telegraf", "one_month"): (S.EXACT, "telegraf/one_month"),
        ("telegraf", "one_week"): (S.MISSING, None),
        ("app_metrics", None): (S.DEFAULT, "app_metrics/autogen"),
        ("sensors", None): (S.VIRTUAL, "sensors"),
        ("sensors", "raw"): (S.MISSING, None),
        ("_monitoring", None): (S.SYSTEM, None),
    }
    got = {ref: (r.status, r.bucket) for ref in expect for r in [ms.resolve(*ref)]}
    assert got == expect


def test_plan_fixture(fixtures_dir):
    plan = load_mapping_file(fixtures_dir / "plan.toml")
    assert not plan.from_server and plan.profile.name == "oss"
    assert [
        (r.from_text, r.to_database, r.to_retention_policy, r.bucket) for r in plan.renames
    ] == [
        ("app", "app_metrics", None, None),
        ("sensors/raw", None, None, "sensors"),
        ("telegraf/downsampled", "telegraf", "one_month", None),
    ]
    assert plan.renames[1].source.endswith("plan.toml:12")
    ms = combine(
        [load_mapping_file(fixtures_dir / n) for n in ("dbrps.json", "buckets.json", "plan.toml")]
    )
    assert ms.resolve("app", None).bucket == "app_metrics/autogen"
    planned = ms.resolve("sensors", "raw")
    assert planned.status is S.ASSUMED
    assert "--db sensors --rp raw --bucket-id 8c9d0e1f2a3b4c5d" in planned.reason
    assert ms.resolve("telegraf", "downsampled").bucket == "telegraf/one_month"


# --- every shape, small, in tmp_path ------------------------------------------------------------

DBRP = {
    "id": "0a3cbb5dd526a000",
    "orgID": "bea7ea952287f70d",
    "bucketID": "4d4d9d5b61dee751",
    "database": "telegraf",
    "retention_policy": "autogen",
    "default": True,
}
LEGACY = {
    "id": "0a3cbb5dd526a000",
    "organization_id": "bea7ea952287f70d",
    "bucket_id": "4d4d9d5b61dee751",
    "database": "telegraf",
    "retention_policy": "autogen",
    "default": True,
}
BANNER = "\nVIRTUAL DBRP MAPPINGS (READ-ONLY)\n----------------------------------\n"
VIRTUAL = {
    **DBRP,
    "id": "8c9d0e1f2a3b4c5d",
    "bucketID": "8c9d0e1f2a3b4c5d",
    "database": "sensors",
    "virtual": True,
}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("rest.json", json.dumps({"content": [DBRP]}), {("telegraf", "autogen", False)}),
        ("rest-empty.json", '{"content": []}', set()),
        ("rest-null.json", '{"content": null}', set()),
        ("rest-one.json", json.dumps({"content": DBRP}), {("telegraf", "autogen", False)}),
        ("rest-2.0.1.json", json.dumps({"content": [LEGACY]}), {("telegraf", "autogen", False)}),
        ("cli-2.1.json", json.dumps([DBRP], indent="\t") + "\n", {("telegraf", "autogen", False)}),
        ("cli-2.1-empty.json", "null\n", set()),
        ("cli-2.8-empty.json", "[]\n", set()),
        (
            "cli-2.7.txt",
            json.dumps([DBRP], indent="\t")
            + "\n"
            + BANNER
            + json.dumps([VIRTUAL], indent="\t")
            + "\n",
            {("telegraf", "autogen", False), ("sensors", "autogen", True)},
        ),
        ("cli-2.7-empty.txt", "null\n" + BANNER + "null\n", set()),
        (
            "cli-2.7-physical-only.txt",
            json.dumps([DBRP]) + "\n" + BANNER + "null\n",
            {("telegraf", "autogen", False)},
        ),
        (
            "cli-2.7-crlf.txt",
            (json.dumps([DBRP], indent="\t") + "\n" + BANNER + "null\n").replace("\n", "\r\n"),
            {("telegraf", "autogen", False)},
        ),
        (
            "plan.json",
            '# a plan, whatever the extension\n[[rename]]\nfrom = "a"\nto = "b"\n',
            set(),
        ),
        ("dbrps.toml", json.dumps({"content": [DBRP]}), {("telegraf", "autogen", False)}),
    ],
)
def test_shapes(tmp_path, name, text, expected):
    ms = load_mapping_file(write(tmp_path, name, text))
    assert {(m.database, m.retention_policy, m.virtual) for m in ms.mappings} == expected
    assert all(m.bucket_id in ("4d4d9d5b61dee751", "8c9d0e1f2a3b4c5d") for m in ms.mappings)


def test_legacy_keys_give_ids(tmp_path):
    ms = load_mapping_file(write(tmp_path, "d.json", json.dumps({"content": [LEGACY]})))
    (m,) = ms.mappings
    assert (m.org_id, m.bucket_id, m.id) == (
        LEGACY["organization_id"],
        LEGACY["bucket_id"],
        LEGACY["id"],
    )


def test_null_bucket_id_is_tolerated(tmp_path):
    # influxdb#20121: a 2.0.1 upgrade left mappings with a null bucket ID
    ms = load_mapping_file(
        write(tmp_path, "d.json", json.dumps({"content": [{**DBRP, "bucketID": None}]}))
    )
    resolution = ms.resolve("telegraf", "autogen")
    assert resolution.status is S.EXACT
    assert resolution.bucket is None


def test_bucket_shapes(tmp_path):
    rest = {
        "links": {"self": "/api/v2/buckets"},
        "buckets": [{"id": "b1", "name": "sensors", "orgID": "o1", "retentionRules": []}],
    }
    cli = [{"id": "b2", "name": "iot/raw", "orgID": "o1", "retentionRules": []}]
    a = load_mapping_file(write(tmp_path, "a.json", json.dumps(rest)))
    b = load_mapping_file(write(tmp_path, "b.json", json.dumps(cli)))
    assert [(x.id, x.name, x.org_id) for x in a.buckets] == [("b1", "sensors", "o1")]
    assert [(x.id, x.name) for x in b.buckets] == [("b2", "iot/raw")]
    assert combine([a, b]).resolve("iot", "raw").bucket == "iot/raw"


def test_target_override(tmp_path):
    path = write(tmp_path, "b.json", json.dumps({"buckets": [{"id": "b1", "name": "sensors"}]}))
    assert load_mapping_file(path, target="cloud").resolve("sensors", "autogen").status is S.MISSING
    assert load_mapping_file(path).resolve("sensors", "autogen").status is S.VIRTUAL


def test_plan_target_cloud(tmp_path):
    plan = load_mapping_file(write(tmp_path, "p", 'target = "cloud"\n'))
    assert plan.profile.name == "cloud" and plan.renames == ()


def test_plan_database_is_a_rename_to_the_pair_that_reaches_it(tmp_path):
    text = (
        'target = "v3-core"\n[[rename]]\nfrom = "telegraf/one_year"\ndatabase = "telegraf"\n'
        '[[rename]]\nfrom = "app"\ndatabase = "apps/long"\n'
    )
    plan = load_mapping_file(write(tmp_path, "p.toml", text))
    fold, move = plan.renames
    assert (fold.to_database, fold.to_retention_policy, fold.bucket) == (
        "telegraf",
        "autogen",
        None,
    )
    assert fold.v3_database == "telegraf"
    assert (move.to_database, move.to_retention_policy) == ("apps", "long")


# --- combine ----------------------------------------------------------------------------------


def test_combine_names_buckets_and_drops_duplicates(fixtures_dir):
    dbrps = load_mapping_file(fixtures_dir / "dbrps.json")
    cli = load_mapping_file(fixtures_dir / "influx-v1-dbrp-list-2.8.json")
    buckets = load_mapping_file(fixtures_dir / "buckets.json")
    ms = combine([dbrps, cli, buckets])
    assert len(ms.mappings) == 6
    assert all(m.bucket_name for m in ms.mappings)
    assert ms.origin.count(" + ") == 2


def test_combine_target_rules(tmp_path, fixtures_dir):
    dbrps = load_mapping_file(fixtures_dir / "dbrps.json")
    cloud_plan = load_mapping_file(write(tmp_path, "p.toml", 'target = "cloud"\n'))
    assert combine([dbrps, cloud_plan]).profile.name == "cloud"
    assert combine([dbrps, cloud_plan], target="oss").profile.name == "oss"
    assert combine([dbrps]).profile.name == "oss"


def test_combine_nothing_is_the_embedded_default():
    ms = combine([])
    assert not ms.from_server
    assert ms.resolve("telegraf", "autogen").status is S.ASSUMED


def test_combine_plan_only_is_not_from_server(tmp_path):
    plan = load_mapping_file(write(tmp_path, "p.toml", '[[rename]]\nfrom = "a"\nto = "b"\n'))
    assert combine([plan]).resolve("a", "autogen").status is S.ASSUMED


def test_combine_conflicting_plans(tmp_path):
    one = load_mapping_file(write(tmp_path, "one.toml", '[[rename]]\nfrom = "a"\nto = "b"\n'))
    two = load_mapping_file(write(tmp_path, "two.toml", '[[rename]]\nfrom = "a"\nto = "c"\n'))
    same = load_mapping_file(write(tmp_path, "same.toml", '[[rename]]\nfrom = "a"\nto = "b"\n'))
    assert len(combine([one, same]).renames) == 1
    with pytest.raises(
        MappingError, match=r'plans disagree about "a": .*one.toml:1 and .*two.toml:1'
    ):
        combine([one, two])


# --- malformed files ----------------------------------------------------------------------------

TOML_EXPECTED = "expected a non-empty bucket name"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            '{\n  "content": [\n    {"database": "x",}\n  ]\n}',
            3,
            22,
            "invalid JSON: Expecting property name enclosed in double quotes",
        ),
        ('[\n\t{\n\t\t"id": "1"\n\t}\n', 5, 1, "invalid JSON: Expecting"),
        ("null\n" + BANNER + "[\n\t{,\n]\n", 6, 3, "invalid JSON: Expecting property name"),
        ('[[rename]]\nfrom = "a"\nto = \n', 3, 6, "invalid TOML: Unexpected character"),
        ('[[rename]]\nfrom = "a"\nform = "b"\n', 3, 1, 'unknown key "form"'),
        ('# plan\n\n[[rename]]\nto = "b"\n', 3, 1, 'missing "from"'),
        ('[[rename]]\nfrom = "a"\nto = "b"\nbucket = "c"\n', 1, 1, "exactly one of"),
        ('[[rename]]\nfrom = "a/"\nto = "b"\n', 2, 1, "the retention policy is empty"),
        ('[[rename]]\nfrom = "a"\n  to = "b\\\\c"\n', 3, 3, "not a valid database name"),
        ('[[rename]]\nfrom = 3\nto = "b"\n', 2, 1, 'must be a string "db/rp" or "db"'),
        ('[[rename]]\nfrom = "a"\nbucket = ""\n', 3, 1, TOML_EXPECTED),
        ('[[rename]]\nfrom = "a"\nto = "b"\ndatabase = "c"\n', 1, 1, "exactly one of"),
        ('[[rename]]\nfrom = "a/b"\ndatabase = "_x"\n', 3, 1, "InfluxDB 3 refuses it"),
        ('[[rename]]\nfrom = "a/b"\ndatabase = "a/c.d"\n', 3, 1, "invalid character"),
        ('[[rename]]\nfrom = "a/b"\ndatabase = "a/Long"\n', 3, 1, 'use "a/long"'),
        ('[[rename]]\nfrom = "a/b"\ndatabase = "a/autogen"\n', 3, 1, "no 1.x write or query"),
        (
            '[[rename]]\nfrom = "a"\nto = "b"\n\n[[rename]]\nfrom = "a"\nto = "c"\n',
            6,
            1,
            "already planned at",
        ),
        ('target = "enterprize"\n', 1, 1, "unknown target 'enterprize'"),
        ('title = "x"\n', 1, 1, 'unknown key "title"'),
        ('[renames]\nfrom = "a"\n', 1, 1, 'unknown key "renames"'),
    ],
)
def test_errors_with_position(tmp_path, text, line, column, message):
    path = write(tmp_path, "bad-file", text)
    with pytest.raises(MappingError) as caught:
        load_mapping_file(path)
    error = caught.value
    assert (error.path, error.line, error.column) == (str(path), line, column)
    assert str(error).startswith(f"{path}:{line}:{column}: ")
    assert message in str(error)
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"content": [{"database": "x", "retention_policy": "y"}]}',
            'content[0]: missing "default"',
        ),
        (
            '{"content": [{"database": "", "retention_policy": "y", "default": true}]}',
            "content[0].database: expected a non-empty database name",
        ),
        (
            '{"content": [{"database": "x", "retention_policy": 5, "default": true}]}',
            "content[0].retention_policy: expected a string, got a number",
        ),
        (
            '{"content": [{"database": "x", "retention_policy": "y", "default": "yes"}]}',
            "content[0].default: expected true or false, got a string",
        ),
        (
            '{"content": [{"database": "x", "retention_policy": "y", "default": true, '
            '"bucketID": 7}]}',
            "content[0].bucketID: expected an ID string, got a number",
        ),
        ('{"content": "x"}', "content: expected an array of DBRP mappings, got a string"),
        ('{"content": [42]}', "content[0]: expected a DBRP mapping object"),
        ('{"buckets": [{"name": "x"}]}', 'buckets[0]: missing "id"'),
        ('{"buckets": {"id": "x"}}', "buckets: expected an array of buckets, got an object"),
        (
            '{"foo": 1, "bar": 2}',
            'expected an object with "content" or "buckets" (keys found: bar, foo)',
        ),
        (
            '{"code": "unauthorized", "message": "unauthorized access"}',
            "this is an InfluxDB error response (unauthorized: unauthorized access)",
        ),
        ("42", "got a number; expected the JSON body of GET /api/v2/dbrps"),
        ('[{"database": "x", "retention_policy": "y"}]', '[0]: missing "default"'),
        ('[\n\t{"id": "1"}\n]' + BANNER + "null\n", "physical mappings[0]: missing"),
        ("null" + BANNER + '{"a": 1}', "virtual mappings: expected an array of DBRP mappings"),
    ],
)
def test_shape_errors(tmp_path, text, message):
    path = write(tmp_path, "mappings.json", text)
    with pytest.raises(MappingError) as caught:
        load_mapping_file(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_empty_file(tmp_path):
    path = write(tmp_path, "empty.json", "  \n\n")
    with pytest.raises(MappingError, match=r"empty\.json: file is empty; expected the JSON body"):
        load_mapping_file(path)


def test_not_utf8(tmp_path):
    path = write(tmp_path, "latin1.json", b'{"content": [\n  "caf\xe9"]}')
    with pytest.raises(MappingError) as caught:
        load_mapping_file(path)
    assert (caught.value.line, caught.value.column) == (2, 7)
    assert "not UTF-8 text (byte 0xe9)" in str(caught.value)


def test_utf8_bom_is_accepted(tmp_path):
    path = write(tmp_path, "bom.json", "\ufeff" + json.dumps({"content": [DBRP]}))
    assert len(load_mapping_file(path).mappings) == 1


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(MappingError, match=r"nope\.json: cannot read mapping file: No such file"):
        load_mapping_file(tmp_path / "nope.json")
    with pytest.raises(MappingError, match=r"cannot read mapping file"):
        load_mapping_file(tmp_path)


def test_kind_comes_from_content_not_extension(tmp_path):
    plan = load_mapping_file(write(tmp_path, "plan.json", '[[rename]]\nfrom = "a"\nto = "b"\n'))
    assert [r.from_text for r in plan.renames] == ["a"]
    assert not plan.from_server
    dbrps = load_mapping_file(write(tmp_path, "dbrps.toml", json.dumps({"content": [DBRP]})))
    assert dbrps.from_server and len(dbrps.mappings) == 1


def test_cli_2_7_second_array_is_virtual_even_without_the_key(tmp_path):
    plain = {k: v for k, v in VIRTUAL.items() if k != "virtual"}
    text = "null\n" + BANNER + json.dumps([plain], indent="\t") + "\n"
    ms = load_mapping_file(write(tmp_path, "cli.txt", text))
    assert [(m.database, m.virtual) for m in ms.mappings] == [("sensors", True)]
