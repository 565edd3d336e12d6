"""DBRP mappings from files, servers or the embedded default, resolved as InfluxDB 2 does."""

from __future__ import annotations

from tickmig.mappings.combine import combine
from tickmig.mappings.embedded import embedded_default
from tickmig.mappings.errors import MappingError
from tickmig.mappings.files import load_mapping_file
from tickmig.mappings.influx2 import load_from_influxdb2
from tickmig.mappings.model import (
    Bucket,
    Database,
    Mapping,
    MappingSet,
    Rename,
    Resolution,
    ResolutionStatus,
    SourceRetentionPolicy,
    Target,
)
from tickmig.mappings.v1query import load_from_influxql

__all__ = [
    "Bucket",
    "Database",
    "Mapping",
    "MappingError",
    "MappingSet",
    "Rename",
    "Resolution",
    "ResolutionStatus",
    "SourceRetentionPolicy",
    "Target",
    "combine",
    "embedded_default",
    "load_from_influxdb2",
    "load_from_influxql",
    "load_mapping_file",
]
