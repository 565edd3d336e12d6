"""The target profile: one frozen object per product (and version) tickmig migrates to.

Sources (public):
* OSS 2 virtual DBRP mappings from 2.4, InfluxQL queries through them from 2.5: InfluxDB OSS
  release notes v2.4.0 and v2.5.0 (docs-v2 ``influxdb/v2/reference/release-notes/influxdb.md``).
* Cloud (TSM): DBRP API, no virtual mappings, a mapping is created on the first 1.x write when a
  bucket ``db/rp`` exists (docs-v2 ``influxdb/cloud/query-data/influxql/dbrp.md``).
* Cloud Serverless: the same ``influx v1 dbrp`` API (docs-v2
  ``influxdb3/cloud-serverless/reference/cli/influx/v1/dbrp/``), InfluxQL of the InfluxDB 3
  engine (docs-v2 ``shared/influxql-v3-reference/feature-support.md``).
* InfluxDB 3 Core / Enterprise: no DBRP API, ``db/rp`` naming rule, limits (influxdata/influxdb
  ``influxdb3/src/commands/serve.rs`` ``CORE_NUM_DBS_LIMIT``; docs-v2 ``data/products.yml``),
  Kapacitor >= 1.8.2 for v3's ``/ping`` (influxdata/kapacitor PR #2865).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from tickmig.targets.cloudplan import LIMITS, CloudPlan, PlanLimits, parse_cloud_plan

TargetName = Literal["oss", "cloud", "cloud-serverless", "v3-core", "v3-enterprise"]
TARGET_NAMES: tuple[TargetName, ...] = (
    "oss",
    "cloud",
    "cloud-serverless",
    "v3-core",
    "v3-enterprise",
)
#: Names people type for the same targets.
ALIASES: dict[str, TargetName] = {
    "oss2": "oss",
    "v2-oss": "oss",
    "cloud2": "cloud",
    "serverless": "cloud-serverless",
    "v3-serverless": "cloud-serverless",
    "core": "v3-core",
    "enterprise": "v3-enterprise",
}
#: Targets tickmig names but does not model, with the reason.
UNSUPPORTED = {
    "cloud-dedicated": (
        "InfluxDB Cloud Dedicated has no DBRP mapping API like Cloud's and its server code is "
        "not public; use --target v3-enterprise for the db/rp naming rule it documents"
    ),
}

_VERSION = re.compile(r"2\.(\d{1,2})(?:\.(\d{1,3}))?")
_KAPACITOR = re.compile(r"v?1\.(\d{1,2})(?:\.(\d{1,3}))?")

Dbrp = Literal["mappings", "naming"]
Engine = Literal["tsm", "iox"]

#: Precisions the v1 /write of the InfluxDB 3 engine parses (influxdata/influxdb
#: core/iox_http/src/write/params.rs); "m" and "h" are refused with 400.
V3_WRITE_PRECISIONS = frozenset({"s", "ms", "us", "u", "ns", "n"})


@dataclass(frozen=True)
class TargetProfile:
    """What one target does; build it with :func:`parse_target`.

    ``version`` is the InfluxDB OSS 2 (major, minor) when known (None: assume a current 2.x,
    2.5 or later). ``kapacitor`` is the Kapacitor version when known (--kapacitor-version).
    ``cloud_plan`` is the InfluxDB Cloud plan when known (--cloud-plan; Cloud targets only).
    """

    name: TargetName
    version: tuple[int, int] | None = None
    kapacitor: tuple[int, int, int] | None = None
    cloud_plan: CloudPlan | None = None

    def __str__(self) -> str:
        if self.version is not None:
            return f"{self.name}@{self.version[0]}.{self.version[1]}"
        return self.name

    @property
    def product(self) -> str:
        """The product family, where a message says what the target has or lacks
        ("InfluxDB 2 has no subscriptions", "InfluxDB 3 has no subscriptions")."""
        return product_of(self.name)

    @property
    def label(self) -> str:
        """The product, as a report names it."""
        return {
            "oss": "InfluxDB OSS 2" + (f".{self.version[1]}" if self.version is not None else ""),
            "cloud": "InfluxDB Cloud",
            "cloud-serverless": "InfluxDB Cloud Serverless",
            "v3-core": "InfluxDB 3 Core",
            "v3-enterprise": "InfluxDB 3 Enterprise",
        }[self.name]

    # --- DBRPs -------------------------------------------------------------------------------

    @property
    def dbrp(self) -> Dbrp:
        """ "mappings": a DBRP mapping API (OSS 2, Cloud, Serverless); "naming": InfluxDB 3's
        rule turning (db, rp) into a database name."""
        return "naming" if self.v3 else "mappings"

    @property
    def v3(self) -> bool:
        """InfluxDB 3 Core or Enterprise (no DBRP mappings at all)."""
        return self.name in ("v3-core", "v3-enterprise")

    @property
    def cloud_like(self) -> bool:
        """Cloud's DBRP behaviour: no virtual mappings, a mapping is created on the first 1.x
        write when bucket ``db/rp`` (or ``db``) exists."""
        return self.name in ("cloud", "cloud-serverless")

    @property
    def virtual_mappings(self) -> bool:
        """Virtual DBRP mappings derived from bucket names: OSS >= 2.4 only."""
        return self.name == "oss" and (self.version is None or self.version >= (2, 4))

    @property
    def influxql_through_virtual(self) -> bool:
        """InfluxQL queries resolve through virtual mappings: OSS >= 2.5."""
        return self.name == "oss" and (self.version is None or self.version >= (2, 5))

    # --- capabilities -----------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """Whose InfluxQL answers batch queries: the 1.x/2.x engine or InfluxDB 3's."""
        return "iox" if self.name in ("cloud-serverless", "v3-core", "v3-enterprise") else "tsm"

    @property
    def flux(self) -> bool:
        """Flux queries (Kapacitor's queryFlux, [fluxtask]) can run."""
        return not self.v3

    @property
    def write_precisions(self) -> frozenset[str] | None:
        """The precisions the v1 /write accepts, None when 1.x's set (n, u, ms, s, m, h)."""
        return V3_WRITE_PRECISIONS if self.v3 else None

    @property
    def database_limit(self) -> int | None:
        """How many databases the server allows (Core 5, Enterprise 100 by default)."""
        return {"v3-core": 5, "v3-enterprise": 100}.get(self.name)

    @property
    def query_window_hours(self) -> int | None:
        """How far back queries reach by default: Core's query-file-limit (432 files of 10
        minutes, about 72 hours); None when unbounded."""
        return 72 if self.name == "v3-core" else None

    @property
    def retention_mutable(self) -> bool:
        """Whether a database's retention can be changed after it was created."""
        return self.name != "v3-core"

    @property
    def resource_tokens(self) -> bool:
        """Database-scoped tokens with an expiry exist (Enterprise); Core has admin tokens."""
        return self.name == "v3-enterprise"

    @property
    def min_kapacitor(self) -> tuple[int, int, int]:
        """The oldest Kapacitor that works against this target with a token: 1.6.0 (the
        ``token`` key), 1.8.2 for InfluxDB 3 (its ``/ping`` answers 200 with a body)."""
        return (1, 8, 2) if self.v3 else (1, 6, 0)

    @property
    def plan_limits(self) -> PlanLimits | None:
        """The bucket and retention limits of the Cloud plan given (--cloud-plan); None when
        no plan was given or the target has no plans."""
        return LIMITS[self.cloud_plan] if self.cloud_plan is not None else None

    @property
    def default_port(self) -> int:
        return 8181 if self.v3 else 8086


def product_of(name: str) -> str:
    """The product family of a target name (``v3-core`` -> "InfluxDB 3")."""
    return {
        "cloud": "InfluxDB Cloud",
        "cloud-serverless": "InfluxDB Cloud Serverless",
        "v3-core": "InfluxDB 3",
        "v3-enterprise": "InfluxDB 3",
    }.get(name, "InfluxDB 2")


def parse_target(
    text: str,
    influx_version: str | None = None,
    kapacitor_version: str | None = None,
    cloud_plan: str | None = None,
) -> TargetProfile:
    """``oss``, ``oss@2.7``, ``cloud``, ``cloud-serverless``, ``v3-core``, ``v3-enterprise``
    (and a few aliases); ``influx_version`` is ``--influx-version`` (OSS only),
    ``cloud_plan`` ``--cloud-plan`` (Cloud and Cloud Serverless only). Raises ValueError with
    a one-line message."""
    raw = text.strip().lower()
    name_text, at, version_text = raw.partition("@")
    if name_text in UNSUPPORTED:
        raise ValueError(f"--target {name_text} is not supported: {UNSUPPORTED[name_text]}")
    name = ALIASES.get(name_text, name_text)
    if name not in TARGET_NAMES:
        known = ", ".join(TARGET_NAMES)
        raise ValueError(f"unknown target {text!r} (one of: {known}; oss@2.N for a version)")
    if at and influx_version is not None and version_text != influx_version.strip():
        raise ValueError(
            f"--target {text} and --influx-version {influx_version} name different versions"
        )
    version_text = version_text if at else (influx_version or "").strip()
    version = None
    if version_text:
        if name != "oss":
            raise ValueError(
                f"an InfluxDB version applies to --target oss only, not {name} "
                "(Cloud and InfluxDB 3 behave the same in every version tickmig knows)"
            )
        match = _VERSION.fullmatch(version_text)
        if match is None:
            raise ValueError(f"InfluxDB OSS version {version_text!r} is not 2.N or 2.N.P")
        version = (2, int(match.group(1)))
    profile = TargetProfile(name, version)
    if cloud_plan is not None and cloud_plan.strip():
        plan = parse_cloud_plan(cloud_plan)
        if name not in ("cloud", "cloud-serverless"):
            raise ValueError(
                f"--cloud-plan applies to --target cloud and cloud-serverless only, not {name}"
            )
        profile = replace(profile, cloud_plan=plan)
    if kapacitor_version:
        profile = replace(profile, kapacitor=parse_kapacitor_version(kapacitor_version))
    return profile


def parse_kapacitor_version(text: str) -> tuple[int, int, int]:
    """``1.8.2`` (or ``v1.8``) as (1, 8, 2); raises ValueError."""
    match = _KAPACITOR.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"Kapacitor version {text!r} is not 1.N or 1.N.P")
    return (1, int(match.group(1)), int(match.group(2) or 0))


def version_text(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)
