"""TM003: the task declares no DBRP."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class MissingDBRP(Rule):
    """The task names no database/retention policy: no `dbrp` statement, no task definition.

    ## What it does
    Reports a stream or batch task with no `dbrp "db"."rp"` statement and no `dbrps` in a
    task definition file.

    ## Why is this bad?
    Kapacitor refuses such a task (`must specify dbrp`) unless it is defined with
    `kapacitor define -dbrp db.rp`. Against InfluxDB 2 the task's DBRPs decide which data a
    stream task receives from the writers and which mappings a batch task's queries need, so
    they belong in the script where tickmig (and reviewers) can see them.

    ## Example
    ```tick
    stream
        |from()
            .measurement('cpu')
    ```
    Use instead:
    ```tick
    dbrp "telegraf"."autogen"

    stream
        |from()
            .measurement('cpu')
    ```

    ## References
    Kapacitor `services/task_store/service.go`;
    docs.influxdata.com/kapacitor/v1/working/cli_client/ (`kapacitor define -dbrp`).
    """

    code = "TM003"
    name = "missing-dbrp"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        if task.template or task.type == "invalid" or task.dbrps:
            return
        if "dbrps-from-command-line" in ctx.facts:
            return  # a vars file: `kapacitor define -dbrp` gives them
        if "instantiated" in ctx.facts:
            return  # a task definition beside the script gives them (checked there)
        yield self.diagnostic(
            ctx.location(task.path, 0, 0),
            f"{task.type} task declares no dbrp: Kapacitor refuses it (`must specify dbrp`) "
            "unless it is defined with -dbrp",
        )
