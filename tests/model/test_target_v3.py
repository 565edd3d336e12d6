"""The in-memory InfluxDB 3 (tickmig.model.target_v3), rule by rule, as the InfluxDB 3 facts
(influxdb3-targets.md, section 2) state them from influxdata/influxdb's code."""

from __future__ import annotations

import pytest

from tickmig.model.target_v3 import InfluxDB3, V3ApiError, V3Db, V3QueryError


@pytest.fixture
def core() -> InfluxDB3:
    return InfluxDB3(limit=5)


# --- the naming rule: autogen, default and empty mean the bare database ---------------------


@pytest.mark.parametrize("rp", [None, "", "autogen", "default", "AUTOGEN", "Default"])
def test_a_write_with_a_default_rp_lands_in_the_bare_database(core, rp):
    # core/iox_http/src/write/v1.rs: RetentionPolicy -> Autogen (lowercased first)
    assert core.write("telegraf", rp).name == "telegraf"
    assert list(core.databases) == ["telegraf"]


@pytest.mark.parametrize("rp", [None, "", "autogen", "default"])
def test_a_query_with_a_default_rp_reads_the_bare_database(core, rp):
    # core/iox_query_influxql_rewrite/src/lib.rs resolve_dbrp: autogen/default -> db
    core.create_database("telegraf")
    assert core.query("telegraf", rp).name == "telegraf"


def test_a_database_named_as_the_docs_say_is_not_what_kapacitor_reaches(core):
    # The docs' table: telegraf + autogen -> telegraf/autogen; the code: -> telegraf.
    core.create_database("telegraf/autogen")
    with pytest.raises(V3QueryError, match=r"database not found: telegraf$"):
        core.query("telegraf", "autogen")
    landed = core.write("telegraf", "autogen")
    assert landed.name == "telegraf" and landed.auto_created  # a second database
    assert sorted(core.databases) == ["telegraf", "telegraf/autogen"]


def test_another_rp_is_a_database_db_slash_rp(core):
    assert core.write("telegraf", "one_year").name == "telegraf/one_year"
    assert core.query("telegraf", "one_year").name == "telegraf/one_year"


# --- named retention policies: lowercased on write, not on query ----------------------------


def test_a_camelcase_rp_is_written_lowercased_and_queried_verbatim(core):
    assert core.write("app", "OneWeek").name == "app/oneweek"
    with pytest.raises(V3QueryError, match="database not found: app/OneWeek"):
        core.query("app", "OneWeek")
    assert core.query("app", "oneweek").name == "app/oneweek"


def test_query_default_rp_is_case_sensitive(core):
    # resolve_dbrp compares with "autogen" verbatim: "Autogen" is a db/rp name on query...
    core.create_database("app")
    with pytest.raises(V3QueryError, match="app/Autogen"):
        core.query("app", "Autogen")
    # ...while the write lowercases it first and reaches the bare database.
    assert core.write("app", "Autogen").name == "app"


# --- names v1 allowed and v3 rejects ----------------------------------------------------------


@pytest.mark.parametrize(
    ("database", "rp", "message"),
    [
        ("_internal", "monitor", "did not start with a number or letter"),
        ("_foo", None, "did not start with a number or letter"),
        ("capacity.planning", None, "invalid character"),
        ("my db", None, "invalid character"),
        ("foo/bar", "baz", "db name with invalid retention policy"),
    ],
)
def test_names_v3_rejects_are_refused_on_write_and_create(core, database, rp, message):
    with pytest.raises(V3ApiError, match=message) as caught:
        core.write(database, rp)
    assert caught.value.status == 400
    name = database if rp is None else f"{database}/{rp}"
    with pytest.raises(V3ApiError, match=message):
        core.create_database(name)
    assert core.databases == {}


def test_a_name_of_512_characters_is_too_long(core):
    with pytest.raises(V3ApiError, match="too long"):
        core.write("a" * 512, None)
    assert core.write("a" * 511, None).name == "a" * 511


# --- auto-create on write, the database limit -----------------------------------------------


def test_a_write_creates_the_database_with_indefinite_retention(core):
    landed = core.write("telegarf", None)  # a typo creates a database
    assert landed.auto_created and landed.retention is None
    assert core.query("telegarf", "autogen") is landed


def test_create_database_keeps_its_retention_and_refuses_a_second_time(core):
    created = core.create_database("telegraf/one_year", 365 * 86400)
    assert created.retention == 365 * 86400 and not created.auto_created
    assert core.write("telegraf", "one_year") is created  # no second database
    with pytest.raises(V3ApiError) as caught:
        core.create_database("telegraf/one_year")
    assert caught.value.status == 409


def test_core_refuses_a_sixth_database_on_create_and_on_write(core):
    for name in ("a", "b", "c", "d", "e"):
        core.write(name, None)
    with pytest.raises(V3ApiError, match="Adding a new database would exceed limit of 5"):
        core.write("telegraf", "one_year")
    with pytest.raises(V3ApiError, match="exceed limit of 5 databases"):
        core.create_database("f")
    assert core.write("a", "autogen").name == "a"  # existing databases still take writes
    assert core.count() == 5


def test_internal_is_not_counted_against_the_limit(core):
    core.databases["_internal"] = V3Db("_internal")  # as a live server lists it
    for name in ("a", "b", "c", "d", "e"):
        core.create_database(name)
    assert core.count() == 5 and len(core.databases) == 6


def test_enterprise_allows_a_hundred():
    enterprise = InfluxDB3(limit=100)
    for i in range(100):
        enterprise.write(f"db{i}", None)
    with pytest.raises(V3ApiError, match="limit of 100"):
        enterprise.write("one_more", None)


# --- no DBRP mappings -------------------------------------------------------------------------


def test_there_is_no_dbrp_mapping_api(core):
    with pytest.raises(V3ApiError) as caught:
        core.create_dbrp("telegraf", "autogen", "bucket-id")
    assert caught.value.status == 404


def test_a_write_without_a_database_is_refused(core):
    with pytest.raises(V3ApiError, match="missing db"):
        core.write("", "autogen")
