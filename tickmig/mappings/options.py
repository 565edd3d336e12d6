"""Turns the mapping options (--mapping, --influx-url, --influxql-url, --influx3-url, --target)
into one MappingSet; with none of them, InfluxDB's virtual-mapping convention (embedded default)."""

from __future__ import annotations

import os
from dataclasses import replace

from tickmig.errors import ConfigError
from tickmig.mappings import (
    MappingSet,
    combine,
    embedded_default,
    load_from_influxdb2,
    load_from_influxql,
    load_mapping_file,
)
from tickmig.settings import Settings
from tickmig.targets import TargetProfile, parse_target


def load_mappings(settings: Settings) -> MappingSet:
    """Every mapping source the settings name, combined; raises ConfigError or MappingError
    (one line naming the file or URL, never a token or password)."""
    from tickmig.mappings.plan_target import choose_target, for_target

    given = target_profile(settings)
    files: list[MappingSet] = []
    for path in settings.mapping:
        if not os.path.exists(path):  # anything else there is refused by its type on reading
            raise ConfigError(f"{path}: no such mapping file")
        files.append(load_mapping_file(path))
    target, notes = choose_target(given, target_given(settings), files)
    sets = [for_target(s, target) for s in files]
    if settings.influx_url:
        if not settings.org:
            raise ConfigError("--influx-url needs --org (the InfluxDB 2 organization name)")
        token = os.environ.get(settings.token_env)
        if not token:
            raise ConfigError(
                f"--influx-url needs a token: set the environment variable "
                f"{settings.token_env} (or name another with --token-env)"
            )
        sets.append(load_from_influxdb2(settings.influx_url, settings.org, token, target))
    if settings.influxql_url:
        password = os.environ.get(settings.password_env) if settings.username else None
        if settings.username and password is None:
            raise ConfigError(
                f"--username needs a password: set the environment variable "
                f"{settings.password_env} (or name another with --password-env)"
            )
        sets.append(
            load_from_influxql(
                settings.influxql_url,
                settings.username,
                password,
                target=target,
            )
        )
    if settings.influx3_url:
        if not target.v3:
            raise ConfigError(
                f"--influx3-url lists InfluxDB 3 databases: use it with --target v3-core or "
                f"v3-enterprise, not {target}"
            )
        token = os.environ.get(settings.token_env)
        if not token:
            raise ConfigError(
                f"--influx3-url needs a token: set the environment variable "
                f"{settings.token_env} (or name another with --token-env)"
            )
        from tickmig.mappings.influx3 import load_from_influxdb3

        sets.append(load_from_influxdb3(settings.influx3_url, token, target))
    if not sets:
        return embedded_default(target)
    combined = combine(sets, target=target)
    return replace(combined, notes=notes + combined.notes) if notes else combined


def target_given(settings: Settings) -> str | None:
    """Where the target was given (``--target v3-core``, ``target = "v3-core" in FILE``);
    None when it is the default (a plan's ``target =`` then decides)."""
    if "target" in settings.from_file:
        return f'target = "{settings.target}" in {settings.source}'
    if settings.target != "oss" or "target" in settings.given or settings.influx_version:
        return f"--target {settings.target}"
    return None


def target_profile(settings: Settings) -> TargetProfile:
    """The target profile of --target, --influx-version, --kapacitor-version and
    --cloud-plan."""
    try:
        return parse_target(
            settings.target,
            settings.influx_version,
            settings.kapacitor_version,
            settings.cloud_plan,
        )
    except ValueError as exc:
        where = settings.where("target", "influx_version", "kapacitor_version", "cloud_plan")
        raise ConfigError(f"{where}{exc}") from None
