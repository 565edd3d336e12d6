"""`tickmig apply`: bring a running Kapacitor to what a migrated export defines (dry run by
default), roll it back, verify batch tasks (see tickmig.kapacitor.apply)."""

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


def apply_command(
    directory: Annotated[
        str | None, typer.Argument(help="An export directory (`tickmig export`), migrated.")
    ] = None,
    kapacitor_url: KapacitorUrlOpt = "http://localhost:9092",
    yes: Annotated[
        bool, typer.Option("--yes", help="Make the calls (default: print them).")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite objects changed on Kapacitor since the export."),
    ] = False,
    rollback: Annotated[
        str | None,
        typer.Option("--rollback", metavar="MANIFEST", help="Undo the apply MANIFEST records."),
    ] = None,
    rollback_manifest: Annotated[
        str | None,
        typer.Option(
            "--rollback-manifest",
            metavar="FILE",
            help="Where to record the rollback (default DIRECTORY/rollback.json).",
        ),
    ] = None,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Record each migrated batch task's queries through Kapacitor "
            "under a scratch ID (no handler runs) and print the result.",
        ),
    ] = False,
    verify_window: Annotated[
        float,
        typer.Option(
            "--verify-window", metavar="MINUTES", min=1, help="Minutes of data to record."
        ),
    ] = 60.0,
    verify_output: Annotated[
        str | None,
        typer.Option(
            "--verify-output", metavar="FILE", help="Also write the verification as JSON."
        ),
    ] = None,
    username: KapUsernameOpt = None,
    password_env: KapPasswordEnvOpt = "KAPACITOR_PASSWORD",
    token_env: KapTokenEnvOpt = None,
    insecure_skip_verify: InsecureOpt = False,
    timeout: TimeoutOpt = 10.0,
) -> None:
    """Print, per task, the exact Kapacitor calls that apply DIRECTORY (PATCH of the script or
    of the dbrps field, template PATCHes and the tasks they re-define, disable/enable of
    enabled tasks, scratch definitions that validate each script); --yes makes them, after
    writing a rollback manifest. Exit 0, or 2 on any error."""
    import datetime

    from tickmig.errors import TickmigError
    from tickmig.kapacitor.apply import ApplyOptions, run_apply
    from tickmig.kapacitor.client import Client

    try:
        client = make_client(
            kapacitor_url, username, password_env, token_env, insecure_skip_verify, timeout
        )
        assert isinstance(client, Client)
        if rollback is not None:
            if directory is not None or yes or verify:
                fail("--rollback MANIFEST takes no DIRECTORY, --yes or --verify")
            from tickmig.kapacitor.rollback import run_rollback

            raise typer.Exit(run_rollback(rollback, client, force, typer.echo))
        if directory is None:
            fail("give an export DIRECTORY, or --rollback MANIFEST")
            return
        options = ApplyOptions(yes=yes, force=force, rollback_manifest=rollback_manifest)
        code = run_apply(directory, client, options, typer.echo)
        if verify:
            from tickmig.kapacitor.model import Manifest
            from tickmig.kapacitor.plan import make_plan
            from tickmig.kapacitor.verify import run_verify

            plan = make_plan(directory, Manifest.read(directory))
            window = datetime.timedelta(minutes=verify_window)
            results = run_verify(client, plan, window, typer.echo)
            if verify_output is not None:
                from tickmig.kapacitor.verify import write_results

                write_results(verify_output, results)
    except TickmigError as exc:
        fail(str(exc))
        return
    raise typer.Exit(code)
