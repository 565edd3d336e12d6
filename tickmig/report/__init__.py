"""`tickmig report`: one migration report for a load directory of Kapacitor tasks (summary,
per-task DBRPs, findings and diffs, the `influx` commands to run first, Telegraf outputs for
stream tasks, kapacitor.conf checks) as Markdown, HTML, JSON or text. Modules load lazily."""

from __future__ import annotations

#: `--format` values; the first is the default.
FORMATS = ("markdown", "html", "json", "text")
#: Where Telegraf reaches Kapacitor's write API unless --kapacitor-url says otherwise.
DEFAULT_KAPACITOR_URL = "http://localhost:9092"

__all__ = ["DEFAULT_KAPACITOR_URL", "FORMATS"]
