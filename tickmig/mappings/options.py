"""Turns the mapping options (--mapping, --influx-url, --influxql-url, --target) into one
MappingSet; with none of them, InfluxDB's virtual-mapping convention (embedded default)."""

from __future__ import annotations

import os

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


def load_mappings(settings: Settings) -> MappingSet:
    """Every mapping source the settings name, combined; raises ConfigError or MappingError
    (one line naming the file or URL, never a token or password)."""
    target = settings.target
    if target not in ("oss", "cloud"):
        raise ConfigError(f"target must be oss or cloud, not {target!r}")
    sets: list[MappingSet] = []
    for path in settings.mapping:
        if not os.path.exists(path):  # anything else there is refused by its type on reading
            raise ConfigError(f"{path}: no such mapping file")
        sets.append(load_mapping_file(path, target=target))  # type: ignore[arg-type]
    if settings.influx_url:
        if not settings.org:
            raise ConfigError("--influx-url needs --org (the InfluxDB 2 organization name)")
        token = os.environ.get(settings.token_env)
        if not token:
            raise ConfigError(
                f"--influx-url needs a token: set the environment variable "
                f"{settings.token_env} (or name another with --token-env)"
            )
        sets.append(load_from_influxdb2(settings.influx_url, settings.org, token, target))  # type: ignore[arg-type]
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
                target=target,  # type: ignore[arg-type]
            )
        )
    if not sets:
        return embedded_default(target)  # type: ignore[arg-type]
    return combine(sets, target=target)  # type: ignore[arg-type]
