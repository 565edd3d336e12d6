"""TM104: a batch query reads a database/retention policy the task does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import quoted, read_pair, use_location
from tickmig.rules.planned_rename import rename_fix
from tickmig.tickscript.nodes import DBRP


class UndeclaredQuerySource(Rule):
    """A `query()` FROM source names a DBRP that no `dbrp` statement of the task declares.

    ## What it does
    Compares the fully qualified FROM sources of every batch query with the task's DBRPs
    (its `dbrp` statements, or the `dbrps` of the task definition that instantiates it).

    ## Why is this bad?
    Kapacitor refuses to enable the task: `batch query is not allowed to request data from
    "db"."rp"`. A migration that renames DBRPs must rename both places together.

    ## Example
    ```tick
    dbrp "telegraf"."autogen"

    batch
        |query('SELECT mean("used") FROM "telegraf"."one_month"."mem"')
    ```
    Use instead: declare the pair the query reads, or query the declared pair:
    ```tick
    dbrp "telegraf"."autogen"
    dbrp "telegraf"."one_month"

    batch
        |query('SELECT mean("used") FROM "telegraf"."one_month"."mem"')
    ```

    ## Fix safety
    Unsafe: the fix declares the pair the query reads, after the last `dbrp` statement. That
    is right when the query is right; when the query names the wrong pair, fix the query.
    When the mapping plan renames the pair and TM120 can rewrite the query, there is no fix
    here: TM120 renames the query first, and the next pass declares the new pair (declaring
    the old one would only be renamed again).

    ## References
    Kapacitor `task.go` (checkDBRPs).
    """

    code = "TM104"
    name = "undeclared-query-source"
    severity = Severity.ERROR
    fix_safety = Applicability.UNSAFE
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        pairs = [read_pair(u) for u in task.dbrps]
        declared = {p for p in pairs if p is not None}
        if not pairs or len(declared) != len(set(pairs)):
            return  # no dbrps (TM003), or ones tickmig cannot read
        for use in task.reads:
            pair = read_pair(use) if use.via == "query" else None
            if pair is not None and pair not in declared:
                names = ", ".join(quoted(*p) for p in sorted(declared))
                yield self.diagnostic(
                    use_location(ctx, use),
                    f"query reads {quoted(*pair)}, which the task does not declare "
                    f"(its dbrps: {names}): Kapacitor refuses to enable it",
                    fix=None if rename_fix(ctx, use) is not None else _declare(ctx, pair),
                )


def _declare(ctx: Context, pair: tuple[str, str]) -> Fix | None:
    """Add `dbrp "db"."rp"` on its own line after the script's last dbrp statement."""
    statements = [s for s in ctx.task.script.statements if isinstance(s, DBRP)]
    if not statements or ctx.task.definition is not None:
        return None  # the task's DBRPs live in a task definition: no statement to follow
    last = statements[-1]
    text = ctx.texts[ctx.task.path]
    line_start = text.rfind("\n", 0, last.start) + 1
    indent = text[line_start : last.start]
    if indent.strip():
        return None
    newline = "\r\n" if text[:line_start].endswith("\r\n") else "\n"
    db, rp = (name.replace('"', '\\"') for name in pair)
    statement = f'{newline}{indent}dbrp "{db}"."{rp}"'
    return Fix(
        f'Declare dbrp "{pair[0]}"."{pair[1]}"',
        (Edit(ctx.task.path, last.end, last.end, statement),),
        Applicability.UNSAFE,
    )
