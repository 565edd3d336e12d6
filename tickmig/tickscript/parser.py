"""Parsing: grammar/tickscript.lark loaded once into a Lark LALR parser, fed by the lexer
(tickscript.lexer) and building the tree (tickscript.nodes) through tickscript.builder. Lark's
exceptions stop here."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from lark.lexer import Lexer

from tickmig.errors import TickSyntaxError
from tickmig.tickscript import tables
from tickmig.tickscript.builder import Builder
from tickmig.tickscript.lexer import lex
from tickmig.tickscript.nodes import Script
from tickmig.tickscript.tokens import DISPLAY, Tok


def grammar_text() -> str:
    """The grammar: the copy shipped in the wheel, else the source tree's grammar/ file."""
    packaged = resources.files("tickmig.tickscript") / "tickscript.lark"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source = Path(__file__).resolve().parents[2] / "grammar" / "tickscript.lark"
    return source.read_text(encoding="utf-8")


class TickFeed(Lexer):
    """Stands in for Lark's lexer while Lark compiles the grammar (tokens come from tokens.py)."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[Any]:  # pragma: no cover
        raise NotImplementedError


class _Unexpected(Exception):
    def __init__(self, tok: Tok | None, expected: set[str]) -> None:
        self.tok = tok
        self.expected = expected


class _Tables:
    """The LALR tables of `tables.json` (made by Lark from the grammar), as plain tuples for a
    tight driver loop.

    Each action is `(True, state)` for a shift, or `(False, size, callback, nonterminal)` for
    a reduce; `callback` is None for the pass-through rules (`?rule` with one child), whose
    value is their child's.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        from lark.grammar import Rule
        from lark.parse_tree_builder import ParseTreeBuilder
        from lark.tree import Tree

        rules = [Rule.deserialize(rule, {}) for rule in data["rules"]]
        builder = ParseTreeBuilder(rules, Tree)  # type: ignore[no-untyped-call]
        callbacks = builder.create_callback(_BUILDER)  # type: ignore[no-untyped-call]
        self.start: int = data["start"]
        self.end: int = data["end"]
        self.states: list[dict[str, tuple[Any, ...]]] = []
        for actions in data["states"]:
            row: dict[str, tuple[Any, ...]] = {}
            for term, action, arg in actions:
                if action == "shift":
                    row[term] = (True, arg)
                else:
                    rule = rules[arg]
                    size = len(rule.expansion)
                    passthrough = rule.options.expand1 and rule.alias is None and size == 1
                    row[term] = (
                        False,
                        size,
                        None if passthrough else callbacks[rule],
                        rule.origin.name,
                    )
            self.states.append(row)

    def run(self, tokens: list[Tok], lex_error: TickSyntaxError | None) -> Any:
        """Lark's LALR algorithm, with pass-through rules changing only the state stack."""
        states = self.states
        end_state = self.end
        stack = [self.start]
        values: list[Any] = []
        push_state = stack.append
        push_value = values.append
        state = self.start
        for tok in _with_end(tokens, lex_error):
            typ = tok.type
            while True:
                action = states[state].get(typ)
                if action is None:
                    raise _Unexpected(
                        tok if typ != "$END" else None, {t for t in states[state] if t.isupper()}
                    )
                if action[0]:
                    state = action[1]
                    push_state(state)
                    push_value(tok)
                    break
                _, size, callback, origin = action
                if callback is None:  # `?rule` with one child: its value is the child's
                    state = states[stack[-2]][origin][1]
                    stack[-1] = state
                else:
                    if size:
                        children = values[-size:]
                        del stack[-size:]
                        del values[-size:]
                    else:
                        children = []
                    push_value(callback(children))
                    state = states[stack[-1]][origin][1]
                    push_state(state)
                if state == end_state and typ == "$END":
                    return values[-1]
        raise AssertionError("unreachable: the end of input always ends the parse")


_END = Tok("$END", "", 0, 0)


def _with_end(tokens: list[Tok], lex_error: TickSyntaxError | None) -> Iterator[Tok]:
    """The tokens, then the end of input; a lex error stands where the lexer stopped."""
    yield from tokens
    if lex_error is not None:
        raise lex_error
    yield _END


_BUILDER = Builder()


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The tables shipped in the package (tables.json): plain data, never a cache (issue 11)."""
    return _Tables(tables.load())


def parse(text: str, path: str | None = None) -> Script:
    """Parse a TICKscript as Kapacitor does; raises TickSyntaxError naming where and why."""
    tables = _tables()
    builder = _BUILDER
    lexed = lex(text)
    builder.begin(text, lexed.tokens, lexed.trailing, lexed.comments)
    try:
        script: Script = tables.run(lexed.tokens, lexed.error)
    except TickSyntaxError as exc:
        exc.path = path
        raise
    except _Unexpected as exc:
        raise _unexpected(text, exc.tok, exc.expected, path) from None
    except RecursionError:
        raise TickSyntaxError(
            "expression nested too deeply for tickmig to process", text, 0, path=path
        ) from None
    finally:
        builder.begin("", [], [], [])
    return script


#: Tokens that can start an expression or a statement; when any may come next, Kapacitor
#: says "expected: number, string, ..." and so does tickmig, as "an expression".
_STARTERS = frozenset(
    {
        "number",
        "string",
        "duration",
        "identifier",
        "TRUE",
        "FALSE",
        "(",
        "-",
        "!",
        "reference",
        "regex",
        "*",
        "lambda",
        "[",
        "var",
        "dbrp",
        "operator",
    }
)


def _unexpected(
    text: str, tok: Tok | None, expected: set[str], path: str | None
) -> TickSyntaxError:
    if tok is not None:
        found = DISPLAY.get(tok.type, tok.type)
        offset = tok.start
        shown = repr(tok.value) if found in (tok.value, "operator") else f"{found} {tok.value!r}"
    else:
        found, offset, shown = "EOF", len(text), "end of input"
    names = sorted({DISPLAY.get(name, name) for name in expected} - {"EOF"})
    if "identifier" in names and "number" in names:
        rest = [repr(n) for n in names if n not in _STARTERS]
        wanted = "an expression" + (" or " + " or ".join(rest) if rest else "")
    elif len(names) == 1:
        wanted = names[0] if names[0].isalpha() else repr(names[0])
    else:
        wanted = "one of " + ", ".join(n if n.isalpha() else repr(n) for n in names)
    return TickSyntaxError(
        f"unexpected {shown}, expected {wanted}",
        text,
        offset,
        found=found,
        expected=tuple(names),
        path=path,
    )
