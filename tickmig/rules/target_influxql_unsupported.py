"""TM410: a batch query uses InfluxQL the InfluxDB 3 engine does not support."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.influxql.lexer import IDENT, KEYWORD, InfluxQLError, tokenize
from tickmig.rules.base import Context, Rule
from tickmig.targets.v3names import query_database
from tickmig.tasks.model import DBRPUse

#: Functions the InfluxDB 3 InfluxQL implementation lacks: SAMPLE() and every technical
#: analysis function.
UNSUPPORTED_FUNCTIONS = frozenset(
    {
        "sample",
        "holt_winters",
        "holt_winters_with_fit",
        "chande_momentum_oscillator",
        "exponential_moving_average",
        "double_exponential_moving_average",
        "triple_exponential_moving_average",
        "triple_exponential_derivative",
        "kaufmans_efficiency_ratio",
        "kaufmans_adaptive_moving_average",
        "relative_strength_index",
    }
)
UNSUPPORTED_KEYWORDS = {"SLIMIT": "SLIMIT", "SOFFSET": "SOFFSET", "INTO": "SELECT ... INTO"}


class TargetInfluxQLUnsupported(Rule):
    """A batch query uses InfluxQL that the target's query engine does not support.

    ## What it does
    On targets whose InfluxQL is InfluxDB 3's (`v3-core`, `v3-enterprise`,
    `cloud-serverless`), reports batch queries that use `SLIMIT`, `SOFFSET`, `SAMPLE()`,
    `HOLT_WINTERS()`/`HOLT_WINTERS_WITH_FIT()` or another technical-analysis function
    (`EXPONENTIAL_MOVING_AVERAGE()`, `RELATIVE_STRENGTH_INDEX()`...), `SELECT ... INTO`, or
    sources in more than one database (after the `db/rp` naming rule, two retention policies
    of one 1.x database are two databases).

    ## Why is this bad?
    The query fails every period (`can only perform queries on a single database`, a parse
    error for `INTO`, or an unsupported-function error); the task emits nothing.

    ## Example
    ```tick target=v3-core
    batch
        |query('SELECT holt_winters(max("v"), 10, 4) FROM "app"."autogen"."load" SLIMIT 5')
    ```
    Use instead: compute forecasts and moving averages in Kapacitor (`|movingAverage()`...),
    drop `SLIMIT`/`SOFFSET` (`|limit()` after the query), one query per database joined in
    Kapacitor, `influxDBOut()` instead of `INTO`:
    ```tick target=v3-core
    batch
        |query('SELECT max("v") FROM "app"."autogen"."load"')
        |movingAverage('max', 10)
    ```

    ## References
    docs-v2 `content/shared/influxql-v3-reference/feature-support.md`; influxdata/influxdb
    `core/iox_query_influxql_rewrite/src/lib.rs` (`MultiDatabase`),
    `core/influxdb_influxql_parser/src/select.rs` (no `INTO` clause).
    """

    code = "TM410"
    name = "target-influxql-unsupported"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        profile = ctx.mappings.profile
        if profile.engine != "iox" or ctx.task.type != "batch":
            return
        by_node: dict[int, list[DBRPUse]] = {}
        for use in ctx.task.reads:
            if use.via == "query" and use.query is not None and use.node is not None:
                by_node.setdefault(use.node.start, []).append(use)
        for uses in by_node.values():
            first = uses[0]
            assert first.node is not None and first.query is not None
            lacks = _unsupported(first.query)
            databases = sorted(
                {
                    query_database(u.database.text, u.retention_policy.text or None)
                    for u in uses
                    if u.database.text
                }
            )
            if profile.v3 and len(databases) > 1:
                lacks.append(f"sources in {len(databases)} databases ({', '.join(databases)})")
            if lacks:
                yield self.diagnostic(
                    ctx.location(first.path, first.node.start, first.node.end),
                    f"{profile.label} cannot run this query: it uses {', '.join(lacks)}",
                )


def _unsupported(query: str) -> list[str]:
    try:
        tokens = tokenize(query)
    except InfluxQLError:
        return []
    found: list[str] = []
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        if token.kind == KEYWORD and token.text in UNSUPPORTED_KEYWORDS:
            what = UNSUPPORTED_KEYWORDS[token.text]
        elif (
            token.kind == IDENT
            and not token.quoted
            and token.text.lower() in UNSUPPORTED_FUNCTIONS
            and following is not None
            and following.kind == "("
        ):
            what = f"{token.text.upper()}()"
        else:
            continue
        if what not in found:
            found.append(what)
    return found
