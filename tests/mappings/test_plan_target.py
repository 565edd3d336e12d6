"""A plan written for one target and read for another (tickmig.mappings.plan_target): the
target given on the command line wins and is said, a plan's own target counts without one,
and `bucket =` on InfluxDB 3 is the database it can only mean (or an error)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickmig.mappings import MappingError
from tickmig.mappings.options import load_mappings
from tickmig.settings import Settings


def plan(tmp_path: Path, text: str, name: str = "plan.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_plans_target_counts_when_none_is_given(tmp_path: Path) -> None:
    ms = load_mappings(Settings(mapping=[plan(tmp_path, 'target = "v3-core"\n')]))
    assert ms.profile.name == "v3-core" and ms.notes == ()


def test_a_given_target_wins_and_the_disagreement_is_said(tmp_path: Path) -> None:
    path = plan(tmp_path, '# for OSS\ntarget = "oss@2.7"\n')
    settings = Settings(target="oss", mapping=[path])
    settings.given.add("target")
    ms = load_mappings(settings)
    assert ms.profile.name == "oss" and ms.notes == ()  # the same target: nothing to say
    settings = Settings(target="cloud", mapping=[path])
    (note,) = load_mappings(settings).notes
    assert note.startswith(f'{path}:2: the plan says target = "oss@2.7", --target cloud')
    (older,) = load_mappings(Settings(target="oss@2.3", mapping=[path])).notes
    assert "--target oss@2.3: tickmig follows --target oss@2.3 (InfluxDB OSS 2.3)" in older


def test_two_plans_naming_different_targets_need_target(tmp_path: Path) -> None:
    one = plan(tmp_path, 'target = "v3-core"\n', "a.toml")
    two = plan(tmp_path, 'target = "cloud"\n', "b.toml")
    with pytest.raises(MappingError, match="give --target") as caught:
        load_mappings(Settings(mapping=[one, two]))
    assert caught.value.path == two and caught.value.line == 1


def test_bucket_on_influxdb3_is_the_database(tmp_path: Path) -> None:
    path = plan(tmp_path, '[[rename]]\nfrom = "telegraf/sampled_5m"\nbucket = "downsampled"\n')
    ms = load_mappings(Settings(target="v3-core", mapping=[path]))
    (rename,) = ms.renames
    assert (rename.to_database, rename.to_retention_policy, rename.bucket) == (
        "downsampled",
        "autogen",
        None,
    )
    assert ms.notes[0].startswith(f'{path}:1: bucket = "downsampled" is read as database')
    # on InfluxDB 2 it stays a bucket
    (kept,) = load_mappings(Settings(target="oss", mapping=[path])).renames
    assert kept.bucket == "downsampled" and kept.to_database is None


@pytest.mark.parametrize(
    ("bucket", "message"),
    [("0123456789abcdef", "is an InfluxDB 2 bucket ID"), ("my bucket", "InfluxDB 3 refuses it")],
)
def test_a_bucket_no_database_can_be_is_an_error(tmp_path: Path, bucket: str, message: str) -> None:
    path = plan(tmp_path, f'\n[[rename]]\nfrom = "a/b"\nbucket = "{bucket}"\n')
    with pytest.raises(MappingError, match=message) as caught:
        load_mappings(Settings(target="v3-core", mapping=[path]))
    assert (caught.value.path, caught.value.line) == (path, 2)
