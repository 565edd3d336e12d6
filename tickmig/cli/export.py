"""`tickmig export`: a running Kapacitor's tasks, templates, topic handlers and
`[[influxdb]]` config as a load directory with a manifest (see tickmig.kapacitor.export)."""

from __future__ import annotations

from typing import Annotated

import typer

from tickmig.cli.kapacitor_options import (
    InsecureOpt,
    KapacitorUrlOpt,
    KapPasswordEnvOpt,
    KapTokenEnvOpt,
    KapUsernameOpt,
    TimeoutOpt,
    fail,
    make_client,
)


def export_command(
    directory: Annotated[str, typer.Argument(help="A new directory to write the export to.")],
    kapacitor_url: KapacitorUrlOpt = "http://localhost:9092",
    username: KapUsernameOpt = None,
    password_env: KapPasswordEnvOpt = "KAPACITOR_PASSWORD",
    token_env: KapTokenEnvOpt = None,
    insecure_skip_verify: InsecureOpt = False,
    timeout: TimeoutOpt = 10.0,
    kapacitor_conf: Annotated[
        str | None,
        typer.Option(
            "--kapacitor-conf",
            metavar="FILE",
            help="kapacitor.conf: say which [[influxdb]] options the config API overrides.",
        ),
    ] = None,
) -> None:
    """Export every task (raw script, type, dbrps, vars, template, status), template, topic
    handler and the [[influxdb]] config of a running Kapacitor as a load directory plus
    manifest.json. `tickmig check/migrate/report DIRECTORY` then work on it. Exit 0, or 2."""
    from tickmig.errors import TickmigError
    from tickmig.kapacitor.client import Client
    from tickmig.kapacitor.export import export

    try:
        client = make_client(
            kapacitor_url, username, password_env, token_env, insecure_skip_verify, timeout
        )
        assert isinstance(client, Client)
        manifest = export(client, directory, kapacitor_conf)
    except TickmigError as exc:
        fail(str(exc))
        return
    if kapacitor_conf is not None and manifest.influxdb is not None:
        from tickmig.kapacitor.overrides import describe

        for line in describe(manifest.influxdb.get("overrides") or {}, kapacitor_conf):
            typer.echo(f"warning: {line}", err=True)
    typer.echo(
        f"exported {len(manifest.tasks)} task(s), {len(manifest.templates)} template(s), "
        f"{len(manifest.handlers)} topic handler(s) to {directory}",
        err=True,
    )
