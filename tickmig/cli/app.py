"""Command-line interface (typer): translates options into engine calls and results into
output and exit codes. Exit status: 0 clean, 1 findings or failures, 2 usage/config/input."""

from __future__ import annotations

import enum
import json
import sys
from typing import Annotated, Any

import typer

from tickmig import __version__
from tickmig.cli.options import (
    CheckFormat,
    ColorChoice,
    ConfigOpt,
    InfluxqlUrlOpt,
    InfluxUrlOpt,
    MappingOpt,
    OrgOpt,
    PasswordEnvOpt,
    PathsArg,
    TargetOpt,
    TokenEnvOpt,
    UsernameOpt,
    cli_settings,
    mapping_overrides,
    split_codes,
)

app = typer.Typer(
    name="tickmig",
    help="TICKscript migration assistant: Kapacitor tasks against InfluxDB 2 DBRP mappings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ParseFormat(str, enum.Enum):
    text = "text"
    json = "json"
    json_lines = "json-lines"


class AstFormat(str, enum.Enum):
    tickmig = "tickmig"
    kapacitor = "kapacitor"


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


@app.command("parse")
def parse_command(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (*.tick); - for stdin.")],
    output_format: Annotated[
        ParseFormat, typer.Option("--output-format", help="text, json or json-lines.")
    ] = ParseFormat.text,
    ast: Annotated[bool, typer.Option("--ast", help="Include the tree of each file.")] = False,
    ast_format: Annotated[
        AstFormat, typer.Option("--ast-format", help="tickmig's tree, or Kapacitor's AST shape.")
    ] = AstFormat.tickmig,
) -> None:
    """Parse TICKscripts as Kapacitor does; exit 1 if any file fails to parse."""
    from tickmig.errors import InputError, TickSyntaxError
    from tickmig.text.source import find_scripts, read_source
    from tickmig.tickscript.ast_json import to_json, to_kapacitor
    from tickmig.tickscript.parser import parse

    try:
        files = find_scripts(paths)
    except InputError as exc:
        _usage_error(str(exc))
    rows: list[dict[str, Any]] = []
    failed = False
    for path in files:
        row: dict[str, Any] = {"path": "<stdin>" if path == "-" else path, "ok": True, "errors": []}
        try:
            source = read_source(path)
            script = parse(source.text, row["path"])
            if ast:
                convert = to_kapacitor if ast_format is AstFormat.kapacitor else to_json
                try:
                    row["ast"] = convert(script)
                    row["_json"] = json.dumps(_public(row), ensure_ascii=False)
                except RecursionError:
                    row["ast"] = None
                    row["ast_error"] = "the tree is too deeply nested to print as JSON"
        except TickSyntaxError as exc:
            row.update(
                ok=False, errors=[{"line": exc.line, "column": exc.column, "message": exc.message}]
            )
            row["_render"] = exc.render()
        except InputError as exc:
            row.update(
                ok=False, errors=[{"line": exc.line, "column": exc.column, "message": exc.message}]
            )
            row["_render"] = str(exc)
        failed = failed or not row["ok"]
        if output_format is ParseFormat.json_lines:
            _emit_json_line(row)
        else:
            rows.append(row)
    if output_format is ParseFormat.json:
        typer.echo(
            "[\n"
            + ",\n".join(r.get("_json") or json.dumps(_public(r), ensure_ascii=False) for r in rows)
            + "\n]"
            if rows
            else "[]"
        )
    elif output_format is ParseFormat.text:
        for row in rows:
            if row["ok"]:
                typer.echo(f"{row['path']}: ok")
            else:
                typer.echo(row["_render"], err=False)
            if ast and row["ok"]:
                typer.echo(
                    json.dumps(row["ast"], ensure_ascii=False)
                    if row["ast"] is not None
                    else row["ast_error"]
                )
        bad = sum(not r["ok"] for r in rows)
        typer.echo(f"{len(rows)} file(s) parsed, {bad} with errors", err=True)
    raise typer.Exit(1 if failed else 0)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _emit_json_line(row: dict[str, Any]) -> None:
    sys.stdout.write((row.get("_json") or json.dumps(_public(row), ensure_ascii=False)) + "\n")
    sys.stdout.flush()


def _usage_error(message: str) -> None:
    typer.echo(f"tickmig: error: {message}", err=True)
    raise typer.Exit(2)


@app.command("check")
def check_command(
    paths: PathsArg,
    output_format: Annotated[
        CheckFormat | None,
        typer.Option("--output-format", help="text, json, json-lines, sarif, github or junit."),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", help="Rule codes or prefixes to run (comma-separated, repeatable)."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Rule codes or prefixes to skip."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("-j", "--jobs", min=1, help="Check files in N processes."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="Write the report to this file instead of stdout."),
    ] = None,
    mapping: MappingOpt = None,
    influx_url: InfluxUrlOpt = None,
    org: OrgOpt = None,
    token_env: TokenEnvOpt = None,
    target: TargetOpt = None,
    influxql_url: InfluxqlUrlOpt = None,
    username: UsernameOpt = None,
    password_env: PasswordEnvOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Find what breaks against InfluxDB 2; never writes a script. Exit 0 clean, 1 findings,
    2 usage, configuration or input errors."""
    from tickmig.cli.check import run_check
    from tickmig.errors import TickmigError

    try:
        settings = cli_settings(
            config,
            select=split_codes(select),
            ignore=split_codes(ignore),
            **mapping_overrides(
                mapping, influx_url, org, token_env, target, influxql_url, username, password_env
            ),
            output_format=output_format.value if output_format else None,
            jobs=jobs,
        )
        if exit_zero:
            settings.exit_zero = True
        code = run_check(paths, settings, output)
    except TickmigError as exc:
        _usage_error(str(exc))
    raise typer.Exit(code)


@app.command("rules")
def rules_command(
    code: Annotated[str | None, typer.Argument(help="Explain this rule.")] = None,
    output_format: Annotated[
        ParseFormat, typer.Option("--output-format", help="text or json.")
    ] = ParseFormat.text,
) -> None:
    """List the rules, or explain one (`tickmig rules TM101`)."""
    from tickmig.rules import rule_infos

    infos = rule_infos()
    if code is not None:
        info = infos.get(code.upper())
        if info is None:
            _usage_error(f"unknown rule {code!r}; `tickmig rules` lists them")
        assert info is not None
        if output_format is ParseFormat.text:
            fix = info.fix.value if info.fix else "none"
            typer.echo(
                f"{info.code} ({info.name})\n\nSeverity: {info.severity.value}. "
                f"Fix: {fix}.\n\n{info.explanation}"
            )
        else:
            typer.echo(json.dumps(_rule_json(info), indent=2))
        return
    if output_format is ParseFormat.text:
        for info in infos.values():
            fix = {"safe": "[*]", "unsafe": "[~]"}.get(info.fix.value if info.fix else "", "   ")
            typer.echo(f"{info.code} {fix} {info.name:28} {info.summary}")
        typer.echo("\n[*] safe fix   [~] unsafe fix (--unsafe-fixes)")
    else:
        typer.echo(json.dumps([_rule_json(i) for i in infos.values()], indent=2))


def _rule_json(info: Any) -> dict[str, Any]:
    return {
        "code": info.code,
        "name": info.name,
        "summary": info.summary,
        "severity": info.severity.value,
        "fix": info.fix.value if info.fix else None,
        "explanation": info.explanation,
    }


@app.command("migrate")
def migrate_command(
    paths: PathsArg,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 when a file would change.")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Replace the files in place (atomically).")
    ] = False,
    output_dir: Annotated[
        str | None,
        typer.Option(
            "--output-dir", help="Write migrated copies below DIR, mirroring the input tree."
        ),
    ] = None,
    backup: Annotated[
        str | None,
        typer.Option("--backup", help="With --write, keep each original as PATH+SUFFIX."),
    ] = None,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply fixes that are not known to be safe.")
    ] = False,
    annotate: Annotated[
        bool,
        typer.Option(
            "--annotate",
            help="Insert // TICKMIG-TODO(TMnnn) comments where tickmig cannot make the change.",
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="With --check, also print the diffs.")
    ] = False,
    color: Annotated[
        ColorChoice,
        typer.Option("--color", help="Colour the diff: auto (on a terminal), always, never."),
    ] = ColorChoice.auto,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Review each proposed change in the terminal (apply, "
            "skip or edit it); accepted changes are written file by file. Exit 130 on Ctrl-C, "
            "1 at end of input.",
        ),
    ] = False,
    decisions: Annotated[
        str | None,
        typer.Option(
            "--decisions",
            metavar="FILE",
            help="Record the review's decisions in FILE (JSON) and "
            "resume from it; with --check, fail when they no longer account for the scripts.",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Rule codes or prefixes whose fixes to apply."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Rule codes or prefixes to skip."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("-j", "--jobs", min=1, help="Check files in N processes."),
    ] = None,
    mapping: MappingOpt = None,
    influx_url: InfluxUrlOpt = None,
    org: OrgOpt = None,
    token_env: TokenEnvOpt = None,
    target: TargetOpt = None,
    influxql_url: InfluxqlUrlOpt = None,
    username: UsernameOpt = None,
    password_env: PasswordEnvOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Rewrite scripts (and task definitions) for InfluxDB 2 with minimal edits. By default a
    dry run that prints a unified diff. Exit 0 done, 1 --check found changes, 2 errors."""
    from tickmig.cli.migrate import MigrateOptions, run_migrate
    from tickmig.errors import TickmigError

    try:
        settings = cli_settings(
            config,
            select=split_codes(select),
            ignore=split_codes(ignore),
            **mapping_overrides(
                mapping, influx_url, org, token_env, target, influxql_url, username, password_env
            ),
            jobs=jobs,
        )
        code = run_migrate(
            paths,
            settings,
            MigrateOptions(
                check=check,
                write=write,
                output_dir=output_dir,
                backup=backup,
                unsafe_fixes=unsafe_fixes,
                annotate=annotate,
                diff=diff,
                color=color.value,
                interactive=interactive,
                decisions=decisions,
            ),
        )
    except TickmigError as exc:
        _usage_error(str(exc))
    raise typer.Exit(code)


@app.command("report")
def report_command(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files or directories (*.tick; a load directory's task definitions)."),
    ],
    telegraf_conf: Annotated[
        list[str] | None,
        typer.Option(
            "--telegraf-conf",
            metavar="FILE",
            help="Telegraf configuration to check and patch (outputs to Kapacitor). Repeatable.",
        ),
    ] = None,
    kapacitor_conf: Annotated[
        str | None,
        typer.Option(
            "--kapacitor-conf",
            metavar="FILE",
            help="kapacitor.conf to check and patch ([[influxdb]] sections, .cluster() names).",
        ),
    ] = None,
    kapacitor_url: Annotated[
        str,
        typer.Option(
            "--kapacitor-url", metavar="URL", help="Where Telegraf reaches Kapacitor's write API."
        ),
    ] = "http://localhost:9092",
    output_format: Annotated[
        str,
        typer.Option("--format", metavar="markdown|html|json|text", help="Report format."),
    ] = "markdown",
    output: Annotated[
        str | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write the report to this file, not stdout."
        ),
    ] = None,
    patched_dir: Annotated[
        str | None,
        typer.Option(
            "--patched-dir",
            metavar="DIR",
            help="Write the patched configuration copies (NAME.patched.conf) into DIR.",
        ),
    ] = None,
    mapping: MappingOpt = None,
    influx_url: InfluxUrlOpt = None,
    org: OrgOpt = None,
    token_env: TokenEnvOpt = None,
    target: TargetOpt = None,
    influxql_url: InfluxqlUrlOpt = None,
    username: UsernameOpt = None,
    password_env: PasswordEnvOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write a migration report: summary, DBRPs and their mappings, per-task findings and
    diffs, the influx commands to run first, Telegraf outputs for stream tasks and
    kapacitor.conf checks. Never writes a script. Exit 0, or 2 when an input or configuration
    file cannot be read (the rest of the report is still written) or for usage errors."""
    from tickmig.cli.report import RunOptions, run_report
    from tickmig.errors import TickmigError

    try:
        settings = cli_settings(
            config,
            **mapping_overrides(
                mapping, influx_url, org, token_env, target, influxql_url, username, password_env
            ),
        )
        options = RunOptions(
            output_format=output_format,
            output=output,
            patched_dir=patched_dir,
            telegraf_confs=list(telegraf_conf or []),
            kapacitor_conf=kapacitor_conf,
            kapacitor_url=kapacitor_url,
        )
        code = run_report(paths, settings, options)
    except TickmigError as exc:
        _usage_error(str(exc))
    raise typer.Exit(code)
