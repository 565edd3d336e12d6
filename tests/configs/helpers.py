"""Facts about a deployment given directly (two stream tasks read telegraf/autogen), and the
TM3xx check run on configuration files the way `report` and `check` run it."""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.configs.model import Facts, Pair, StreamInput
from tickmig.engine.configs import ConfigCheck, check_configs
from tickmig.mappings import Mapping, MappingSet
from tickmig.settings import Settings

TELEGRAF = Pair("telegraf", "autogen")
MAPPINGS = MappingSet(
    (Mapping("telegraf", "autogen", "b1", "telegraf/autogen", True, False, "o", "m1", "test"),),
    (),
    (),
    "oss",
    "test",
)


@dataclass(frozen=True)
class Resolved:
    """How a pair resolves (the report's PairReport plays this part in a run)."""

    status: str = "exact"
    bucket: str | None = "telegraf/autogen"
    renamed_to: Pair | None = None


def facts(
    *,
    influx_url: str | None = None,
    all_known: bool = True,
    measurements: frozenset[str] = frozenset({"mem", "cpu"}),
    clusters: dict[str | None, set[str]] | None = None,
    flux: dict[str, str | None] | None = None,
    renamed_to: Pair | None = None,
    patch_influx_url: str | None = None,
) -> Facts:
    """Two stream tasks read telegraf/autogen (measurements mem and cpu by default)."""
    stream = StreamInput(TELEGRAF, {"tasks/a.tick", "tasks/b.tick"}, set(measurements), all_known)
    settings = Settings(org="acme", influx_url=influx_url)
    pairs = {TELEGRAF: Resolved(renamed_to=renamed_to)}
    return Facts(
        MAPPINGS,
        settings,
        [stream],
        clusters or {},
        flux or {},
        pairs,
        set(),
        patch_influx_url=patch_influx_url,
    )


def run(
    the_facts: Facts,
    telegraf: list[str] = (),  # type: ignore[assignment]
    kapacitor: str | None = None,
    *,
    kapacitor_url: str | None = None,
    enabled: set[str] | None = None,
) -> ConfigCheck:
    return check_configs(the_facts, list(telegraf), kapacitor, enabled, kapacitor_url)


def codes(check: ConfigCheck) -> list[tuple[str, int]]:
    return [(d.code, d.location.line) for r in check.results for d in r.diagnostics]
