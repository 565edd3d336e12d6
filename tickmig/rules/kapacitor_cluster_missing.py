"""TM315: a task or `[fluxtask]` names an `[[influxdb]]` section that is not there."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorClusterMissing(ConfigRule):
    """A `.cluster()` or `[fluxtask] task-run-influxdb` names no enabled `[[influxdb]]`.

    ## What it does
    Compares the names that tasks use in `.cluster()` (and `[fluxtask] task-run-influxdb`)
    with the `[[influxdb]]` sections of kapacitor.conf: an error for a missing or disabled
    section, a warning for a `.cluster()` value tickmig cannot follow (a variable).

    ## Why is this bad?
    Kapacitor refuses to enable a task whose node names an unknown cluster; rewriting
    kapacitor.conf for InfluxDB 2 must keep the section names the tasks use.

    ## Example
    A task with `|influxDBOut().cluster('metrics')` and a kapacitor.conf whose only section is
    `name = "localhost"`. Use instead: a section `name = "metrics"` pointing at InfluxDB 2.

    ## References
    Kapacitor TICKscript `InfluxDBOutNode.cluster`:
    https://docs.influxdata.com/kapacitor/v1/reference/nodes/influx_d_b_out_node/#cluster;
    Kapacitor configuration, `[fluxtask]`:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/.
    """

    code = "TM315"
    name = "kapacitor-cluster-missing"
    severity = Severity.ERROR
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf = ctx.kapacitor_conf
        by_name = {c.name: c for c in conf.influxdb}
        enabled = {c.name for c in conf.enabled_clusters()}
        for name, tasks in sorted(
            ctx.deployment.clusters.items(), key=lambda x: (x[0] is None, x[0] or "")
        ):
            used = ", ".join(sorted(tasks))
            if name is None:
                yield self.finding(
                    ctx,
                    None,
                    f"a .cluster() value tickmig cannot follow (in {used}): check that it "
                    "names an [[influxdb]] section",
                    severity=Severity.WARNING,
                )
            elif name not in by_name:
                yield self.finding(
                    ctx,
                    None,
                    f".cluster('{name}') (in {used}) names no [[influxdb]] section: add a "
                    f'section named "{name}" that points at InfluxDB 2',
                )
            elif name not in enabled:
                yield self.finding(
                    ctx,
                    by_name[name].line,
                    f".cluster('{name}') (in {used}) names a disabled [[influxdb]] section",
                )
        target = conf.fluxtask_influxdb
        if conf.fluxtask_enabled and target and target != "none" and target not in enabled:
            yield self.finding(
                ctx,
                None,
                f'[fluxtask] task-run-influxdb = "{target}" names no enabled [[influxdb]] section',
            )
