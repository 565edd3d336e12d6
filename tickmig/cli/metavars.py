"""Metavars that read as words in `--help` (issue 11, item 7): `PATH...`, `FILE`, `N`, `URL`,
`[text|json]`, never the Python types (`<list[str]>`, `<int range>`) or `{paths}...` that the
framework would print."""

from __future__ import annotations

from typing import Any

#: Words for values, by the option's parameter name (anything else: its name in capitals).
_WORDS = {
    "output": "FILE",
    "mapping": "FILE",
    "telegraf_conf": "FILE",
    "kapacitor_conf": "FILE",
    "decisions": "FILE",
    "config": "FILE",
    "output_dir": "DIR",
    "patched_dir": "DIR",
    "jobs": "N",
    "select": "CODES",
    "ignore": "CODES",
    "backup": "SUFFIX",
    "token_env": "VAR",
    "password_env": "VAR",
}


def readable(command: Any) -> Any:
    """Give every parameter of `command` (a click command or group, as typer builds it: duck
    typed, since typer vendors its own click) a metavar in words."""
    commands = [command]
    while commands:
        current = commands.pop()
        commands.extend(getattr(current, "commands", {}).values())
        for param in current.params:
            name = param.name or "value"
            kind = getattr(param, "param_type_name", "")
            if kind == "argument":
                word = "PATH" if name == "paths" else name.upper()
                shown = f"{word}..." if param.nargs != 1 else word
                param.metavar = shown
                # typer would add `<list[str]>` and write the usage as `{PATH...}...`
                param.display_type_rich = lambda ctx: None
                param._usage_display_name = lambda shown=shown: shown
            elif kind == "option" and not getattr(param, "is_flag", False):
                if _is_enum(param):
                    continue  # typer shows the choices: <text|json>
                if param.metavar:
                    continue  # the option's own word (`--influx-version 2.N`)
                if name.endswith("url"):
                    param.metavar = "URL"
                else:
                    param.metavar = _WORDS.get(name, name.upper())
    return command


def _is_enum(param: Any) -> bool:
    import enum

    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    return isinstance(annotation, type) and issubclass(annotation, enum.Enum)
