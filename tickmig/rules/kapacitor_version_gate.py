"""TM415: the Kapacitor version cannot work with the target."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.v3 import reaches


class KapacitorVersionGate(Rule):
    """The Kapacitor given by `--kapacitor-version` is too old for the target.

    ## What it does
    With `--kapacitor-version`, reports each task that reads or writes InfluxDB when the
    version is older than 1.8.2 on InfluxDB 3 targets, or older than 1.6.0 on InfluxDB 2 /
    Cloud (where it then cannot send a token).

    ## Why is this bad?
    InfluxDB 3's `/ping` answers 200 with a JSON body; Kapacitor before 1.8.2 accepts only 204
    and fails at start, so no task runs. Before 1.6 the `[[influxdb]]` section has no `token`
    key: against InfluxDB 2 it must use a v1 authorization (`influx v1 auth create`).

    ## Example
    With `--target v3-core --kapacitor-version 1.7.5`:
    ```tick target=v3-core kapacitor=1.7.5
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
    ```
    Use instead: upgrade Kapacitor to 1.8.2 or later before switching it to InfluxDB 3:
    ```tick target=v3-core kapacitor=1.8.2
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
    ```

    ## References
    influxdata/kapacitor PR #2865 (`influxdb/client.go` `PingResponseV3`), Kapacitor 1.8.2 and
    1.6.0 release notes (docs-v2 `content/kapacitor/v1/reference/about_the_project/
    release-notes.md`).
    """

    code = "TM415"
    name = "kapacitor-version-gate"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        profile = ctx.mappings.profile
        have = profile.kapacitor
        if have is None or have >= profile.min_kapacitor:
            return
        touches = next(iter(reaches(ctx.task)), None)
        flux = next((f for f in ctx.task.features if f.name == "queryFlux"), None)
        if touches is None and flux is None:
            return
        start, end = (
            (touches.use.start, touches.use.end)
            if touches is not None
            else (flux.call.start, flux.call.end)  # type: ignore[union-attr]
        )
        need = ".".join(map(str, profile.min_kapacitor))
        shown = ".".join(map(str, have))
        if profile.v3:
            message = (
                f"Kapacitor {shown} cannot start against {profile.label}: its /ping answers "
                f"200 with a body, which Kapacitor accepts from {need}"
            )
            yield self.diagnostic(ctx.location(ctx.task.path, start, end), message)
        else:
            message = (
                f"Kapacitor {shown} has no [[influxdb]] token (from {need}): use a v1 "
                f"authorization's username and password against {profile.label}"
            )
            yield self.diagnostic(
                ctx.location(ctx.task.path, start, end), message, severity=Severity.WARNING
            )
