"""`tickmig rules`: list the rules, or explain one (text or JSON)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from tickmig.cli.options import ParseFormat, usage_error


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
            usage_error(f"unknown rule {code!r}; `tickmig rules` lists them")
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
