"""TM330: kapacitor.conf runs Flux tasks against InfluxDB 3, which has no Flux."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.patches import TableRef
from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class V3FluxtaskEnabled(ConfigRule):
    """`[fluxtask] enabled = true` in kapacitor.conf on an InfluxDB 3 target.

    ## What it does
    On `--target v3-core` or `v3-enterprise`, reports a kapacitor.conf whose `[fluxtask]`
    service is enabled.

    ## Why is this bad?
    InfluxDB 3 has no Flux ("Flux ... is not supported in InfluxDB 3"). Kapacitor's Flux task
    service stores its task runs in `task-run-influxdb` and queries InfluxDB with Flux
    (`task/backend/analytical_storage.go` probes with `buckets()`), and every Flux task
    queries with Flux: none of it can work against InfluxDB 3. TICKscript tasks are not
    affected.

    ## Example
    With `--target v3-core`:
    ```toml target=v3-core
    [fluxtask]
      enabled = true
      task-run-influxdb = "localhost"
    ```
    Use instead (move Flux tasks to InfluxDB 3's processing engine or to TICKscript):
    ```toml target=v3-core
    [fluxtask]
      enabled = false
    ```

    ## Fix safety
    Safe: no Flux task can run against InfluxDB 3, so turning the service off loses nothing
    that worked; the patched copy sets `enabled = false`.

    ## References
    InfluxDB 3 docs: https://docs.influxdata.com/influxdb3/core/get-started/query/ ("Flux ...
    is not supported"); https://docs.influxdata.com/flux/v0/future-of-flux/; Kapacitor
    `etc/kapacitor/kapacitor.conf` (`[fluxtask]`, from 1.6) and `task/backend/
    analytical_storage.go` (https://github.com/influxdata/kapacitor).
    """

    code = "TM330"
    name = "v3-fluxtask-enabled"
    severity = Severity.ERROR
    fix_safety = Applicability.SAFE
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf = ctx.kapacitor_conf
        profile = ctx.profile
        if not profile.v3 or not conf.fluxtask_enabled:
            return
        yield self.set_key(
            ctx,
            TableRef(("fluxtask",)),
            "enabled",
            False,
            f"[fluxtask] is enabled, but {profile.label} has no Flux: Flux tasks and their "
            "run history cannot work; set enabled = false",
            fix_title="set [fluxtask] enabled = false",
        )
