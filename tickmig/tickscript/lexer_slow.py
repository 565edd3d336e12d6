"""The lexer's slow path: one token read character by character, as the state functions of
Kapacitor's tick/ast/lex.go read it (lexNumberOrDurationOrDot, lexIdent, lexString,
lexComment, lexRegex). tickmig.tickscript.lexer takes every common token with one regular
expression; what that pattern leaves (identifiers and digits outside ASCII, triple-quoted
strings, unterminated literals and every other lex error) comes here, in the operand-start
state."""

from __future__ import annotations

import re

from tickmig.errors import TickSyntaxError
from tickmig.tickscript.tokens import (
    COMMENT,
    DOT,
    DURATION,
    IDENT,
    KEYWORDS,
    LAMBDA,
    NUMBER,
    REFERENCE,
    REGEX,
    SPACES,
    STRING,
    Tok,
)

_ASCII_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_ESC_REFERENCE = re.compile(r'"(?:[^"\\]|\\"|\\(?!"))*"', re.S)
_ESC_STRING = re.compile(r"'(?:[^'\\]|\\'|\\(?!'))*'", re.S)
_REGEX_BODY = re.compile(r"/(?:[^/\\]|\\/|\\(?!/))*/", re.S)
_DUR_UNITS = "uµsmhdw"


def slow_step(text: str, pos: int, pending: list[Tok]) -> tuple[Tok, bool] | None:
    """One token in the operand-start state, the general way; None after a comment."""
    ch = text[pos]
    if ch == "/":
        if text.startswith("//", pos):
            _lex_comment(text, pos, pending)
            return None
        return lex_regex(text, pos), False
    if ch == "'":
        return _lex_string(text, pos), True
    if ch == '"':
        m = _ESC_REFERENCE.match(text, pos)
        if m is None:
            raise lex_error(text, pos, "unterminated field reference")
        return Tok(REFERENCE, m.group(), pos, m.end()), True
    if ch.isdecimal() or ch == ".":
        tok = _lex_number(text, pos)
        return tok, tok.type != DOT
    if ch.isalpha():
        return _lex_ident(text, pos), True
    raise lex_error(text, pos, f"unknown state, last char: {go_quote_rune(ch)}")


def lex_error(text: str, pos: int, message: str) -> TickSyntaxError:
    return TickSyntaxError(message, text, pos, found=message)


def _lex_comment(text: str, pos: int, pending: list[Tok]) -> int:
    """A comment block: `//` to end of line, continued while the next line starts with `/`."""
    n = len(text)
    start = pos
    while True:
        nl = text.find("\n", pos)
        if nl == -1:
            pos = n
            break
        j = nl + 1
        while j < n and text[j] != "\n" and text[j] in SPACES:
            j += 1
        if j < n and text[j] == "/":
            pos = j
            continue
        pos = j
        break
    pending.append(Tok(COMMENT, text[start:pos], start, pos))
    return pos


def lex_regex(text: str, pos: int) -> Tok:
    m = _REGEX_BODY.match(text, pos)
    if m is None:
        raise lex_error(text, pos, "unterminated regex")
    return Tok(REGEX, m.group(), pos, m.end())


def _lex_string(text: str, pos: int) -> Tok:
    if text.startswith("'''", pos):
        return _lex_triple_string(text, pos)
    if text.startswith("''", pos):
        return Tok(STRING, "''", pos, pos + 2)
    m = _ESC_STRING.match(text, pos)
    if m is None:
        raise lex_error(text, pos, "unterminated string")
    return Tok(STRING, m.group(), pos, m.end())


def _lex_triple_string(text: str, pos: int) -> Tok:
    """`'''...'''`: ends at the next run of three quotes (with Kapacitor's `''\\'` oddity)."""
    n = len(text)
    i = pos + 3
    count = 3
    while i < n:
        ch = text[i]
        if ch == "\\" and count == 1:
            if i + 1 < n and text[i + 1] == "'":
                i += 1
        elif ch == "'":
            count -= 1
            if count == 0:
                return Tok(STRING, text[pos : i + 1], pos, i + 1)
        else:
            count = 3
        i += 1
    raise lex_error(text, pos, "unterminated string")


def _lex_number(text: str, pos: int) -> Tok:
    """Number, duration, or a lone `.` (lexNumberOrDurationOrDot)."""
    n = len(text)
    if text[pos] == "." and not (pos + 1 < n and text[pos + 1].isdecimal()):
        return Tok(DOT, ".", pos, pos + 1)
    i = pos
    found_decimal = False
    while i < n:
        ch = text[i]
        if ch == ".":
            if found_decimal:
                raise lex_error(text, pos, "multiple decimals in number")
            found_decimal = True
        elif ch.isdecimal():
            pass
        elif not found_decimal and ch in _DUR_UNITS:
            end = i + 2 if ch == "m" and i + 1 < n and text[i + 1] == "s" else i + 1
            return Tok(DURATION, text[pos:end], pos, end)
        else:
            break
        i += 1
    return Tok(NUMBER, text[pos:i], pos, i)


def _lex_ident(text: str, pos: int) -> Tok:
    m = _ASCII_IDENT.match(text, pos)
    end = m.end() if m else pos + 1
    n = len(text)
    while end < n:
        ch = text[end]
        if ch < "\x80":
            if ch.isalnum() or ch == "_":
                end += 1
                continue
            break
        if ch.isalpha() or ch.isdecimal():
            end += 1
            continue
        break
    word = text[pos:end]
    kind = KEYWORDS.get(word)
    if kind is not None:
        return Tok(kind, word, pos, end)
    if word == "lambda" and end < n and text[end] == ":":
        return Tok(LAMBDA, "lambda:", pos, end + 1)
    return Tok(IDENT, word, pos, end)


def go_quote_rune(ch: str) -> str:
    """Go's %q of a rune, as Kapacitor prints it in `unknown state, last char: ...`."""
    named = {
        "\a": "\\a",
        "\b": "\\b",
        "\f": "\\f",
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\v": "\\v",
        "\\": "\\\\",
        "'": "\\'",
    }
    if ch in named:
        return f"'{named[ch]}'"
    if ch.isprintable():
        return f"'{ch}'"
    code = ord(ch)
    if code < 0x80:
        return f"'\\x{code:02x}'"
    if code <= 0xFFFF:
        return f"'\\u{code:04x}'"
    return f"'\\U{code:08x}'"
