"""The parser's LALR tables, shipped inside the package as plain JSON (`tables.json`).

Why: the tables used to be cached by Lark as a pickle at a fixed name in the shared temp folder,
where any local user could plant code that ran as the next user of tickmig (issue 11). Now no
cache exists at all: `tables.json` is data (states, actions and the grammar's rules, nothing
executable), read from the installed package, and `tests/tickscript/test_tables.py` checks
that it is exactly what `grammar/tickscript.lark` compiles to. After editing the grammar,
regenerate it:

    python -m tickmig.tickscript.tables --write

Lark numbers its states differently from one run to the next (it iterates over sets), so the
states are renumbered canonically: breadth-first from the start state, transitions in sorted
order. Rules are listed in the grammar's order and referred to by index.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

#: The file's name inside the package `tickmig.tickscript`.
TABLES_FILE = "tables.json"
#: Bumped whenever the file's shape changes.
FORMAT = 1


def compile_tables(grammar: str) -> dict[str, Any]:
    """Compile the grammar with Lark and return the canonical, JSON-ready tables."""
    from lark import Lark
    from lark.parsers.lalr_analysis import Shift

    from tickmig.tickscript.parser import TickFeed

    lark = Lark(grammar, parser="lalr", lexer=TickFeed, maybe_placeholders=False)
    table = lark.parser.parser.parser.parse_table
    rules = list(lark.rules)
    rule_index = {id(rule): i for i, rule in enumerate(rules)}
    start = table.start_states["start"]
    order = [start]
    number = {start: 0}
    for state in order:  # grows while iterating: a breadth-first walk
        for symbol in sorted(table.states[state]):
            action, arg = table.states[state][symbol]
            if action is Shift and arg not in number:
                number[arg] = len(order)
                order.append(arg)
    if len(order) != len(table.states):  # pragma: no cover - LALR states are all reachable
        raise AssertionError("unreachable LALR states")
    states = []
    for state in order:
        row = []
        for symbol in sorted(table.states[state]):
            action, arg = table.states[state][symbol]
            if action is Shift:
                row.append([symbol, "shift", number[arg]])
            else:
                row.append([symbol, "reduce", rule_index[id(arg)]])
        states.append(row)
    return {
        "format": FORMAT,
        "start": number[start],
        "end": number[table.end_states["start"]],
        "rules": [rule.serialize() for rule in rules],
        "states": states,
    }


def dumps(tables: dict[str, Any]) -> str:
    """The file's text: one state or rule per line, so a grammar change reads as a small diff."""
    lines = ["{"]
    lines.append(f'"format": {json.dumps(tables["format"])},')
    lines.append(f'"start": {json.dumps(tables["start"])},')
    lines.append(f'"end": {json.dumps(tables["end"])},')
    for key in ("rules", "states"):
        items = [json.dumps(item, sort_keys=True) for item in tables[key]]
        lines.append(f'"{key}": [')
        lines.extend(f"{item}," for item in items[:-1])
        lines.append(items[-1])
        lines.append("]," if key == "rules" else "]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def packaged_text() -> str:
    """The shipped `tables.json`, read from the installed package (never from a cache)."""
    return (resources.files("tickmig.tickscript") / TABLES_FILE).read_text(encoding="utf-8")


def load() -> dict[str, Any]:
    """The shipped tables as plain data (JSON: lists, strings and numbers only)."""
    data: dict[str, Any] = json.loads(packaged_text())
    if data.get("format") != FORMAT:
        raise RuntimeError(f"{TABLES_FILE}: format {data.get('format')!r}, expected {FORMAT}")
    return data


def main(argv: list[str]) -> int:
    """`--write` regenerates the packaged file from the grammar; `--check` compares them."""
    from tickmig.tickscript.parser import grammar_text

    text = dumps(compile_tables(grammar_text()))
    target = Path(__file__).with_name(TABLES_FILE)
    if argv == ["--write"]:
        target.write_text(text, encoding="utf-8")
        return 0
    if argv == ["--check"]:
        same = target.is_file() and target.read_text(encoding="utf-8") == text
        print(f"{target}: {'up to date' if same else 'out of date; run with --write'}")
        return 0 if same else 1
    print("usage: python -m tickmig.tickscript.tables --write|--check", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
