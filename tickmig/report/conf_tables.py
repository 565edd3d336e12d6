"""The kapacitor.conf tables of the report ([[influxdb]] sections, .cluster() uses), built once
for every renderer: each renderer passes its own markup (code spans, escaped text, a flagged
value) and lays the rows out as its format's table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tickmig.report import common
from tickmig.report.model import KapacitorReport

Table = tuple[list[str], list[list[str]]]

SECTION_HEADER = [
    "[[influxdb]]",
    "enabled",
    "default",
    "urls",
    "auth",
    "disable-subscriptions",
    ".cluster() in",
]
CLUSTER_HEADER = [".cluster()", "used by", "section in kapacitor.conf"]


@dataclass(frozen=True)
class Markup:
    """How one format writes a cell: code (a name, URLs), text (free text, escaped) and flag
    (a value that needs the operator's attention, e.g. disable-subscriptions = false)."""

    code: Callable[[str], str]
    text: Callable[[str], str]
    flag: Callable[[str], str]


def sections_table(kap: KapacitorReport, m: Markup) -> Table:
    """One row per [[influxdb]] section: whether it is enabled and default, its URLs and auth,
    whether subscriptions are disabled, and the tasks whose .cluster() names it."""
    rows = [
        [
            m.code(s.name),
            "yes" if s.enabled else "no",
            "yes" if s.default else "no",
            m.code(", ".join(s.urls)),
            m.text(s.auth),
            "true" if s.disable_subscriptions else m.flag("false"),
            m.text(", ".join(common.short(t) for t in s.used_by)),
        ]
        for s in kap.sections
    ]
    return SECTION_HEADER, rows


def clusters_table(kap: KapacitorReport, m: Markup) -> Table:
    """One row per .cluster() name the tasks use: who uses it, and whether kapacitor.conf has a
    section of that name (not checked without kapacitor.conf)."""
    rows = [
        [
            m.code(c.name),
            m.text(", ".join(common.short(t) for t in c.used_by)),
            m.text("not checked")
            if c.found is None
            else ("found" if c.found else m.flag("missing")),
        ]
        for c in kap.clusters
    ]
    return CLUSTER_HEADER, rows
