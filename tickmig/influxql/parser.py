"""Find the measurement sources of an InfluxQL query, with exact offsets.

Kapacitor batch tasks embed InfluxQL in ``batch|query('SELECT ... FROM "db"."rp"."m" ...')``.
To migrate such a task to InfluxDB 2 (where a database/retention-policy pair is resolved through
a DBRP mapping), tickmig needs to know which ``(database, retention policy)`` pairs a query reads
and to rewrite those parts in place. :func:`parse_query` returns every source of every ``FROM``
clause (subqueries included) with the offsets of each identifier part *as written* in the query
text (tickmig.influxql.query), so a caller can splice in a new name (tickmig.influxql.quoting)
and leave everything else byte-for-byte unchanged.

Offsets are indices into the Python ``str`` passed to :func:`parse_query` (code points, not
UTF-8 bytes), end-exclusive. They are offsets inside the *query* text, i.e. after the TICKscript
string literal around it has been unescaped.

``fill(...)`` and ``tz(...)`` are not reserved words in InfluxQL (a measurement may be called
``fill``); they are recognised, case-insensitively, in their clause positions only.

The grammar checked is the ``SELECT`` statement::

    SELECT fields [INTO target] FROM sources [WHERE expr] [GROUP BY dims] [fill(opt)]
        [ORDER BY sort_fields] [LIMIT n] [OFFSET n] [SLIMIT n] [SOFFSET n] [tz('zone')]

where a source is ``measurement``, ``rp.measurement``, ``db.rp.measurement``, ``db..measurement``
(empty retention policy: the database's default), the same with ``/regex/`` in place of the
measurement, or a subquery ``(SELECT ...)``. Two parts mean *retention policy* and measurement,
never database and measurement. A dot must directly follow the part before it; whitespace may
follow a dot before an identifier, as InfluxDB allows. Expressions (fields, ``WHERE``, ``GROUP BY``)
are checked for shape only: operands and operators alternate, calls and parentheses close.
``EXPLAIN [ANALYZE] SELECT ...`` is read like ``SELECT``. Other
statements (``SHOW``, ``DROP``, ``DELETE``, ``CREATE``, ...) are only checked lexically and by
their leading keyword; their names are not reported as sources because Kapacitor only runs a
single ``SELECT`` (see :attr:`Query.statement_kinds` to flag them).

The lexical rules (and the lexer's departures from InfluxDB's scanner) are in
tickmig.influxql.lexer.
"""

from __future__ import annotations

from collections.abc import Callable

from tickmig.influxql.cursor import TokenCursor
from tickmig.influxql.lexer import (
    EOF,
    IDENT,
    INTEGER,
    KEYWORD,
    NUMBER,
    OP,
    OPERAND_KINDS,
    REGEX,
    STRING,
    InfluxQLError,
    Token,
)
from tickmig.influxql.query import Ident, Query, Source

# Statements other than SELECT/EXPLAIN that InfluxQL knows, by leading keyword.
_OTHER_STATEMENTS = frozenset(
    {"ALTER", "CREATE", "DELETE", "DROP", "GRANT", "KILL", "REVOKE", "SET", "SHOW"}
)


def parse_query(text: str) -> Query:
    """Parse InfluxQL ``text`` and return its sources; raise :class:`InfluxQLError` if it is not
    InfluxQL (including Go-template placeholders such as ``{{ .X }}`` or ``{name}``)."""
    return _Parser(text).parse()


_BINARY_OPS = frozenset(
    {"+", "-", "*", "/", "%", "&", "|", "^", "=", "!=", "<>", "<", "<=", ">", ">=", "=~", "!~"}
)
_FILL_OPTIONS = frozenset({"null", "none", "previous", "linear"})


class _Parser(TokenCursor):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.sources: list[Source] = []
        self.subqueries = 0
        self.into: Source | None = None
        self.kinds: list[str] = []

    # -- statements ---------------------------------------------------------------------------

    def parse(self) -> Query:
        statements = 0
        need_separator = False
        while True:
            tok = self.peek()
            if tok.kind == EOF:
                break
            if tok.kind == ";":
                self.advance()
                need_separator = False
                continue
            if need_separator:
                raise self.unexpected(tok, "';' or end of query")
            self.parse_statement()
            statements += 1
            need_separator = True
        return Query(
            sources=tuple(self.sources),
            subqueries=self.subqueries,
            statements=statements,
            into=self.into,
            statement_kinds=tuple(self.kinds),
        )

    def parse_statement(self) -> None:
        tok = self.peek()
        if self.at_keyword("SELECT"):
            self.kinds.append("SELECT")
            self.parse_select(in_subquery=False)
        elif self.at_keyword("EXPLAIN"):
            self.kinds.append("EXPLAIN")
            self.advance()
            if self.at_keyword("ANALYZE"):
                self.advance()
            if not self.at_keyword("SELECT"):
                raise self.unexpected(self.peek(), "SELECT")
            self.parse_select(in_subquery=False)
        elif tok.kind == KEYWORD and tok.text in _OTHER_STATEMENTS:
            self.kinds.append(tok.text)
            self.skip_statement()
        else:
            raise self.unexpected(tok, "a statement such as SELECT")

    def skip_statement(self) -> None:
        """Skip a non-SELECT statement up to ';' or the end, checking its parentheses."""
        opened: list[Token] = []
        self.advance()
        while True:
            tok = self.peek()
            if tok.kind == EOF or (tok.kind == ";" and not opened):
                if opened:
                    raise InfluxQLError("unclosed '('", opened[-1].start)
                return
            if tok.kind == "(":
                opened.append(tok)
            elif tok.kind == ")":
                if not opened:
                    raise self.unexpected(tok, "';' or end of query")
                opened.pop()
            self.advance()

    def parse_select(self, *, in_subquery: bool) -> None:
        self.expect_keyword("SELECT")
        self.parse_list(self.parse_field)
        if self.at_keyword("INTO"):
            into_tok = self.advance()
            if in_subquery:
                raise InfluxQLError("a subquery cannot have an INTO clause", into_tok.start)
            target = self.parse_path(target=True)
            if self.into is None:
                self.into = target
        if not self.at_keyword("FROM"):
            raise self.unexpected(self.peek(), "',', INTO or FROM")
        self.advance()
        self.parse_list(self.parse_source)
        if self.at_keyword("WHERE"):
            self.advance()
            self.parse_expr()
        if self.at_keyword("GROUP"):
            self.advance()
            self.expect_keyword("BY")
            self.parse_list(self.parse_expr)
        if self.at_clause_call("fill"):
            self.parse_fill()
        if self.at_keyword("ORDER"):
            self.advance()
            self.expect_keyword("BY")
            self.parse_list(self.parse_sort_field)
        for word in ("LIMIT", "OFFSET", "SLIMIT", "SOFFSET"):
            if self.at_keyword(word):
                self.advance()
                self.expect(INTEGER, f"an integer after {word}")
        if self.at_clause_call("tz"):
            self.advance()
            self.advance()
            self.expect(STRING, "a time zone string such as 'America/Chicago'")
            self.expect(")", "')'")

    def parse_list(self, item: Callable[[], None]) -> None:
        item()
        while self.peek().kind == ",":
            self.advance()
            item()

    def parse_fill(self) -> None:
        self.advance()
        opener = self.advance()
        tok = self.peek()
        if tok.kind == OP and tok.text in ("+", "-"):
            self.advance()
            tok = self.peek()
            ok = tok.kind in (INTEGER, NUMBER)
        else:
            ok = tok.kind in (INTEGER, NUMBER) or (
                tok.kind == IDENT and not tok.quoted and tok.text.lower() in _FILL_OPTIONS
            )
        if not ok:
            raise self.unexpected(tok, "null, none, previous, linear or a number in fill()")
        self.advance()
        if self.peek().kind != ")":
            raise self.unexpected(self.peek(), f"')' closing fill( at offset {opener.start}")
        self.advance()

    def parse_sort_field(self) -> None:
        self.expect_ident("a field name to order by")
        if self.at_keyword("ASC", "DESC"):
            self.advance()

    # -- sources ------------------------------------------------------------------------------

    def parse_source(self) -> None:
        tok = self.peek()
        if tok.kind == "(":
            opener = self.advance()
            if not self.at_keyword("SELECT"):
                raise self.unexpected(self.peek(), "SELECT after '(' in FROM")
            self.subqueries += 1
            self.nested(opener)
            self.parse_select(in_subquery=True)
            self.depth -= 1
            if self.peek().kind != ")":
                raise self.unexpected(
                    self.peek(), f"')' closing the subquery opened at offset {opener.start}"
                )
            self.advance()
        elif tok.kind == REGEX:
            self.advance()
            regex = self.text[tok.start : tok.end]
            self.sources.append(Source(None, None, None, regex, tok.start, tok.end))
        elif tok.kind == IDENT:
            self.sources.append(self.parse_path(target=False))
        else:
            raise self.unexpected(tok, "a measurement identifier, /regex/ or (subquery)")

    def parse_path(self, *, target: bool) -> Source:
        """Parse ``[db.[rp].]name`` (with ``/regex/`` or ``:MEASUREMENT`` as the last part).

        Dots must follow a part directly; whitespace may follow a dot before an identifier, but
        a regex, ``:MEASUREMENT`` or a second dot must follow it directly (as in InfluxDB).
        """
        what = "the INTO target" if target else "a measurement identifier"
        first = self.expect_ident(what)
        parts = [first]
        end = first.end
        last: Token | None = None  # a final /regex/ or ":" of .:MEASUREMENT
        while self.peek().kind == "." and self.peek().start == end:
            dot = self.advance()
            end = dot.end
            nxt = self.peek()
            adjacent = nxt.start == dot.end
            if adjacent and nxt.kind == REGEX:
                if target:
                    raise InfluxQLError("an INTO target cannot be a regex", nxt.start)
                last = self.advance()
                end = nxt.end
                break
            if adjacent and nxt.kind == ":":
                if not target:
                    raise InfluxQLError(":MEASUREMENT is only allowed after INTO", nxt.start)
                last = self.advance()
                end = self.expect_keyword("MEASUREMENT").end
                break
            if adjacent and nxt.kind == ".":
                parts.append(Ident("", dot.end, dot.end, False))
                continue
            ident = self.expect_ident("an identifier, /regex/ or '.' after '.'")
            parts.append(ident)
            end = ident.end
        total = len(parts) + (1 if last is not None else 0)
        if total > 3:
            raise InfluxQLError(
                "too many parts: a source is at most database.retention_policy.measurement",
                first.start,
            )
        if last is None:
            *qualifiers, measurement = parts
            regex = None
        else:
            qualifiers, measurement = parts, None
            regex = self.text[last.start : last.end] if last.kind == REGEX else None
        database = qualifiers[-2] if len(qualifiers) == 2 else None
        retention_policy = qualifiers[-1] if qualifiers else None
        return Source(database, retention_policy, measurement, regex, first.start, end)

    # -- expressions --------------------------------------------------------------------------

    def parse_field(self) -> None:
        self.parse_expr()
        if self.at_keyword("AS"):
            self.advance()
            self.expect_ident("an alias identifier after AS")

    def parse_expr(self) -> None:
        self.parse_unary()
        while True:
            tok = self.peek()
            is_op = tok.kind == OP and tok.text in _BINARY_OPS
            if not (is_op or (tok.kind == KEYWORD and tok.text in ("AND", "OR"))):
                return
            self.advance()
            self.parse_unary()

    def parse_unary(self) -> None:
        tok = self.peek()
        if tok.kind == OP and tok.text in ("+", "-"):
            self.advance()
            self.parse_unary()
        elif tok.kind == "(":
            self.nested(self.advance())
            self.parse_expr()
            self.expect(")", f"')' closing the '(' at offset {tok.start}")
            self.depth -= 1
        elif tok.kind == KEYWORD and tok.text == "DISTINCT":
            self.advance()
            self.parse_unary()
        elif tok.kind == OP and tok.text == "*":  # wildcard, as in SELECT * or count(*)
            self.advance()
            self.parse_cast()
        elif tok.kind == IDENT:
            self.parse_reference()
        elif tok.kind in OPERAND_KINDS or (tok.kind == KEYWORD and tok.text in ("TRUE", "FALSE")):
            self.advance()
        else:
            raise self.unexpected(tok, "an expression")

    def parse_reference(self) -> None:
        """A function call ``name(args)`` or a (dotted) field/tag reference, with ``::type``."""
        name = self.advance()
        if self.peek().kind == "(":
            self.nested(self.advance())
            if self.peek().kind != ")":
                self.parse_list(self.parse_expr)
            self.expect(")", f"')' closing the call to {self.text[name.start : name.end]}")
            self.depth -= 1
        else:
            end = name.end
            while self.peek().kind == "." and self.peek().start == end:
                self.advance()
                end = self.expect_ident("an identifier after '.'").end
        self.parse_cast()

    def parse_cast(self) -> None:
        if self.peek().kind == "::":
            self.advance()
            self.expect(IDENT, "a type such as field, tag, integer or float after '::'")
