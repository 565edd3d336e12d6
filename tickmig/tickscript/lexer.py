"""TICKscript tokenizer: Kapacitor's two-state lexer (tick/ast/lex.go) in Python.

Lark's contextual lexer cannot reproduce Kapacitor's lexer: whether `/` starts a regex or is
a division, and whether `*` is a star or a multiplication, depends on the previous *token*
(operand-start versus after-operand state), comments switch back to operand-start, and a
regex is lexed right after `=`, `=~` and `!~` even when it looks like a comment. So this
module is the lexer, and Lark's LALR parser is fed with its tokens.

Comments never reach the parser: each group of consecutive comment tokens is attached to the
next real token (`Tok.comment`), which is how Kapacitor's parser sees them.

The token kinds and `Tok` are in tickmig.tickscript.tokens; what the one pattern below leaves
(non-ASCII identifiers and digits, triple-quoted strings, lex errors) is read by the slow path,
tickmig.tickscript.lexer_slow.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tickmig.errors import TickSyntaxError
from tickmig.tickscript.lexer_slow import go_quote_rune, lex_error, lex_regex, slow_step
from tickmig.tickscript.tokens import (
    ASGN,
    AT,
    COMMA,
    COMMENT,
    DOT,
    IDENT,
    KEYWORDS,
    LPAR,
    LSQB,
    MINUS,
    NOT,
    OP,
    PIPE,
    REGEX,
    RPAR,
    RSQB,
    SPACES,
    STAR,
    STRING,
    Tok,
)

_WS_CLASS = "[" + re.escape("".join(sorted(SPACES))) + "]*"
_LINE_SPACE = "[" + re.escape("".join(sorted(SPACES - {"\n"}))) + "]*"
_WS = re.compile(_WS_CLASS)


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


_NOT_ASCII = r"[^\x00-\x7f]"
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
                    raise lex_error(
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
                        tok = lex_regex(text, pos)
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
                    tok = lex_regex(text, start)
                    pos = tok.end
                after = False
            elif kind == "DOT":
                tok = Tok(DOT, ".", start, pos)
                after = False
            elif kind == "SLOW":
                step = slow_step(text, start, pending)
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
