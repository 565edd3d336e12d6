"""TM319: Kapacitor's HTTP API requires authentication from the writers."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorHttpAuth(ConfigRule):
    """`[http] auth-enabled = true`: writers to Kapacitor need a Kapacitor user.

    ## What it does
    Reports a kapacitor.conf with `[http] auth-enabled = true`.

    ## Why is this bad?
    Stream tasks now get their data from writers posting to Kapacitor's `/write` (Telegraf
    outputs to Kapacitor). With authentication on, those writers need the username and
    password of a Kapacitor user allowed to write, or Kapacitor answers 401.

    ## Example
    ```toml
    [http]
      auth-enabled = true
    ```
    Use instead: give the Telegraf outputs to Kapacitor `username` and `password`.

    ## References
    Kapacitor authentication and authorization:
    https://docs.influxdata.com/kapacitor/v1/administration/auth/.
    """

    code = "TM319"
    name = "kapacitor-http-auth"
    severity = Severity.INFO
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        if ctx.kapacitor_conf.http.auth_enabled:
            yield self.finding(
                ctx,
                ctx.kapacitor_conf.http.line,
                "[http] auth-enabled = true: the Telegraf outputs to Kapacitor need the "
                "username and password of a Kapacitor user allowed to write",
            )
