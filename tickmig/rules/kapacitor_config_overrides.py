"""TM320: settings stored through Kapacitor's API may override the edited kapacitor.conf."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.secrets import redact_url
from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


def override_warning(kapacitor_url: str, skip: bool | None) -> str:
    """The warning, for the report also when no kapacitor.conf was given (skip None)."""
    state = (
        "this file does not set skip-config-overrides = true"
        if skip is False
        else "unless skip-config-overrides = true or [config-override] enabled = false"
    )
    return (
        "Settings saved through Kapacitor's API (/kapacitor/v1/config, e.g. by Chronograf) "
        f"override kapacitor.conf when Kapacitor starts ({state}): check them with "
        f"curl -s {redact_url(kapacitor_url)}/kapacitor/v1/config/influxdb and remove or "
        "update them, "
        "or the edits to the file may not take effect."
    )


class KapacitorConfigOverrides(ConfigRule):
    """Settings stored through Kapacitor's config API override the edited kapacitor.conf.

    ## What it does
    Reports a kapacitor.conf under which stored overrides apply at start: `[config-override]
    enabled` is not false and `skip-config-overrides` is not true.

    ## Why is this bad?
    Settings saved through `/kapacitor/v1/config` (by Chronograf, for instance) are applied
    over the file when Kapacitor starts, so an `[[influxdb]]` section edited for InfluxDB 2
    may never take effect.

    ## Example
    ```toml
    skip-config-overrides = false
    [config-override]
      enabled = true
    ```
    Use instead: check `curl -s http://kapacitor:9092/kapacitor/v1/config/influxdb` and
    remove or update the stored overrides (or set `skip-config-overrides = true`).

    ## References
    Kapacitor configuration overrides:
    https://docs.influxdata.com/kapacitor/v1/administration/config-api/.
    """

    code = "TM320"
    name = "kapacitor-config-overrides"
    severity = Severity.WARNING
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf = ctx.kapacitor_conf
        if not conf.overrides_apply:
            return
        root = ctx.editor.table(())
        section = ctx.editor.table(("config-override",))
        line = (ctx.editor.line_of(section, "enabled") if section else None) or (
            ctx.editor.line_of(root, "skip-config-overrides") if root else None
        )
        yield self.finding(ctx, line, override_warning(ctx.deployment.kapacitor.url, False))
