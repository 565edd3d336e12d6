"""TM414: a UDF, whose Python 2 agents Kapacitor 1.8.0 no longer runs."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.tickscript.nodes import Call


class KapacitorUdf(Rule):
    """A user-defined function node (`@name()`): Kapacitor 1.8.0 removed Python 2 UDFs.

    ## What it does
    Reports `@name()` UDF nodes when the migration needs Kapacitor 1.8 or later: always for
    InfluxDB 3 targets (they need 1.8.2), and for others when `--kapacitor-version` is 1.8.0
    or later.

    ## Why is this bad?
    Kapacitor 1.8.0 dropped the Python 2 UDF agent: a UDF whose `[udf.functions.NAME]`
    `prog` runs a Python 2 script fails to start, and so does every task using it.

    ## Example
    ```tick target=v3-core
    stream
        |from()
            .measurement('cpu')
        @movingAvg()
            .field('usage')
            .size(10)
    ```
    Use instead: port the UDF agent to Python 3 (`kapacitor/udf/agent` for Python 3) and point
    `prog` at `python3`, or replace it with built-in nodes:
    ```tick target=v3-core
    stream
        |from()
            .measurement('cpu')
        |movingAverage('usage', 10)
    ```

    ## References
    Kapacitor 1.8.0 release notes (docs-v2 `content/kapacitor/v1/reference/about_the_project/
    release-notes.md`); influxdata/kapacitor `udf/agent/py`.
    """

    code = "TM414"
    name = "kapacitor-udf"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        profile = ctx.mappings.profile
        needs_18 = profile.v3 or (profile.kapacitor is not None and profile.kapacitor >= (1, 8))
        if not needs_18:
            return
        why = (
            f"{profile.label} needs Kapacitor 1.8.2 or later"
            if profile.v3
            else "Kapacitor " + ".".join(map(str, profile.kapacitor or ()))
        )
        for node in ctx.task.script.walk():
            if isinstance(node, Call) and node.kind == "dynamic":
                yield self.diagnostic(
                    ctx.location(ctx.task.path, node.start, node.end),
                    f"UDF @{node.name}(): {why}, and Kapacitor 1.8.0 removed Python 2 UDFs; "
                    "its agent must run under Python 3",
                )
