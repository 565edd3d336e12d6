"""`tickmig parse`: parse TICKscripts as Kapacitor does and print what was found (text, JSON
or JSON lines), optionally with each file's tree; exit 1 if any file fails to parse."""

from __future__ import annotations

import enum
import json
import os
import sys
from typing import Annotated, Any

import typer

from tickmig.cli.options import ParseFormat, usage_error


class AstFormat(str, enum.Enum):
    tickmig = "tickmig"
    kapacitor = "kapacitor"


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
    from tickmig.text.source import BOM, find_scripts, read_source
    from tickmig.tickscript.ast_json import to_json, to_kapacitor
    from tickmig.tickscript.parser import parse

    try:
        files = find_scripts(paths)
    except InputError as exc:
        usage_error(str(exc))
    for path in paths:  # a directory with nothing to parse is a mistake, not a clean result
        if os.path.isdir(path) and not find_scripts([path]):
            usage_error(f"{path}: no *.tick file below this directory")
    rows: list[dict[str, Any]] = []
    failed = False
    for path in files:
        row: dict[str, Any] = {"path": "<stdin>" if path == "-" else path, "ok": True, "errors": []}
        try:
            source = read_source(path)
            # Kapacitor's lexer knows no BOM: U+FEFF is an unknown rune at line 1, column 1
            script = parse(BOM + source.text if source.bom else source.text, row["path"])
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
