"""The InfluxQL lexer behind tickmig.influxql.parser: tokens with their offsets, and the error
raised for text that is not InfluxQL.

Lexical rules follow InfluxDB 1.x's InfluxQL scanner:

* whitespace is space, tab and newline only (a carriage return is an error, as in InfluxDB);
* comments are ``-- ...`` to the end of the line and ``/* ... */`` (not nested); they count as
  whitespace, so a ``FROM`` inside a comment is not a source;
* unquoted identifiers are ASCII letters, digits and ``_``, not starting with a digit, and must
  not be a keyword (keywords are case-insensitive); double-quoted identifiers may hold any
  character but a newline, with the escapes ``\\"``, ``\\'``, ``\\\\`` and ``\\n``;
* string literals are single-quoted with the same escapes, so a ``FROM`` inside a string is not a
  source;
* regex literals are ``/.../`` with ``\\/`` for a slash; a ``/`` is a regex where an operand is
  expected and a division operator after an operand;
* numbers are decimal (``1``, ``1.5``, ``.5``); an integer immediately followed by a unit
  (``u`` or ``µ``, ``ms``, ``s``, ``m``, ``h``, ``d``, ``w``, and ``ns``), possibly repeated as
  in ``1h30m``, is a duration;
* ``$name`` and ``$"name"`` are bound parameters.

Deliberate departures from InfluxDB's scanner: ``/*`` always starts a comment (InfluxDB reads a
regex there when it expects one), an unterminated ``/*`` comment is an error, and an empty quoted
identifier ``""`` is read as the empty name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tickmig.errors import TickmigError

#: InfluxQL's reserved words (lower case). They cannot be unquoted identifiers.
KEYWORDS: frozenset[str] = frozenset(
    """
    all alter analyze any as asc begin by cardinality create continuous database databases
    default delete desc destinations diagnostics distinct drop duration end every exact explain
    field for from grant grants group groups in inf insert into key keys kill limit measurement
    measurements name offset on order password policy policies privileges queries query read
    replication resample retention revoke select series set show shard shards slimit soffset
    stats subscription subscriptions tag to user users values where with write
    and or true false
    """.split()  # noqa: SIM905 - the table reads like InfluxQL's keyword list
)

BARE_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DURATION = re.compile(r"(?:[0-9]+(?:ns|ms|u|µ|s|m|h|d|w))+")
_ESCAPES = {"n": "\n", "\\": "\\", '"': '"', "'": "'"}


class InfluxQLError(TickmigError, ValueError):
    """Text that is not InfluxQL; ``offset`` is where the problem was found in the query text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} (at offset {offset})")
        self.message = message
        self.offset = offset


# Token kinds. Keywords carry their upper-case word in ``text``; identifiers their value.
IDENT = "identifier"
KEYWORD = "keyword"
STRING = "string"
NUMBER = "number"
INTEGER = "integer"
_DURATION_KIND = "duration"
REGEX = "regex"
_PARAM = "bound parameter"
OP = "operator"
EOF = "end of query"
_PUNCT = frozenset({"(", ")", ",", ";", ".", ":", "::"})
OPERAND_KINDS = frozenset({IDENT, STRING, NUMBER, INTEGER, _DURATION_KIND, REGEX, _PARAM})
_TWO_CHAR_OPS = ("!=", "<>", "<=", ">=", "=~", "!~")
_ONE_CHAR_OPS = frozenset("+-*/%&|^=<>")


@dataclass(frozen=True)
class Token:
    kind: str  # one of the kinds above, or the punctuation itself ("(", "::", ...)
    text: str
    start: int
    end: int
    quoted: bool = False


def _is_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ch == "_"


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def unescape_regex(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append("/" if body[i + 1] == "/" else body[i : i + 2])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def _scan_quoted(text: str, start: int) -> tuple[str, int]:
    """Scan a '...' string or "..." identifier starting at ``start``; return (value, end)."""
    quote = text[start]
    what = "string literal" if quote == "'" else "quoted identifier"
    out: list[str] = []
    i = start + 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch == "\n":
            raise InfluxQLError(f"newline in {what} (use \\n)", i)
        if ch == "\\":
            if i + 1 >= n:
                break
            esc = _ESCAPES.get(text[i + 1])
            if esc is None:
                raise InfluxQLError(f"bad escape \\{text[i + 1]} in {what}", i)
            out.append(esc)
            i += 2
            continue
        out.append(ch)
        i += 1
    raise InfluxQLError(f"unterminated {what}", start)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    n = len(text)
    pos = 0
    while pos < n:
        ch = text[pos]
        if ch in " \t\n":
            pos += 1
            continue
        if ch == "\r":
            raise InfluxQLError("carriage return is not whitespace in InfluxQL", pos)
        if text.startswith("--", pos):
            newline = text.find("\n", pos)
            pos = n if newline < 0 else newline
            continue
        if text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            if close < 0:
                raise InfluxQLError("unterminated /* comment", pos)
            pos = close + 2
            continue
        prev = tokens[-1] if tokens else None
        tok = _scan_token(text, pos, prev)
        tokens.append(tok)
        pos = tok.end
    tokens.append(Token(EOF, "", n, n))
    return tokens


def _scan_token(text: str, pos: int, prev: Token | None) -> Token:
    ch = text[pos]
    n = len(text)
    if _is_letter(ch):
        end = pos + 1
        while end < n and (_is_letter(text[end]) or _is_digit(text[end])):
            end += 1
        word = text[pos:end]
        # After "::" comes a type name (field, tag, integer, ...), never a keyword.
        if word.lower() in KEYWORDS and not (prev is not None and prev.kind == "::"):
            return Token(KEYWORD, word.upper(), pos, end)
        return Token(IDENT, word, pos, end)
    if ch == '"':
        value, end = _scan_quoted(text, pos)
        return Token(IDENT, value, pos, end, quoted=True)
    if ch == "'":
        value, end = _scan_quoted(text, pos)
        return Token(STRING, value, pos, end)
    if _is_digit(ch) or (ch == "." and pos + 1 < n and _is_digit(text[pos + 1])):
        return _scan_number(text, pos)
    if ch == "/":
        operand_before = prev is not None and (
            prev.kind in OPERAND_KINDS
            or prev.kind == ")"
            or (prev.kind == KEYWORD and prev.text in ("TRUE", "FALSE"))
        )
        if operand_before:
            return Token(OP, "/", pos, pos + 1)
        return _scan_regex(text, pos)
    if ch == "$":
        if pos + 1 < n and text[pos + 1] == '"':
            value, end = _scan_quoted(text, pos + 1)
            return Token(_PARAM, value, pos, end)
        end = pos + 1
        while end < n and (_is_letter(text[end]) or _is_digit(text[end])):
            end += 1
        if end == pos + 1:
            raise InfluxQLError("'$' must start a bound parameter such as $name", pos)
        return Token(_PARAM, text[pos + 1 : end], pos, end)
    if ch == ":":
        if text.startswith("::", pos):
            return Token("::", "::", pos, pos + 2)
        return Token(":", ":", pos, pos + 1)
    if ch in "(),;.":
        return Token(ch, ch, pos, pos + 1)
    for op in _TWO_CHAR_OPS:
        if text.startswith(op, pos):
            return Token(OP, op, pos, pos + 2)
    if ch in _ONE_CHAR_OPS:
        return Token(OP, ch, pos, pos + 1)
    if ch in "{}":
        raise InfluxQLError(
            f"found {ch!r}: template placeholders ({{{{ .X }}}} or {{name}}) must be filled in "
            "before the query can be parsed",
            pos,
        )
    raise InfluxQLError(f"unexpected character {ch!r}", pos)


def _scan_number(text: str, pos: int) -> Token:
    n = len(text)
    end = pos
    while end < n and _is_digit(text[end]):
        end += 1
    if end < n and text[end] == ".":
        end += 1
        while end < n and _is_digit(text[end]):
            end += 1
        return Token(NUMBER, text[pos:end], pos, end)
    if end < n and (_is_letter(text[end]) or text[end] == "µ"):
        # An integer followed by letters is a duration, like InfluxDB's scanner reads it.
        while end < n and (_is_letter(text[end]) or _is_digit(text[end]) or text[end] == "µ"):
            end += 1
        literal = text[pos:end]
        if _DURATION.fullmatch(literal) is None:
            raise InfluxQLError(f"invalid duration {literal!r}", pos)
        return Token(_DURATION_KIND, literal, pos, end)
    return Token(INTEGER, text[pos:end], pos, end)


def _scan_regex(text: str, pos: int) -> Token:
    n = len(text)
    i = pos + 1
    while i < n:
        ch = text[i]
        if ch == "/":
            return Token(REGEX, unescape_regex(text[pos + 1 : i]), pos, i + 1)
        i += 2 if ch == "\\" else 1
    raise InfluxQLError("unterminated regex (a '/' inside a regex is written '\\/')", pos)
