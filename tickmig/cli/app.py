"""Command-line interface (typer): the app, its `--version`, and its commands, one module each
(parse, check, rules, migrate, report, export, apply; their shared options in
tickmig.cli.options). Each command translates its options into engine calls and results
into output and exit codes.
Exit status: 0 clean, 1 findings or failures, 2 usage/config/input."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tickmig import __version__
from tickmig.cli import apply, check, export, migrate, parse, report, rules

app = typer.Typer(
    name="tickmig",
    help="TICKscript migration assistant: Kapacitor tasks against InfluxDB 2 DBRP mappings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tickmig {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """TICKscript migration assistant."""


app.command("parse")(parse.parse_command)
app.command("check")(check.check_command)
app.command("rules")(rules.rules_command)
app.command("migrate")(migrate.migrate_command)
app.command("report")(report.report_command)
app.command("export")(export.export_command)
app.command("apply")(apply.apply_command)


def command() -> Any:
    """The click command behind `app`, with metavars in words (what `tickmig` runs)."""
    from tickmig.cli.metavars import readable

    return readable(typer.main.get_command(app))
