"""Parsing: grammar/tickscript.lark loaded once into a Lark LALR parser, fed by tickmig.tokens
and building tickmig.nodes through tickmig.builder. Lark's exceptions stop here."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from lark.lexer import Lexer

from tickmig.builder import Builder
from tickmig.errors import TickSyntaxError
from tickmig.nodes import Script
from tickmig.tokens import DISPLAY, Tok, iter_tokens

#: Terminals Kapacitor lists when any operand may appear, in its order.
_OPERAND_EXPECTED = ("number", "string", "duration", "identifier", "TRUE", "FALSE", "(", "-", "!")


def grammar_text() -> str:
    """The grammar: the copy shipped in the wheel, else the source tree's grammar/ file."""
    packaged = resources.files("tickmig") / "tickscript.lark"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source = Path(__file__).resolve().parent.parent / "grammar" / "tickscript.lark"
    return source.read_text(encoding="utf-8")


class TickFeed(Lexer):  # type: ignore[misc]
    """Lark's view of tickmig's lexer: hands over the tokens of the text being parsed."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Iterator[Tok]:
        builder = _BUILDER
        record = builder.tokens.append
        for tok in iter_tokens(builder.text, builder.trailing):
            record(tok)
            yield tok


_BUILDER = Builder()


@functools.lru_cache(maxsize=1)
def _lark() -> Any:
    from lark import Lark

    feed = TickFeed
    cache_dir = os.environ.get("TICKMIG_CACHE_DIR") or tempfile.gettempdir()
    cache_file = os.path.join(
        cache_dir, f"tickmig-grammar-{sys.version_info[0]}{sys.version_info[1]}.cache"
    )
    try:
        return Lark(grammar_text(), parser="lalr", lexer=feed, transformer=_BUILDER,
                    cache=cache_file, maybe_placeholders=False)
    except OSError:
        return Lark(grammar_text(), parser="lalr", lexer=feed, transformer=_BUILDER,
                    maybe_placeholders=False)


def parse(text: str, path: str | None = None) -> Script:
    """Parse a TICKscript as Kapacitor does; raises TickSyntaxError naming where and why."""
    from lark.exceptions import UnexpectedInput, UnexpectedToken

    lark = _lark()
    _BUILDER.begin(text)
    try:
        script: Script = lark.parse(text)
    except TickSyntaxError as exc:
        exc.path = path
        raise
    except UnexpectedToken as exc:
        raise _unexpected(text, exc.token, exc.expected, path) from None
    except UnexpectedInput as exc:  # pragma: no cover - LALR reports UnexpectedToken only
        raise TickSyntaxError(str(exc), text, 0, path=path) from None
    except RecursionError:
        raise TickSyntaxError(
            "expression nested too deeply for tickmig to process", text, 0, path=path
        ) from None
    finally:
        _BUILDER.begin("")
    return script


def _unexpected(text: str, tok: Any, expected: set[str], path: str | None) -> TickSyntaxError:
    if isinstance(tok, Tok):
        found = DISPLAY.get(tok.type, tok.type)
        offset = tok.start
        shown = f"{found} {tok.value!r}" if found not in (tok.value, "EOF") else repr(tok.value)
    else:
        found, offset, shown = "EOF", len(text), "end of input"
    names = sorted({DISPLAY.get(name, name) for name in expected} - {"EOF"})
    if set(_OPERAND_EXPECTED) <= set(names):
        names = [n for n in names if n not in _OPERAND_EXPECTED]
        wanted = "an expression" + (f" or {', '.join(names)}" if names else "")
    elif len(names) == 1:
        wanted = names[0]
    else:
        wanted = "one of " + ", ".join(names)
    return TickSyntaxError(
        f"unexpected {shown}, expected {wanted}", text, offset, found=found,
        expected=tuple(names), path=path,
    )
