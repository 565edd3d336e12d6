"""TM313: an `[[influxdb]]` section must now point at InfluxDB 2."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.secrets import redact_url
from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import (
    ConfigContext,
    ConfigRule,
    RuleFinding,
    cluster_line,
)


class KapacitorInfluxdbUrl(ConfigRule):
    """The `urls` of an enabled `[[influxdb]]` section must be InfluxDB 2's.

    ## What it does
    Reports each enabled `[[influxdb]]` section: its `urls` must reach InfluxDB 2's 1.x
    compatibility API. tickmig cannot tell which server a URL is; with
    `tickmig report --patch-influx-url URL` the patched copy sets `urls` to that URL
    (keeping the section's `name`, which tasks use in `.cluster()`). tickmig never writes the
    address it used to read the mappings (`--influx-url`) on its own.

    ## Why is this bad?
    A section still pointing at InfluxDB 1.x keeps batch tasks querying, and
    `influxDBOut()` writing, the old server.

    ## Example
    ```toml
    [[influxdb]]
      name = "localhost"
      urls = ["http://influxdb-1x:8086"]
    ```
    Use instead: `urls = ["http://influxdb2:8086"]`.

    ## Fix safety
    Safe, and only with `--patch-influx-url`: the operator names the URL.

    ## References
    Kapacitor configuration, `[[influxdb]]`:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/#influxdb.
    """

    code = "TM313"
    name = "kapacitor-influxdb-url"
    severity = Severity.INFO
    fix_safety = Applicability.SAFE
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        target = ctx.deployment.patch_influx_url
        profile = ctx.profile
        server = ctx.server
        for cluster in ctx.clusters():
            where = f'[[influxdb]] "{cluster.name}"'
            urls = ", ".join(cluster.urls)
            line = cluster_line(ctx, cluster, "urls")
            if target:
                if list(cluster.urls) != [redact_url(target)]:
                    yield self.set_key(
                        ctx,
                        cluster,
                        "urls",
                        [target],
                        f"{where}: urls {urls} set to {server} at {redact_url(target)} "
                        "(--patch-influx-url); keep the section's name",
                        fix_title=f"point urls at {server}",
                    )
                continue
            if profile.v3:
                port = (
                    " (8086 is InfluxDB 1.x's and 2.x's port; InfluxDB 3 listens on 8181 by "
                    "default)"
                    if any(_port(u) == 8086 for u in cluster.urls)
                    else ""
                )
                yield self.finding(
                    ctx,
                    line,
                    f"{where}: urls {urls} must be the URL of {server} (its v1 /query and "
                    f"/write, port 8181 by default){port}; tickmig cannot tell which server "
                    "that is (--patch-influx-url sets it)",
                )
                continue
            yield self.finding(
                ctx,
                line,
                f"{where}: urls {urls} must be the URL of InfluxDB 2 (its 1.x compatibility "
                "API); tickmig cannot tell which server that is (--patch-influx-url sets it)",
            )


def _port(url: str) -> int | None:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).port
    except ValueError:
        return None
