"""tickmig: find and fix what breaks when Kapacitor tasks move to InfluxDB 2."""

from __future__ import annotations

__version__ = "0.1.0"
