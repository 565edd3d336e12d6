"""TM109: a database or retention policy is decided by a template variable."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location


class TemplateVarDBRP(Rule):
    """A DBRP value is a template variable that no task definition in view fills.

    ## What it does
    Reports `.database()`, `.retentionPolicy()` and `query()` values that are template vars
    (`var db string`) of a template that tickmig sees without any task definition.

    ## Why is this bad?
    The pair is only known when a task is created from the template (`kapacitor define
    -template ... -vars ...`), so tickmig cannot check its mapping. Each task created from
    the template must be checked with its vars: put its definition (YAML/JSON with
    `template-id` and `vars`) in the load directory's `tasks/`.

    ## Example
    ```tick
    var database string

    batch
        |query('SELECT * FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database(database)
            .retentionPolicy('hourly')
    ```
    Use instead, when every task made from the template writes to the same database:
    ```tick
    batch
        |query('SELECT * FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('hourly')
    ```

    ## References
    Kapacitor template tasks: docs.influxdata.com/kapacitor/v1/working/template_tasks/
    """

    code = "TM109"
    name = "template-var-dbrp"
    severity = Severity.INFO

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        if task.definition is not None or "instantiated" in ctx.facts:
            return
        for use in task.uses():
            for part, value in (
                ("database", use.database),
                ("retention_policy", use.retention_policy),
            ):
                if value.kind == "template" and value.text is None:
                    yield self.diagnostic(
                        use_location(ctx, use, part),
                        f"the {part.replace('_', ' ')} {use.direction} here comes from template "
                        f"var {value.var!r}: check each task defined from this template",
                    )
