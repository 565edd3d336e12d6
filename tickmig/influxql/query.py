"""What tickmig.influxql.parser finds in a query: its sources (every measurement a FROM clause
reads, subqueries included, and the INTO target), each identifier part with its offsets as
written, so that a caller can splice in a new name (tickmig.influxql.quoting) and leave
everything else byte for byte. Offsets are code-point indices into the query text,
end-exclusive."""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.influxql.lexer import unescape_regex


@dataclass(frozen=True)
class Ident:
    """One identifier part of a source, as written.

    ``value`` is unquoted and unescaped; ``start``/``end`` span the part as written, quotes
    included. An empty part (the retention policy in ``db..m``) has ``value == ""`` and
    ``start == end`` at the position where a name would be inserted.
    """

    value: str
    start: int
    end: int
    quoted: bool


@dataclass(frozen=True)
class Source:
    """One measurement source of a ``FROM`` clause, or the target of ``INTO``.

    ``database`` and ``retention_policy`` are ``None`` when not written. ``measurement`` is
    ``None`` for a regex source, whose ``/regex/`` text as written is in ``regex``. For an
    ``INTO ... .:MEASUREMENT`` back-reference both are ``None`` (see :attr:`backreference`).
    ``start``/``end`` span the whole source text.
    """

    database: Ident | None
    retention_policy: Ident | None
    measurement: Ident | None
    regex: str | None
    start: int
    end: int

    @property
    def fully_qualified(self) -> bool:
        """True when a non-empty database and a non-empty retention policy are both written."""
        return (
            self.database is not None
            and self.database.value != ""
            and self.retention_policy is not None
            and self.retention_policy.value != ""
        )

    @property
    def backreference(self) -> bool:
        """True for an ``INTO db.rp.:MEASUREMENT`` target (the source measurement's name)."""
        return self.measurement is None and self.regex is None

    @property
    def pattern(self) -> str | None:
        """The regular expression of a regex source, without slashes and with ``\\/`` unescaped."""
        if self.regex is None:
            return None
        return unescape_regex(self.regex[1:-1])


@dataclass(frozen=True)
class Query:
    """What :func:`parse_query` found in a query.

    ``sources`` are in text order and include the sources of (nested) subqueries; ``subqueries``
    counts the ``FROM (SELECT ...)`` subqueries; ``statements`` counts the ``;``-separated
    statements (empty statements are not counted); ``into`` is the first ``INTO`` target, if
    any; ``statement_kinds`` holds each statement's leading keyword in upper case, e.g.
    ``("SELECT", "DROP")``.
    """

    sources: tuple[Source, ...]
    subqueries: int
    statements: int
    into: Source | None
    statement_kinds: tuple[str, ...] = ()
