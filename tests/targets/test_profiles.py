"""Target profiles, InfluxDB 3's naming rule and name validation (as its code does them), and
1.x durations as InfluxDB 3 retention periods."""

from __future__ import annotations

import pytest

from tickmig.targets import parse_target
from tickmig.targets.durations import parse_v1_duration, v3_retention
from tickmig.targets.v3names import invalid_name, query_database, write_database


@pytest.mark.parametrize(
    ("text", "version", "name", "virtual", "influxql_virtual"),
    [
        ("oss", None, "oss", True, True),
        ("oss@2.7", None, "oss", True, True),
        ("oss", "2.4", "oss", True, False),
        ("oss@2.3", None, "oss", False, False),
        ("oss", "2.3.1", "oss", False, False),
        ("cloud", None, "cloud", False, False),
        ("serverless", None, "cloud-serverless", False, False),
        ("V3-Core", None, "v3-core", False, False),
        ("enterprise", None, "v3-enterprise", False, False),
    ],
)
def test_targets_and_their_dbrp_behaviour(text, version, name, virtual, influxql_virtual):
    profile = parse_target(text, version)
    assert profile.name == name
    assert profile.virtual_mappings is virtual
    assert profile.influxql_through_virtual is influxql_virtual


def test_what_each_influxdb3_edition_allows():
    core, enterprise = parse_target("v3-core"), parse_target("v3-enterprise")
    assert (core.database_limit, enterprise.database_limit) == (5, 100)
    assert (core.query_window_hours, enterprise.query_window_hours) == (72, None)
    assert not core.retention_mutable and enterprise.retention_mutable
    assert not core.resource_tokens and enterprise.resource_tokens
    assert core.min_kapacitor == (1, 8, 2) and parse_target("cloud").min_kapacitor == (1, 6, 0)
    assert not core.flux and parse_target("cloud-serverless").flux
    assert parse_target("cloud-serverless").engine == "iox" and parse_target("oss").engine == "tsm"
    assert core.write_precisions == {"s", "ms", "us", "u", "ns", "n"}
    assert parse_target("oss").write_precisions is None


@pytest.mark.parametrize(
    ("text", "version", "message"),
    [
        ("enterprize", None, "unknown target 'enterprize'"),
        ("cloud@2.7", None, "applies to --target oss only"),
        ("v3-core", "2.7", "applies to --target oss only"),
        ("oss@3.0", None, "is not 2.N or 2.N.P"),
        ("oss@2.7", "2.6", "name different versions"),
        ("cloud-dedicated", None, "is not supported"),
    ],
)
def test_bad_targets_say_why(text, version, message):
    with pytest.raises(ValueError, match=message):
        parse_target(text, version)


def test_kapacitor_version():
    assert parse_target("v3-core", kapacitor_version="1.8.2").kapacitor == (1, 8, 2)
    assert parse_target("oss", kapacitor_version="v1.7").kapacitor == (1, 7, 0)
    with pytest.raises(ValueError, match=r"not 1\.N or 1\.N\.P"):
        parse_target("oss", kapacitor_version="2.0")


@pytest.mark.parametrize(
    ("db", "rp", "written", "queried"),
    [
        # influxdata/influxdb single_tenant test rp_autogen: ?db=bananas&rp=autogen -> bananas
        ("bananas", "autogen", "bananas", "bananas"),
        ("bananas", "default", "bananas", "bananas"),
        ("bananas", None, "bananas", "bananas"),
        ("bananas", "", "bananas", "bananas"),
        # writes lowercase the rp before comparing; queries compare and format verbatim
        ("bananas", "Autogen", "bananas", "bananas/Autogen"),
        ("app", "OneWeek", "app/oneweek", "app/OneWeek"),
        ("telegraf", "one_year", "telegraf/one_year", "telegraf/one_year"),
    ],
)
def test_naming_rule(db, rp, written, queried):
    assert write_database(db, rp) == written
    assert query_database(db, rp) == queried


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("telegraf", None),
        ("telegraf/one_year", None),
        ("9lives-db", None),
        ("_internal", "did not start with a number or letter"),
        ("_foo", "did not start with a number or letter"),
        ("foo/bar/baz", "must be of form '<db_name>/<rp_name>'"),
        ("foo/", "must be of form '<db_name>/<rp_name>'"),
        ("app.metrics", "invalid character"),
        ("my db", "invalid character"),
        ("caf\u00e9", "invalid character"),
        ("", "cannot be empty"),
        ("a" * 512, "too long"),
    ],
)
def test_name_validation(name, problem):
    found = invalid_name(name)
    assert (found is None) if problem is None else (found is not None and problem in found)


@pytest.mark.parametrize(
    ("v1", "period"),
    [
        ("720h0m0s", "30d"),
        ("1w", "7d"),
        ("168h0m0s", "7d"),
        ("2h30m", "150m"),
        ("36h", "36h"),
        ("INF", None),
        ("0s", None),
    ],
)
def test_retention_translation_never_gives_0d(v1, period):
    assert v3_retention(parse_v1_duration(v1)) == period


def test_bad_duration():
    with pytest.raises(ValueError, match=r"not a 1\.x duration"):
        parse_v1_duration("forever")
