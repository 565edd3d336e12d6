"""TM312: an `[[influxdb]]` section has no credentials InfluxDB 2 accepts."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.kapacitor_facts import InfluxDBCluster, KapacitorConf
from tickmig.configs.patches import SetKey
from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import (
    ConfigContext,
    ConfigRule,
    RuleFinding,
    cluster_line,
    cluster_table,
)


class KapacitorInfluxdbCredentials(ConfigRule):
    """An enabled `[[influxdb]]` section has no token: no credentials, or a 1.x user's.

    ## What it does
    Reports each enabled `[[influxdb]]` section without a `token`: an error without any
    credentials, a warning with `username`/`password`.

    ## Why is this bad?
    InfluxDB 2 requires credentials on its 1.x API. `influxd upgrade` does not migrate admin
    users, and Kapacitor's documentation asks for an admin user, so a 1.x username/password
    is likely refused (401, logged by Kapacitor only as `invalid response: code 401`).

    ## Example
    ```toml
    [[influxdb]]
      urls = ["http://influxdb2:8086"]
      username = "kapacitor"
      password = "..."
    ```
    Use instead: `token = "..."` (Kapacitor 1.6 or later; or the environment variable
    `KAPACITOR_INFLUXDB_0_TOKEN`), or the username/password of an `influx v1 auth create`
    authorization.

    ## Fix safety
    Safe: the patched copy adds an empty `token = ""` with a comment to fill it in; an empty
    token is the same as none, so nothing changes until it is filled.

    ## References
    Kapacitor configuration, `[[influxdb]]` token:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/#influxdb;
    InfluxDB upgrade, users:
    https://docs.influxdata.com/influxdb/v2/install/upgrade/v1-to-v2/automatic-upgrade/.
    """

    code = "TM312"
    name = "kapacitor-influxdb-credentials"
    severity = Severity.WARNING
    fix_safety = Applicability.SAFE
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf = ctx.kapacitor_conf
        profile = ctx.profile
        for cluster in ctx.clusters():
            if cluster.auth == "token":
                continue
            if profile.v3:
                yield from self._v3(ctx, cluster, profile.label)
                continue
            where = f'[[influxdb]] "{cluster.name}"'
            env, actions = _empty_token(conf, cluster, "InfluxDB 2 API")
            line = cluster_line(ctx, cluster, "username")
            if cluster.auth == "username/password":
                yield self.finding(
                    ctx,
                    line,
                    f'{where} authenticates as the 1.x user "{cluster.username}" with a '
                    "password: influxd upgrade does not migrate admin users (Kapacitor needed "
                    "one), so InfluxDB 2 may refuse it. Set token (Kapacitor >= 1.6; an empty "
                    f"token is added to fill in, or set {env}), or use a v1 authorization "
                    "(influx v1 auth create) as username/password",
                    actions=actions,
                    fix_title="add an empty token to fill in",
                )
            else:
                yield self.finding(
                    ctx,
                    line,
                    f"{where} has no credentials, and InfluxDB 2 requires them: set token "
                    f"(Kapacitor >= 1.6; an empty token is added to fill in, or set {env})",
                    actions=actions,
                    fix_title="add an empty token to fill in",
                    severity=Severity.ERROR,
                )

    def _v3(
        self, ctx: ConfigContext, cluster: InfluxDBCluster, label: str
    ) -> Iterator[RuleFinding]:
        """InfluxDB 3 takes a token as `token` (`Authorization: Token`), or as the password
        with any username (docs-v2 influxdb3 "v1 compatibility API" authentication)."""
        env, actions = _empty_token(ctx.kapacitor_conf, cluster, label)
        where = f'[[influxdb]] "{cluster.name}"'
        if cluster.auth == "username/password":
            message = (
                f'{where} authenticates as the 1.x user "{cluster.username}" with a password: '
                f"{label} has no users, it ignores the username and takes the password as a "
                f"token. Set token to the token created for Kapacitor (an empty token is added "
                f"to fill in, or set {env})"
            )
            severity = None
        else:
            message = (
                f"{where} has no credentials, and {label} requires a token: set token (an "
                f"empty token is added to fill in, or set {env})"
            )
            severity = Severity.ERROR
        yield self.finding(
            ctx,
            cluster_line(ctx, cluster, "username"),
            message,
            actions=actions,
            fix_title="add an empty token to fill in",
            severity=severity,
        )


def _empty_token(
    conf: KapacitorConf, cluster: InfluxDBCluster, what: str
) -> tuple[str, list[SetKey]]:
    """The environment variable that sets the cluster's token, and the empty `token` the fix
    adds to fill in (none when the section has the key)."""
    env = f"KAPACITOR_INFLUXDB_{cluster.index}_TOKEN"
    if cluster.has_token_key:
        return env, []
    comments = (
        f"{what} token (Kapacitor >= 1.6), used instead of",
        f"username/password when set. Fill it in, or set {env}.",
    )
    after = ("password", "username", "urls")
    return env, [SetKey(cluster_table(conf, cluster), "token", "", comments=comments, after=after)]
