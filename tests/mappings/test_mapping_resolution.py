"""Table-driven tests of DBRP resolution: every status, virtual rules, Cloud, plans, system dbs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmig.mappings import (
    Bucket,
    Mapping,
    MappingSet,
    Rename,
    ResolutionStatus,
    embedded_default,
)

S = ResolutionStatus
ORG = "bea7ea952287f70d"


def phys(db: str, rp: str, bucket_id: str, default: bool, org: str = ORG) -> Mapping:
    return Mapping(db, rp, bucket_id, None, default, False, org, f"m-{db}-{rp}", "test")


def virt(db: str, rp: str, bucket_id: str, default: bool) -> Mapping:
    return Mapping(db, rp, bucket_id, None, default, True, ORG, bucket_id, "test")


def bucket(bucket_id: str, name: str) -> Bucket:
    return Bucket(bucket_id, name, ORG)


def mset(mappings=(), buckets=(), renames=(), target="oss", from_server=True) -> MappingSet:
    return MappingSet(tuple(mappings), tuple(buckets), tuple(renames), target, "test", from_server)


UPGRADED = mset(
    [
        phys("telegraf", "autogen", "b-tel-auto", False),
        phys("telegraf", "one_month", "b-tel-month", True),
        phys("app", "one_week", "b-app", False),
        phys("app", "one_day", "b-app-day", False),
        phys("solo", "raw", "b-solo", False),
    ],
    [
        bucket("b-tel-auto", "telegraf/autogen"),
        bucket("b-tel-month", "telegraf/one_month"),
        bucket("b-app", "app/one_week"),
        bucket("b-app-day", "app/one_day"),
        bucket("b-solo", "solo/raw"),
        bucket("b-sensors", "sensors"),
        bucket("b-iot", "iot/raw"),
        bucket("b-deep", "a/b/c"),
        bucket("b-mon", "_monitoring"),
    ],
)

# (id, set, database, rp, status, bucket, influx_error)
CASES = [
    ("exact", UPGRADED, "telegraf", "autogen", S.EXACT, "telegraf/autogen", None),
    ("unset rp -> default", UPGRADED, "telegraf", None, S.DEFAULT, "telegraf/one_month", None),
    ("empty rp is unset", UPGRADED, "telegraf", "", S.DEFAULT, "telegraf/one_month", None),
    (
        "unknown rp",
        UPGRADED,
        "telegraf",
        "one_week",
        S.MISSING,
        None,
        "retention policy not found: one_week",
    ),
    (
        "unknown db",
        UPGRADED,
        "nope",
        "autogen",
        S.MISSING,
        None,
        "retention policy not found: autogen",
    ),
    ("unknown db, unset rp", UPGRADED, "nope", None, S.MISSING, None, "database not found: nope"),
    (
        "two mappings, no default",
        UPGRADED,
        "app",
        None,
        S.AMBIGUOUS,
        None,
        "default retention policy not set for: app",
    ),
    (
        "one mapping, not default",
        UPGRADED,
        "solo",
        None,
        S.MISSING,
        None,
        "default retention policy not set for: solo",
    ),
    (
        "virtual from bucket without slash",
        UPGRADED,
        "sensors",
        "autogen",
        S.VIRTUAL,
        "sensors",
        None,
    ),
    (
        "virtual default from bucket without slash",
        UPGRADED,
        "sensors",
        None,
        S.VIRTUAL,
        "sensors",
        None,
    ),
    ("virtual from db/rp bucket", UPGRADED, "iot", "raw", S.VIRTUAL, "iot/raw", None),
    (
        "db/rp virtual is never default",
        UPGRADED,
        "iot",
        None,
        S.MISSING,
        None,
        "default retention policy not set for: iot",
    ),
    ("split at the first slash", UPGRADED, "a", "b/c", S.VIRTUAL, "a/b/c", None),
    (
        "no split at the last slash",
        UPGRADED,
        "a/b",
        "c",
        S.MISSING,
        None,
        "retention policy not found: c",
    ),
    ("system database", UPGRADED, "_internal", "monitor", S.SYSTEM, None, None),
    ("system database with a virtual mapping", UPGRADED, "_monitoring", None, S.SYSTEM, None, None),
    (
        "system database, embedded default",
        embedded_default(),
        "_kapacitor",
        "autogen",
        S.SYSTEM,
        None,
        None,
    ),
    (
        "embedded default",
        embedded_default(),
        "telegraf",
        "autogen",
        S.ASSUMED,
        "telegraf",  # with the database's default: the bucket whose virtual mapping it is
        None,
    ),
    (
        "embedded default, unset rp",
        embedded_default(),
        "telegraf",
        None,
        S.ASSUMED,
        "telegraf",
        None,
    ),
    (
        "embedded default, cloud",
        embedded_default("cloud"),
        "telegraf",
        "autogen",
        S.ASSUMED,
        "telegraf",
        None,
    ),
    (
        "server with nothing: missing, not assumed",
        mset(),
        "telegraf",
        "autogen",
        S.MISSING,
        None,
        "retention policy not found: autogen",
    ),
]


@pytest.mark.parametrize(
    ("ms", "db", "rp", "status", "bucket_name", "influx_error"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_resolution_table(ms, db, rp, status, bucket_name, influx_error):
    resolution = ms.resolve(db, rp)
    assert resolution.status is status, resolution.reason
    assert resolution.bucket == bucket_name
    assert resolution.influx_error == influx_error
    assert resolution.reason and "\n" not in resolution.reason


@pytest.mark.parametrize(
    ("physical", "buckets", "db", "rp", "status", "bucket_name"),
    [
        pytest.param(
            [phys("telegraf", "autogen", "b-x", True)],
            [bucket("b-x", "metrics"), bucket("b-t", "telegraf/autogen")],
            "telegraf",
            "autogen",
            S.EXACT,
            "metrics",
            id="physical suppresses the db/rp bucket's virtual mapping",
        ),
        pytest.param(
            [phys("metrics", "autogen", "b-2", True)],
            [bucket("b-2", "metrics-v2"), bucket("b-1", "metrics")],
            "metrics",
            "autogen",
            S.EXACT,
            "metrics-v2",
            id="physical suppresses the db bucket's virtual mapping",
        ),
        pytest.param(
            [phys("db", "one_week", "b-w", True)],
            [bucket("b-w", "db/one_week"), bucket("b-d", "db")],
            "db",
            None,
            S.DEFAULT,
            "db/one_week",
            id="a physical default makes the db bucket's virtual mapping non-default",
        ),
        pytest.param(
            [phys("db", "one_week", "b-w", True)],
            [bucket("b-w", "db/one_week"), bucket("b-d", "db")],
            "db",
            "autogen",
            S.VIRTUAL,
            "db",
            id="the non-default virtual mapping still resolves its rp",
        ),
        pytest.param(
            [phys("db", "one_week", "b-w", False)],
            [bucket("b-w", "db/one_week"), bucket("b-d", "db")],
            "db",
            None,
            S.VIRTUAL,
            "db",
            id="without a physical default the db bucket is the default",
        ),
        pytest.param(
            [],
            [bucket("b-d", "db"), bucket("b-a", "db/autogen")],
            "db",
            "autogen",
            S.AMBIGUOUS,
            None,
            id="buckets db and db/autogen both map db.autogen",
        ),
        pytest.param(
            [],
            [bucket("b-d", "db"), bucket("b-a", "db/autogen")],
            "db",
            None,
            S.VIRTUAL,
            "db",
            id="but only the db bucket is a default",
        ),
        pytest.param(
            [phys("db", "autogen", "b-a", True)],
            [bucket("b-d", "db"), bucket("b-a", "db/autogen")],
            "db",
            "autogen",
            S.EXACT,
            "db/autogen",
            id="a physical mapping settles the ambiguity",
        ),
        pytest.param(
            [
                phys("db", "autogen", "b-1", True, org="o1"),
                phys("db", "autogen", "b-2", True, org="o2"),
            ],
            [],
            "db",
            "autogen",
            S.AMBIGUOUS,
            None,
            id="two orgs map the same db.rp to different buckets",
        ),
        pytest.param(
            [
                phys("db", "autogen", "b-1", True, org="o1"),
                phys("db", "other", "b-2", True, org="o2"),
            ],
            [],
            "db",
            None,
            S.AMBIGUOUS,
            None,
            id="two defaults for one db",
        ),
    ],
)
def test_virtual_rules(physical, buckets, db, rp, status, bucket_name):
    resolution = mset(physical, buckets).resolve(db, rp)
    assert resolution.status is status, resolution.reason
    assert resolution.bucket == bucket_name


def test_ambiguous_lists_both_buckets():
    ms = mset([], [bucket("b-d", "db"), bucket("b-a", "db/autogen")])
    resolution = ms.resolve("db", "autogen")
    assert {m.bucket_name for m in resolution.candidates} == {"db", "db/autogen"}
    assert resolution.mapping is None
    assert '"db"' in resolution.reason and '"db/autogen"' in resolution.reason


def test_explicit_virtual_mapping_and_its_bucket_count_once():
    # the server's list already holds the virtual mapping computed from the same bucket
    ms = mset([virt("sensors", "autogen", "b-s", True)], [bucket("b-s", "sensors")])
    resolution = ms.resolve("sensors", "autogen")
    assert resolution.status is S.VIRTUAL
    assert resolution.candidates == (resolution.mapping,)


def test_explicit_virtual_mapping_without_buckets():
    resolution = mset([virt("sensors", "autogen", "b-s", True)]).resolve("sensors", None)
    assert resolution.status is S.VIRTUAL
    assert resolution.bucket == "b-s"  # only the ID is known


@pytest.mark.parametrize(
    ("db", "rp", "status", "bucket_name"),
    [
        ("telegraf", "autogen", S.EXACT, "telegraf/autogen"),
        ("telegraf", None, S.DEFAULT, "telegraf/autogen"),
        ("sensors", "autogen", S.MISSING, None),  # no virtual mappings on Cloud
        ("sensors", None, S.MISSING, "sensors"),  # but a v1 write would auto-create one
        ("iot", "raw", S.MISSING, "iot/raw"),
        ("iot", "other", S.MISSING, None),
    ],
)
def test_cloud(db, rp, status, bucket_name):
    ms = mset(
        [phys("telegraf", "autogen", "b-t", True), virt("sensors", "autogen", "b-s", True)],
        [bucket("b-t", "telegraf/autogen"), bucket("b-s", "sensors"), bucket("b-i", "iot/raw")],
        target="cloud",
    )
    resolution = ms.resolve(db, rp)
    assert resolution.status is status
    assert resolution.bucket == bucket_name
    if bucket_name and status is S.MISSING:
        assert "first 1.x write" in resolution.reason


def test_cloud_has_no_virtual_mappings_at_all():
    ms = mset([], [bucket("b-s", "sensors")], target="cloud")
    assert ms.effective_mappings() == ()
    oss = mset([], [bucket("b-s", "sensors")])
    assert [(m.database, m.retention_policy, m.virtual) for m in oss.effective_mappings()] == [
        ("sensors", "autogen", True)
    ]


def test_reasons_say_what_influxdb_answers():
    missing = UPGRADED.resolve("telegraf", "one_week")
    assert missing.reason.startswith('no DBRP mapping for "telegraf"."one_week"')
    assert 'writes get 404 "no dbrp mapping found"' in missing.reason
    assert "autogen, one_month" in missing.reason  # what the database does have
    assert '"default retention policy not set for: app"' in UPGRADED.resolve("app", None).reason
    assert "OSS >= 2.4" in UPGRADED.resolve("sensors", "autogen").reason
    exact = UPGRADED.resolve("telegraf", "autogen")
    assert exact.reason == (
        '"telegraf"."autogen" maps to bucket "telegraf/autogen" (DBRP mapping m-telegraf-autogen)'
    )


def test_embedded_reasons_name_the_bucket():
    oss = embedded_default().resolve("telegraf", "autogen")
    assert 'bucket "telegraf" exists' in oss.reason
    assert oss.mapping is not None and oss.mapping.virtual
    unset = embedded_default().resolve("telegraf", None)
    assert 'bucket "telegraf" exists' in unset.reason
    assert unset.mapping is not None
    assert (unset.mapping.retention_policy, unset.mapping.default) == ("autogen", True)
    cloud = embedded_default("cloud").resolve("telegraf", "autogen")
    assert "no virtual mappings" in cloud.reason
    assert (
        'influx v1 dbrp create --org "$INFLUX_ORG" --db telegraf --rp autogen --default '
        '--bucket-id "$(influx bucket list --org "$INFLUX_ORG" --name telegraf '
        '--hide-headers | cut -f1)"'
    ) not in cloud.reason  # rp given: not the default mapping
    assert (
        'influx v1 dbrp create --org "$INFLUX_ORG" --db telegraf --rp autogen --bucket-id '
        '"$(influx bucket list --org "$INFLUX_ORG" --name telegraf --hide-headers '
        '| cut -f1)"'
    ) in cloud.reason
    assert cloud.mapping is not None and not cloud.mapping.virtual


def test_ok_property():
    assert UPGRADED.resolve("telegraf", "autogen").ok
    assert UPGRADED.resolve("sensors", None).ok
    assert not UPGRADED.resolve("nope", None).ok
    assert not embedded_default().resolve("telegraf", None).ok


# --- plan renames -------------------------------------------------------------------------------


def rename(frm: str, to: str | None = None, bucket_name: str | None = None) -> Rename:
    db, _, rp = frm.partition("/")
    to_db, to_rp = (None, None)
    if to is not None:
        to_db, _, rest = to.partition("/")
        to_rp = rest or None
    return Rename(db, rp or None, to_db, to_rp, bucket_name, f"plan.toml ({frm})")


def test_rename_to_another_database_keeps_the_rp():
    ms = mset(UPGRADED.mappings, UPGRADED.buckets, [rename("old", to="telegraf")])
    resolution = ms.resolve("old", "autogen")
    assert resolution.status is S.EXACT
    assert resolution.bucket == "telegraf/autogen"
    assert resolution.rename == ms.renames[0]
    assert resolution.reason.startswith('plan (plan.toml (old)) renames "old"."autogen" to')
    assert ms.resolve("old", None).status is S.DEFAULT


def test_exact_rename_wins_over_database_rename():
    renames = [rename("old", to="telegraf"), rename("old/raw", to="iot/raw")]
    ms = mset(UPGRADED.mappings, UPGRADED.buckets, renames)
    assert ms.resolve("old", "raw").bucket == "iot/raw"
    assert ms.resolve("old", "autogen").bucket == "telegraf/autogen"


def test_unset_rp_needs_a_database_wide_rename():
    ms = mset(UPGRADED.mappings, UPGRADED.buckets, [rename("old/autogen", to="telegraf/autogen")])
    resolution = ms.resolve("old", None)
    assert resolution.rename is None
    assert resolution.status is S.MISSING


def test_rename_into_a_missing_mapping_is_missing():
    ms = mset(UPGRADED.mappings, UPGRADED.buckets, [rename("x/y", to="telegraf/one_week")])
    resolution = ms.resolve("x", "y")
    assert resolution.status is S.MISSING
    assert resolution.influx_error == "retention policy not found: one_week"


def test_rename_to_bucket_gives_the_create_command():
    ms = mset(UPGRADED.mappings, UPGRADED.buckets, [rename("legacy/raw", bucket_name="sensors")])
    resolution = ms.resolve("legacy", "raw")
    assert resolution.status is S.ASSUMED
    assert resolution.bucket == "sensors"
    command = 'influx v1 dbrp create --org "$INFLUX_ORG" --db legacy --rp raw --bucket-id b-sensors'
    assert command in resolution.reason
    assert resolution.mapping is not None and resolution.mapping.bucket_id == "b-sensors"


def test_rename_to_unknown_bucket_says_create_it_first():
    ms = mset(UPGRADED.mappings, UPGRADED.buckets, [rename("legacy", bucket_name="nowhere")])
    resolution = ms.resolve("legacy", None)
    assert resolution.status is S.ASSUMED
    assert "--default" in resolution.reason
    assert 'no bucket "nowhere" is known yet' in resolution.reason


def test_rename_to_bucket_already_mapped_there():
    ms = mset(
        UPGRADED.mappings,
        UPGRADED.buckets,
        [rename("telegraf/autogen", bucket_name="telegraf/autogen")],
    )
    resolution = ms.resolve("telegraf", "autogen")
    assert resolution.status is S.EXACT
    assert resolution.reason.endswith("as the plan asks")


def test_rename_to_bucket_conflicting_with_a_physical_mapping():
    ms = mset(
        UPGRADED.mappings, UPGRADED.buckets, [rename("telegraf/autogen", bucket_name="sensors")]
    )
    resolution = ms.resolve("telegraf", "autogen")
    assert resolution.status is S.EXACT
    assert resolution.bucket == "telegraf/autogen"
    assert "cannot be changed" in resolution.reason


def test_rename_to_bucket_overrides_a_virtual_mapping():
    ms = mset(UPGRADED.mappings, UPGRADED.buckets, [rename("iot/raw", bucket_name="sensors")])
    resolution = ms.resolve("iot", "raw")
    assert resolution.status is S.ASSUMED
    assert resolution.bucket == "sensors"


def test_system_database_ignores_plans():
    ms = mset(renames=[rename("_internal", to="telegraf")])
    assert ms.resolve("_internal", "monitor").status is S.SYSTEM


def test_invalid_target_is_rejected():
    with pytest.raises(ValueError, match="target"):
        MappingSet((), (), (), "enterprize", "test")  # type: ignore[arg-type]


# --- property: every bucket is reachable through its virtual mapping ----------------------------

# a small alphabet, so that databases and retention policies collide often
NAME = st.text(alphabet="ab_.", min_size=1, max_size=3).filter(lambda s: s not in (".", ".."))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAME, st.one_of(st.none(), NAME)), min_size=1, max_size=6, unique=True))
def test_every_bucket_name_is_reachable(pairs):
    buckets = [
        bucket(f"id{i}", db if rp is None else f"{db}/{rp}") for i, (db, rp) in enumerate(pairs)
    ]
    ms = mset([], buckets)
    for b, (db, rp) in zip(buckets, pairs, strict=True):
        resolution = ms.resolve(db, rp or "autogen")
        if db.startswith("_"):
            assert resolution.status is S.SYSTEM
            continue
        assert b in {
            Bucket(m.bucket_id or "", m.bucket_name or "", ORG) for m in resolution.candidates
        }
        clash = (rp is None and (db, "autogen") in pairs) or (
            rp == "autogen" and (db, None) in pairs
        )
        assert resolution.status is (S.AMBIGUOUS if clash else S.VIRTUAL)
        unset = ms.resolve(db, None)
        with_rp = sum(1 for other_db, other_rp in pairs if other_db == db and other_rp)
        if (db, None) in pairs:
            assert unset.status is S.VIRTUAL  # only a bucket named like the db is a default
        else:
            assert unset.status is (S.AMBIGUOUS if with_rp > 1 else S.MISSING)


def test_virtual_default_flags_in_the_listing():
    physical_default = mset([phys("db", "one_week", "b-w", True)], [bucket("b-d", "db")])
    no_default = mset([phys("db", "one_week", "b-w", False)], [bucket("b-d", "db")])
    slashed = mset([], [bucket("b-x", "db/x")])

    def virtual_flags(ms):
        return [(m.database, m.retention_policy, m.default) for m in ms.effective_mappings()
                if m.virtual]  # fmt: skip

    assert virtual_flags(physical_default) == [("db", "autogen", False)]
    assert virtual_flags(no_default) == [("db", "autogen", True)]
    assert virtual_flags(slashed) == [("db", "x", False)]
