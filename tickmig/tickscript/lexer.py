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
from collections.abc import Callable

from tickmig.errors import TickSyntaxError

# Token kinds; the names are the terminals declared in grammar/tickscript.lark.
VAR, DBRP, ASGN, DOT, PIPE, AT = "VAR", "DBRP", "ASGN", "DOT", "PIPE", "AT"
IDENT, REFERENCE, LAMBDA, NUMBER, STRING, DURATION = (
    "IDENT",
    "REFERENCE",
    "LAMBDA",
    "NUMBER",
    "STRING",
    "DURATION",
)
LPAR, RPAR, LSQB, RSQB, COMMA = "LPAR", "RPAR", "LSQB", "RSQB", "COMMA"
NOT, TRUE, FALSE, REGEX, STAR = "NOT", "TRUE", "FALSE", "REGEX", "STAR"
MINUS = "MINUS"
#: Every binary operator but `-` (which is also unary): + * / % AND OR == != < > <= >= =~ !~.
#: The operator itself is the token's value; Kapacitor's lexer states decide `*` and `/`.
OP = "OP"
COMMENT = "COMMENT"

#: How Kapacitor names each token kind in its error messages (TokenType.String()).
DISPLAY: dict[str, str] = {
    VAR: "var",
    DBRP: "dbrp",
    ASGN: "=",
    DOT: ".",
    PIPE: "|",
    AT: "@",
    IDENT: "identifier",
    REFERENCE: "reference",
    LAMBDA: "lambda",
    NUMBER: "number",
    STRING: "string",
    DURATION: "duration",
    LPAR: "(",
    RPAR: ")",
    LSQB: "[",
    RSQB: "]",
    COMMA: ",",
    NOT: "!",
    TRUE: "TRUE",
    FALSE: "FALSE",
    REGEX: "regex",
    STAR: "*",
    MINUS: "-",
    OP: "operator",
    COMMENT: "//",
    "$END": "EOF",
}

KEYWORDS = {"var": VAR, "dbrp": DBRP, "TRUE": TRUE, "FALSE": FALSE, "AND": OP, "OR": OP}

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


class Lexed:
    """The tokens of a text, the comments after the last one, and the lex error that stopped
    the lexer, if any (reported only if the parser gets that far, as in Kapacitor)."""

    __slots__ = ("comments", "error", "tokens", "trailing")

    def __init__(
        self,
        tokens: list[Tok],
        trailing: list[Tok],
        error: TickSyntaxError | None,
        comments: list[Tok],
    ) -> None:
        self.tokens = tokens
        self.trailing = trailing
        self.error = error
        #: Every comment token, in order, wherever it is attached.
        self.comments = comments


_WS_CLASS = "[" + re.escape(_SPACE_CHARS) + "]*"
_NOT_ASCII = r"[^\x00-\x7f]"
_LINE_SPACE = "[" + re.escape(_SPACE_CHARS.replace("\n", "")) + "]*"
# One token after optional whitespace, lexed without regard to the lexer state; lex() then
# applies the state (regex or division, star or multiplication, what may follow `=`...).
# Anything unusual (non-ASCII identifiers or digits, Kapacitor's triple-quote oddity, errors)
# matches SLOW, a single character, and takes the general path.
_TOKEN = re.compile(
    _WS_CLASS
    + r"(?:(?P<IDENT>[A-Za-z][A-Za-z0-9_]*)(?![A-Za-z0-9_]|"
    + _NOT_ASCII
    + r"|(?<=lambda):)"
    + r"|(?P<PUNCT>[()\[\]|@,])"
    + r"|(?P<STRING>'(?!'')(?:[^'\\]|\\'|\\(?!'))*')"
    + r'|(?P<REFERENCE>"(?:[^"\\]|\\"|\\(?!"))*")'
    + r"|(?P<DURATION>[0-9]+(?:ms|[uµsmhdw]))"
    + r"|(?P<NUMBER>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?![.0-9]|"
    + _NOT_ASCII
    + ")"
    + r"|(?P<DOT>\.)(?![0-9]|"
    + _NOT_ASCII
    + ")"
    + r"|(?P<OPERATOR>==|!=|=~|!~|<=|>=|[-+*%<>=!])"
    + r"|(?P<COMMENT>//[^\n]*(?:\n"
    + _LINE_SPACE
    + r"/[^\n]*)*)"
    + r"|(?P<SLASH>/)"
    + r"|(?P<LAMBDA>lambda:)"
    + r"|(?P<TRIPLE>'''(?:(?!'''|''\\')[\s\S])*''')"
    + r"|(?P<SLOW>[\s\S])"
    + r")?",
)
#: Tokens the lexer takes without a regex when they start right at the cursor. A `.` followed
#: by a digit (or by anything non-ASCII, which might be a digit) goes the regular way.
_FAST = {"(": LPAR, ")": RPAR, "|": PIPE, ",": COMMA, ".": DOT}
_PLAIN_AFTER_DOT = frozenset(chr(c) for c in range(128) if not chr(c).isdigit())

_OPERATOR_KIND = {
    "-": MINUS,
    "!": NOT,
    "=": ASGN,
    "*": OP,
    "+": OP,
    "%": OP,
    "<": OP,
    ">": OP,
    "==": OP,
    "!=": OP,
    "=~": OP,
    "!~": OP,
    "<=": OP,
    ">=": OP,
}
_REGEX_NEXT = frozenset({"=", "=~", "!~"})
_AFTER_OPERAND = frozenset({"LAMBDA", "DURATION", "NUMBER", "STRING", "TRIPLE", "REFERENCE"})


def lex(text: str) -> Lexed:
    """Tokenize `text` as Kapacitor's lexer does (tick/ast/lex.go), stopping at a lex error.

    `after` is True in the after-operand state. Comment groups are attached to the next token;
    those after the last token are returned as `trailing`.
    """
    tokens: list[Tok] = []
    append = tokens.append
    pending: list[Tok] = []
    comments: list[Tok] = []
    n = len(text)
    pos = 0
    after = False
    # The pattern always matches (every alternative is optional).
    match: Callable[[str, int], re.Match[str]] = _TOKEN.match  # type: ignore[assignment]
    fast = _FAST
    try:
        while True:
            # Fast path: single-character punctuation right at the cursor (most tokens).
            ch = text[pos : pos + 1]
            fast_kind = fast.get(ch)
            if fast_kind is not None and (ch != "." or text[pos + 1 : pos + 2] in _PLAIN_AFTER_DOT):
                tok = Tok(fast_kind, ch, pos, pos + 1)
                pos += 1
                after = ch == ")"
                if pending:
                    tok.comment = pending
                    pending = []
                append(tok)
                continue
            m = match(text, pos)
            kind = m.lastgroup
            if kind is None:
                break
            start = m.start(kind)
            pos = m.end()
            if kind == "IDENT":
                value = m.group(kind)
                tok = Tok(KEYWORDS.get(value, IDENT), value, start, pos)
                after = True
            elif kind == "PUNCT":
                value = text[start]
                tok = Tok(_PUNCT[value], value, start, pos)
                after = value == ")"
            elif kind == "OPERATOR":
                value = m.group(kind)
                regex_next = False
                if after:
                    tok = Tok(_OPERATOR_KIND[value], value, start, pos)
                    regex_next = value in _REGEX_NEXT
                elif value[0] == "-" or value[0] == "!" or value == "*":
                    # operand-start state: `-`, `!` (never `!=`), and `*` is a star
                    pos = start + 1
                    tok = Tok(_PUNCT[value[0]], value[0], start, pos)
                else:
                    raise _lex_error(
                        text, start, f"unknown state, last char: {go_quote_rune(value[0])}"
                    )
                after = False
                if pending:
                    tok.comment = pending
                    pending = []
                append(tok)
                if regex_next:
                    # Right after `=`, `=~` and `!~` a `/` starts a regex, even `//`.
                    pos = _skip_space(text, pos)
                    if pos < n and text[pos] == "/":
                        tok = _lex_regex(text, pos)
                        pos = tok.end
                        append(tok)
                continue
            elif kind == "COMMENT":
                comment = Tok(COMMENT, m.group(kind), start, pos)
                pending.append(comment)
                comments.append(comment)
                after = False
                continue
            elif kind == "SLASH":
                if after:
                    tok = Tok(OP, "/", start, pos)
                else:
                    tok = _lex_regex(text, start)
                    pos = tok.end
                after = False
            elif kind == "DOT":
                tok = Tok(DOT, ".", start, pos)
                after = False
            elif kind == "SLOW":
                step = _slow_step(text, start, pending)
                if step is None:  # pragma: no cover - comments match COMMENT
                    comments.append(pending[-1])
                    pos = pending[-1].end
                    continue
                tok, after = step
                pos = tok.end
            else:
                tok = Tok(STRING if kind == "TRIPLE" else kind, m.group(kind), start, pos)
                after = kind in _AFTER_OPERAND
            if pending:
                tok.comment = pending
                pending = []
            append(tok)
    except TickSyntaxError as exc:
        return Lexed(tokens, pending, exc, comments)
    return Lexed(tokens, pending, None, comments)


def _slow_step(text: str, pos: int, pending: list[Tok]) -> tuple[Tok, bool] | None:
    """One token in the operand-start state, the general way; None after a comment."""
    ch = text[pos]
    if ch == "/":
        if text.startswith("//", pos):
            _lex_comment(text, pos, pending)
            return None
        return _lex_regex(text, pos), False
    if ch == "'":
        return _lex_string(text, pos), True
    if ch == '"':
        m = _ESC_REFERENCE.match(text, pos)
        if m is None:
            raise _lex_error(text, pos, "unterminated field reference")
        return Tok(REFERENCE, m.group(), pos, m.end()), True
    if ch.isdecimal() or ch == ".":
        tok = _lex_number(text, pos)
        return tok, tok.type != DOT
    if ch.isalpha():
        return _lex_ident(text, pos), True
    raise _lex_error(text, pos, f"unknown state, last char: {go_quote_rune(ch)}")


def tokenize(text: str) -> tuple[list[Tok], list[Tok]]:
    """All tokens of `text` and the comments after the last one; raises on a lex error."""
    lexed = lex(text)
    if lexed.error is not None:
        raise lexed.error
    return lexed.tokens, lexed.trailing


_PUNCT = {
    "-": MINUS,
    "!": NOT,
    "(": LPAR,
    ")": RPAR,
    "[": LSQB,
    "]": RSQB,
    "|": PIPE,
    "@": AT,
    ",": COMMA,
    "*": STAR,
    "/": REGEX,
}


def _skip_space(text: str, pos: int) -> int:
    """The offset of the first non-space character at or after `pos`."""
    m = _WS.match(text, pos)
    return m.end() if m is not None else pos


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
