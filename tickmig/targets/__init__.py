"""Target profiles: what the InfluxDB a Kapacitor user moves to does with 1.x databases and
retention policies (DBRP mappings on OSS 2 and Cloud, a naming rule on InfluxDB 3), which
InfluxQL and writes it accepts, and its limits. Everything that depends on the target keys off
a TargetProfile; ``--target`` (and ``--influx-version``, ``--kapacitor-version``) build it."""

from __future__ import annotations

from tickmig.targets.profile import (
    TARGET_NAMES,
    TargetProfile,
    parse_kapacitor_version,
    parse_target,
)

__all__ = ["TARGET_NAMES", "TargetProfile", "parse_kapacitor_version", "parse_target"]
