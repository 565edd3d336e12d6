"""The tokens of TICKscript, as Kapacitor's lexer (tick/ast/lex.go) makes them: their kinds
(the terminals declared in grammar/tickscript.lark), how Kapacitor names each kind in its
messages, the keywords, what counts as white space, and the token itself. The lexer
(tickmig.tickscript.lexer) makes them; the parser and the tree builder read them."""

from __future__ import annotations

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
