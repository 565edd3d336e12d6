"""TICKscript tokenizer: Kapacitor's two-state lexer (tick/ast/lex.go) in Python.

Lark's contextual lexer cannot reproduce Kapacitor's lexer: whether `/` starts a regex or is
a division, and whether `*` is a star or a multiplication, depends on the previous *token*
(operand-start versus after-operand state), comments switch back to operand-start, and a
regex is lexed right after `=`, `=~` and `!~` even when it looks like a comment. So this
module is the lexer, and Lark's LALR parser is fed with its tokens.

Comments never reach the parser: each group of consecutive comment tokens is attached to the
next real token (`Tok.comment`), which is how Kapacitor's parser sees them.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator

from tickmig.errors import TickSyntaxError

# Token kinds; the names are the terminals declared in grammar/tickscript.lark.
VAR, DBRP, ASGN, DOT, PIPE, AT = "VAR", "DBRP", "ASGN", "DOT", "PIPE", "AT"
IDENT, REFERENCE, LAMBDA, NUMBER, STRING, DURATION = (
    "IDENT", "REFERENCE", "LAMBDA", "NUMBER", "STRING", "DURATION",
)
LPAR, RPAR, LSQB, RSQB, COMMA = "LPAR", "RPAR", "LSQB", "RSQB", "COMMA"
NOT, TRUE, FALSE, REGEX, STAR = "NOT", "TRUE", "FALSE", "REGEX", "STAR"
PLUS, MINUS, MULT, DIV, MOD = "PLUS", "MINUS", "MULT", "DIV", "MOD"
AND, OR = "AND", "OR"
EQ, NE, LT, GT, LE, GE, REQ, RNE = "EQ", "NE", "LT", "GT", "LE", "GE", "REQ", "RNE"
COMMENT = "COMMENT"

#: How Kapacitor names each token kind in its error messages (TokenType.String()).
DISPLAY: dict[str, str] = {
    VAR: "var", DBRP: "dbrp", ASGN: "=", DOT: ".", PIPE: "|", AT: "@", IDENT: "identifier",
    REFERENCE: "reference", LAMBDA: "lambda", NUMBER: "number", STRING: "string",
    DURATION: "duration", LPAR: "(", RPAR: ")", LSQB: "[", RSQB: "]", COMMA: ",", NOT: "!",
    TRUE: "TRUE", FALSE: "FALSE", REGEX: "regex", STAR: "*", PLUS: "+", MINUS: "-", MULT: "*",
    DIV: "/", MOD: "%", AND: "AND", OR: "OR", EQ: "==", NE: "!=", LT: "<", GT: ">", LE: "<=",
    GE: ">=", REQ: "=~", RNE: "!~", COMMENT: "//", "$END": "EOF",
}

KEYWORDS = {"var": VAR, "dbrp": DBRP, "TRUE": TRUE, "FALSE": FALSE, "AND": AND, "OR": OR}

# unicode.IsSpace in Go: these, and nothing else (Python's str.isspace also takes \x1c-\x1f).
_SPACE_CHARS = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
SPACES = frozenset(_SPACE_CHARS)
_WS = re.compile("[" + re.escape(_SPACE_CHARS) + "]*")
_ASCII_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_ESC_REFERENCE = re.compile(r'"(?:[^"\\]|\\"|\\(?!"))*"', re.S)
_ESC_STRING = re.compile(r"'(?:[^'\\]|\\'|\\(?!'))*'", re.S)
_REGEX_BODY = re.compile(r"/(?:[^/\\]|\\/|\\(?!/))*/", re.S)
_DUR_UNITS = "uµsmhdw"


class Tok:
    """One token: kind, text, offsets (0-based, end-exclusive), and the comment before it."""

    __slots__ = ("comment", "end", "start", "type", "value")

    def __init__(self, type: str, value: str, start: int, end: int) -> None:
        self.type = type
        self.value = value
        self.start = start
        self.end = end
        self.comment: list[Tok] | None = None

    # Lark reads these names when it builds its end-of-input token and its errors.
    @property
    def start_pos(self) -> int:
        return self.start

    @property
    def end_pos(self) -> int:
        return self.end

    line = column = end_line = end_column = None

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.start}, {self.end})"


def is_letter(ch: str) -> bool:
    """Go's unicode.IsLetter (categories Lu, Ll, Lt, Lm, Lo): the same set as str.isalpha."""
    return ch.isalpha()


def is_digit(ch: str) -> bool:
    """Go's unicode.IsDigit (category Nd): the same set as str.isdecimal."""
    return ch.isdecimal()


def go_quote_rune(ch: str) -> str:
    """Go's %q of a rune, as Kapacitor prints it in `unknown state, last char: ...`."""
    named = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
             "\v": "\\v", "\\": "\\\\", "'": "\\'"}
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


def tokenize(text: str) -> tuple[list[Tok], list[Tok]]:
    """All tokens of `text` and the comments after the last one; raises on a lex error."""
    trailing: list[Tok] = []
    return list(iter_tokens(text, trailing)), trailing


def iter_tokens(text: str, trailing: list[Tok]) -> Iterator[Tok]:  # noqa: C901
    """Yield the tokens of `text` lazily, so a syntax error earlier wins over a lex error later.

    Mirrors tick/ast/lex.go: `after` is True in the after-operand state (tryLexBinaryOperator).
    Comments after the last token are appended to `trailing` once the input is exhausted.
    """
    n = len(text)
    pos = 0
    after = False
    pending: list[Tok] = []
    ws_match = _WS.match
    while True:
        pos = ws_match(text, pos).end()
        if pos >= n:
            break
        ch = text[pos]
        start = pos
        tok: Tok
        if after:
            after = False
            kind = _AFTER_OPS.get(ch)
            if kind is not None:
                nxt = text[pos + 1] if pos + 1 < n else ""
                if ch == "/":
                    if nxt == "/":
                        pos = _lex_comment(text, pos, pending)
                        continue
                    tok = Tok(DIV, "/", start, pos + 1)
                    pos += 1
                elif ch == "!":
                    if nxt == "=":
                        tok = Tok(NE, "!=", start, pos + 2)
                        pos += 2
                    elif nxt == "~":
                        tok = Tok(RNE, "!~", start, pos + 2)
                        pos += 2
                        pos = yield from _maybe_regex(text, pos, tok, pending)
                        continue
                    else:
                        tok = Tok(NOT, "!", start, pos + 1)
                        pos += 1
                elif ch == "=":
                    if nxt == "=":
                        tok = Tok(EQ, "==", start, pos + 2)
                        pos += 2
                    elif nxt == "~":
                        tok = Tok(REQ, "=~", start, pos + 2)
                        pos += 2
                        pos = yield from _maybe_regex(text, pos, tok, pending)
                        continue
                    else:
                        tok = Tok(ASGN, "=", start, pos + 1)
                        pos += 1
                        pos = yield from _maybe_regex(text, pos, tok, pending)
                        continue
                elif ch in "<>":
                    if nxt == "=":
                        tok = Tok(LE if ch == "<" else GE, ch + "=", start, pos + 2)
                        pos += 2
                    else:
                        tok = Tok(kind, ch, start, pos + 1)
                        pos += 1
                else:  # + - * %
                    tok = Tok(kind, ch, start, pos + 1)
                    pos += 1
                if pending:
                    tok.comment = pending
                    pending = []
                yield tok
                continue
        # operand-start state (lexToken)
        kind = _PUNCT.get(ch)
        if kind is not None:
            if ch == "/":
                if pos + 1 < n and text[pos + 1] == "/":
                    pos = _lex_comment(text, pos, pending)
                    continue
                tok = _lex_regex(text, pos)
                pos = tok.end
            else:
                tok = Tok(kind, ch, start, pos + 1)
                pos += 1
                after = ch == ")"
        elif ch == "'":
            tok = _lex_string(text, pos)
            pos = tok.end
            after = True
        elif ch == '"':
            m = _ESC_REFERENCE.match(text, pos)
            if m is None:
                raise _lex_error(text, pos, "unterminated field reference")
            pos = m.end()
            tok = Tok(REFERENCE, m.group(), start, pos)
            after = True
        elif ch.isdecimal() or ch == ".":
            tok = _lex_number(text, pos)
            pos = tok.end
            after = tok.type != DOT
        elif ch.isalpha():
            tok = _lex_ident(text, pos)
            pos = tok.end
            after = True
        else:
            raise _lex_error(text, pos, f"unknown state, last char: {go_quote_rune(ch)}")
        if pending:
            tok.comment = pending
            pending = []
        yield tok
    trailing.extend(pending)


_AFTER_OPS = {"+": PLUS, "-": MINUS, "*": MULT, "%": MOD, "/": DIV, "!": NOT, "=": ASGN,
              "<": LT, ">": GT}
_PUNCT = {"-": MINUS, "!": NOT, "(": LPAR, ")": RPAR, "[": LSQB, "]": RSQB, "|": PIPE,
          "@": AT, ",": COMMA, "*": STAR, "/": REGEX}


def _maybe_regex(
    text: str, pos: int, op: Tok, pending: list[Tok]
) -> Generator[Tok, None, int]:
    """After `=`, `=~` or `!~`: skip spaces and lex a regex at once if a `/` follows."""
    if pending:
        op.comment = pending[:]
        pending.clear()
    yield op
    pos = _WS.match(text, pos).end()
    if pos < len(text) and text[pos] == "/":
        tok = _lex_regex(text, pos)
        yield tok
        return tok.end
    return pos


def _lex_error(text: str, pos: int, message: str) -> TickSyntaxError:
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


def _lex_regex(text: str, pos: int) -> Tok:
    m = _REGEX_BODY.match(text, pos)
    if m is None:
        raise _lex_error(text, pos, "unterminated regex")
    return Tok(REGEX, m.group(), pos, m.end())


def _lex_string(text: str, pos: int) -> Tok:
    if text.startswith("'''", pos):
        return _lex_triple_string(text, pos)
    if text.startswith("''", pos):
        return Tok(STRING, "''", pos, pos + 2)
    m = _ESC_STRING.match(text, pos)
    if m is None:
        raise _lex_error(text, pos, "unterminated string")
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
    raise _lex_error(text, pos, "unterminated string")


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
                raise _lex_error(text, pos, "multiple decimals in number")
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
