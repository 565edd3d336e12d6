"""TM321: a kapacitor.conf listener writes a database the plan renames."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.patches import SetKey, TableRef
from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorListenerRenamed(ConfigRule):
    """A kapacitor.conf listener writes a (db, rp) that the plan renames.

    ## What it does
    Looks at each enabled listener of kapacitor.conf (`[[udp]]`, `[[graphite]]`,
    `[collectd]`, `[opentsdb]`): the database it writes (its `database`, else the service's
    default: `graphite`, `collectd`, `opentsdb`) and retention policy (its
    `retention-policy`, else `default-retention-policy`). When the plan (`--mapping
    plan.toml`) renames that pair, the patched copy sets the listener's `database` (and
    `retention-policy`) to the new names.

    ## Why is this bad?
    `tickmig migrate` rewrites the stream tasks to read the renamed pair. A listener writes
    into Kapacitor's own stream, which routes points by exact (db, rp): while it keeps
    sending the old names, the renamed tasks get nothing.

    ## Example
    ```toml
    [[udp]]
      enabled = true
      bind-address = ":8089"
      database = "telegraf"
      retention-policy = "one_year"
    ```
    with a plan that renames `"telegraf"."one_year"` to `"telegraf"."downsampled"`. Use instead:
    ```toml
    [[udp]]
      enabled = true
      bind-address = ":8089"
      database = "telegraf"
      retention-policy = "downsampled"
    ```

    ## Fix safety
    Safe with the migrated scripts: only stream tasks read what a listener writes, and the
    plan renames the pair in every one of them.

    ## References
    Kapacitor `services/udp/config.go` and `server/config.go` (the listeners and their
    `database`/`retention-policy` keys); InfluxDB 1.x `services/collectd/config.go`,
    `services/graphite/config.go`, `services/opentsdb/config.go` (their default databases);
    Kapacitor configuration: https://docs.influxdata.com/kapacitor/v1/administration/configuration/.
    """

    code = "TM321"
    name = "kapacitor-listener-renamed"
    severity = Severity.WARNING
    fix_safety = Applicability.SAFE
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf = ctx.kapacitor_conf
        ms = ctx.deployment.mappings
        for listener in conf.listeners:
            if not listener.enabled or not listener.database:
                continue
            db = listener.database
            rp = listener.retention_policy or conf.default_retention_policy or None
            rename = ms.rename_for(db, rp)
            if rename is None or rename.to_database is None:
                continue
            new_db = rename.to_database
            new_rp = rename.to_retention_policy or rp
            if (new_db, new_rp) == (db, rp):
                continue
            index = listener.index if listener.kind in ("udp", "graphite") else None
            table = TableRef((listener.kind,), index)
            actions = []
            if new_db != db:
                actions.append(SetKey(table, "database", new_db, after=("bind-address",)))
            if new_rp != rp and new_rp is not None:
                actions.append(
                    SetKey(table, "retention-policy", new_rp, after=("database", "bind-address"))
                )
            old = f'"{db}"' + (f'."{rp}"' if rp else "")
            new = f'"{new_db}"' + (f'."{new_rp}"' if new_rp else "")
            yield self.finding(
                ctx,
                listener.line,
                f"{listener.label} writes {old}, which the plan ({rename.source}) renames to "
                f"{new}: the migrated stream tasks read {new}, so the listener must write it",
                actions=actions,
                fix_title=f"make {listener.label} write {new}",
            )
