"""A parser's place in the tokens of a query: looking ahead, taking a token, expecting one, and
the one-line message when the query holds something else (naming what was found and, where
it helps, how to write it)."""

from __future__ import annotations

from tickmig.influxql.lexer import EOF, IDENT, KEYWORD, OP, InfluxQLError, Token, tokenize
from tickmig.influxql.query import Ident
from tickmig.influxql.quoting import quote_ident

#: How deep parentheses and subqueries may nest.
MAX_DEPTH = 200

_CLAUSE_WORDS = frozenset(
    {"INTO", "FROM", "WHERE", "GROUP", "ORDER", "LIMIT", "OFFSET", "SLIMIT", "SOFFSET"}
)
_CLAUSE_ORDER = (
    "SELECT clauses go in the order INTO, FROM, WHERE, GROUP BY, fill(), ORDER BY, LIMIT, "
    "OFFSET, SLIMIT, SOFFSET, tz()"
)


class TokenCursor:
    """The tokens of `text` and the position of the next one; `depth` counts the open
    parentheses and subqueries."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != EOF:
            self.i += 1
        return tok

    def at_keyword(self, *words: str) -> bool:
        tok = self.peek()
        return tok.kind == KEYWORD and tok.text in words

    def at_clause_call(self, name: str) -> bool:
        """``fill(`` or ``tz(``: an identifier that is a clause name only before a '('."""
        tok = self.peek()
        return tok.kind == IDENT and tok.text.lower() == name and self.peek(1).kind == "("

    def unexpected(self, tok: Token, expected: str) -> InfluxQLError:
        if tok.kind == EOF:
            found = "end of query"
        elif tok.kind == KEYWORD:
            found = tok.text
        else:
            found = repr(self.text[tok.start : tok.end])
        message = f"found {found}, expected {expected}"
        if tok.kind == KEYWORD and "identifier" in expected:
            written = quote_ident(self.text[tok.start : tok.end])
            message += f" (keywords used as names must be double-quoted: {written})"
        if (tok.kind == KEYWORD and tok.text in _CLAUSE_WORDS) and (
            "';'" in expected or "subquery" in expected
        ):
            message += f" ({_CLAUSE_ORDER})"
        after = self.text[tok.end : tok.end + 1]
        if tok.kind == OP and tok.text == "%" and after.isalpha():
            message += f" (%{after} looks like a Go fmt verb; fill it in before parsing)"
        return InfluxQLError(message, tok.start)

    def expect(self, kind: str, expected: str) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            raise self.unexpected(tok, expected)
        return self.advance()

    def expect_keyword(self, word: str) -> Token:
        if not self.at_keyword(word):
            raise self.unexpected(self.peek(), word)
        return self.advance()

    def expect_ident(self, expected: str) -> Ident:
        tok = self.expect(IDENT, expected)
        return Ident(tok.text, tok.start, tok.end, tok.quoted)

    def nested(self, opener: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InfluxQLError("query is nested too deeply", opener.start)
