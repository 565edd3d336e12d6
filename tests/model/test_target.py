"""The proof's InfluxDB 2, rule by rule, against what ../shared/docs/influxdb2-migration.md
section 1 says InfluxDB's own code does (dbrp/service.go, http/legacy/write_handler.go,
v1/coordinator/statement_executor.go)."""

from __future__ import annotations

import pytest

from tickmig.model.target import ApiError, InfluxDB2, QueryError

ORG = "acme"


def server(*buckets: str, virtual: bool = True) -> InfluxDB2:
    db = InfluxDB2(virtual_mappings=virtual)
    for name in buckets:
        db.create_bucket(ORG, name)
    return db


def bucket_id(db: InfluxDB2, name: str) -> str:
    found = db.bucket_named(ORG, name)
    assert found is not None
    return found.id


def test_write_with_rp_needs_the_exact_mapping() -> None:
    db = server("metrics")
    db.create_dbrp(ORG, "telegraf", "autogen", bucket_id(db, "metrics"))
    assert db.write(ORG, "telegraf", "autogen").name == "metrics"
    with pytest.raises(ApiError) as err:
        db.write(ORG, "telegraf", "one_week")
    assert (err.value.status, err.value.message) == (404, "no dbrp mapping found")


def test_write_without_rp_takes_the_default_mapping() -> None:
    db = server("a", "b")
    db.create_dbrp(ORG, "telegraf", "autogen", bucket_id(db, "a"))
    db.create_dbrp(ORG, "telegraf", "weekly", bucket_id(db, "b"))
    assert db.write(ORG, "telegraf", None).name == "a"  # the first mapping is the default


def test_write_without_db_is_400() -> None:
    with pytest.raises(ApiError) as err:
        server().write(ORG, "", None)
    assert (err.value.status, err.value.message) == (400, "missing db")


def test_first_mapping_is_default_whatever_the_request_says() -> None:
    db = server("a", "b")
    first = db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "a"), default=False)
    assert first.default
    second = db.create_dbrp(ORG, "app", "weekly", bucket_id(db, "b"), default=False)
    assert not second.default


def test_a_later_mapping_created_default_takes_the_default_over() -> None:
    db = server("a", "b")
    db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "a"))
    db.create_dbrp(ORG, "app", "weekly", bucket_id(db, "b"), default=True)
    assert [m.retention_policy for m in db.dbrps(ORG) if m.default and not m.virtual] == ["weekly"]
    assert db.write(ORG, "app", None).name == "b"


def test_update_moves_the_default_and_unsetting_falls_back_to_the_first() -> None:
    db = server("a", "b")
    first = db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "a"))
    second = db.create_dbrp(ORG, "app", "weekly", bucket_id(db, "b"))
    db.update_dbrp(ORG, second.id, default=True)
    assert db.find(ORG, "app", None) == db.find(ORG, "app", "weekly")
    db.update_dbrp(ORG, second.id, default=False)
    found = db.find(ORG, "app", None)
    assert found is not None and found.id == first.id


def test_duplicate_physical_mapping_is_422() -> None:
    db = server("a", "b")
    db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "a"))
    with pytest.raises(ApiError) as err:
        db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "b"))
    assert err.value.status == 422
    assert err.value.message == "another DBRP mapping with same orgID, db, and rp exists"


def test_mapping_to_a_missing_bucket_is_404() -> None:
    with pytest.raises(ApiError) as err:
        server().create_dbrp(ORG, "app", "autogen", "0123456789abcdef")
    assert (err.value.status, err.value.message) == (404, "bucket not found")


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b"])
def test_invalid_names_are_400(name: str) -> None:
    db = server("a")
    with pytest.raises(ApiError) as err:
        db.create_dbrp(ORG, name, "autogen", bucket_id(db, "a"))
    assert err.value.status == 400


def test_mappings_and_buckets_are_scoped_to_an_organization() -> None:
    db = server("a")
    db.create_bucket("other", "b")
    other_bucket = db.bucket_named("other", "b")
    assert other_bucket is not None
    with pytest.raises(ApiError):  # a bucket of another org is not found
        db.create_dbrp(ORG, "app", "autogen", other_bucket.id)
    db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "a"))
    with pytest.raises(ApiError) as err:  # kapacitor #2515: the mapping is in another org
        db.write("other", "app", "autogen")
    assert err.value.status == 404


def test_virtual_mapping_of_a_db_rp_bucket_is_never_default() -> None:
    db = server("telegraf/autogen")
    assert db.write(ORG, "telegraf", "autogen").name == "telegraf/autogen"
    with pytest.raises(ApiError):
        db.write(ORG, "telegraf", None)
    with pytest.raises(QueryError, match="default retention policy not set for: telegraf"):
        db.query(ORG, "telegraf", None)


def test_virtual_mapping_of_a_plain_bucket_is_db_autogen_and_default() -> None:
    db = server("telegraf")
    assert db.write(ORG, "telegraf", None).name == "telegraf"
    assert db.write(ORG, "telegraf", "autogen").name == "telegraf"


def test_a_physical_default_makes_the_plain_bucket_virtual_mapping_not_default() -> None:
    db = server("telegraf", "other")
    db.create_dbrp(ORG, "telegraf", "weekly", bucket_id(db, "other"))
    virtual = [m for m in db.dbrps(ORG) if m.virtual and m.database == "telegraf"]
    assert [(m.retention_policy, m.default) for m in virtual] == [("autogen", False)]
    assert db.write(ORG, "telegraf", None).name == "other"


def test_a_physical_mapping_hides_the_virtual_one() -> None:
    db = server("telegraf/autogen", "elsewhere")
    db.create_dbrp(ORG, "telegraf", "autogen", bucket_id(db, "elsewhere"))
    assert db.write(ORG, "telegraf", "autogen").name == "elsewhere"
    assert [m.virtual for m in db.dbrps(ORG) if m.database == "telegraf"] == [False]


def test_no_virtual_mappings_on_cloud_or_before_2_4() -> None:
    db = server("telegraf/autogen", virtual=False)
    with pytest.raises(ApiError):
        db.write(ORG, "telegraf", "autogen")


def test_query_errors_are_influxql_statement_errors() -> None:
    db = server("a")
    with pytest.raises(QueryError, match="database not found: nope"):
        db.query(ORG, "nope", None)
    db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "a"))
    with pytest.raises(QueryError, match="retention policy not found: weekly"):
        db.query(ORG, "app", "weekly")
    assert db.query(ORG, "app", "autogen").name == "a"


def test_bucket_names_are_unique_per_organization() -> None:
    db = server("a")
    with pytest.raises(ApiError) as err:
        db.create_bucket(ORG, "a")
    assert err.value.status == 422
    db.create_bucket("other", "a")  # another organization may


def test_deleting_the_default_makes_the_next_mapping_default() -> None:
    db = server("a", "b")
    first = db.create_dbrp(ORG, "app", "autogen", bucket_id(db, "a"))
    db.create_dbrp(ORG, "app", "weekly", bucket_id(db, "b"))
    db.delete_dbrp(ORG, first.id)
    assert db.write(ORG, "app", None).name == "b"
