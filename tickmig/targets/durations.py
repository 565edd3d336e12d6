"""1.x retention-policy durations and InfluxDB 3 retention periods.

1.x writes durations as InfluxQL duration literals (``30d``, ``1w``, ``2h30m``) and ``SHOW
RETENTION POLICIES`` answers Go's ``time.Duration`` text (``720h0m0s``), with ``0s`` (or
``INF``) for "keep forever". InfluxDB 3's ``influxdb3 create database --retention-period`` takes
a humantime duration (influxdata/influxdb ``influxdb3/src/commands/create.rs``); leaving it out
means indefinite retention. ``0d`` on InfluxDB 3 means "delete everything" (docs-v2
``shared/influxdb3-admin/databases/create.md``), the opposite of 1.x, so tickmig never emits it.
"""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+)(ns|us|µs|u|µ|ms|s|m|h|d|w)")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SUB = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "u": 1e-6, "µ": 1e-6, "ms": 1e-3}


def parse_v1_duration(text: str) -> int | None:
    """Seconds of a 1.x duration; None for "keep forever" (``INF``, ``0s``, ``0``).
    Raises ValueError for text that is not a duration."""
    raw = text.strip()
    if raw.upper() == "INF" or raw in ("0", ""):
        return None
    pos, total = 0, 0.0
    for match in _PART.finditer(raw):
        if match.start() != pos:
            break
        pos = match.end()
        value, unit = int(match.group(1)), match.group(2)
        total += value * _SECONDS[unit] if unit in _SECONDS else value * _SUB[unit]
    if pos != len(raw) or pos == 0:
        raise ValueError(f"{text!r} is not a 1.x duration")
    seconds = int(total)
    return seconds or None


def v3_retention(seconds: int | None) -> str | None:
    """The ``--retention-period`` value for a 1.x duration, in one exact unit (``30d``,
    ``36h``); None when the data is kept forever (leave the option out: never ``0d``)."""
    if seconds is None or seconds <= 0:
        return None
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def human(seconds: int | None) -> str:
    """A duration for messages: ``7d``, ``72h``, ``forever``."""
    return v3_retention(seconds) or "forever"
