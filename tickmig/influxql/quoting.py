"""InfluxQL names written back into a query: whether a name needs double quotes, the quoted
form of any name, and a whole `db.rp.measurement` source."""

from __future__ import annotations

from tickmig.influxql.lexer import BARE_IDENT, KEYWORDS


def needs_quotes(name: str) -> bool:
    """Whether ``name`` must be double-quoted to be read as an identifier."""
    return BARE_IDENT.fullmatch(name) is None or name.lower() in KEYWORDS


def quote_ident(name: str) -> str:
    """Quote ``name`` as an InfluxQL identifier, always with double quotes.

    Backslashes, double quotes and newlines are escaped, so any non-empty name round-trips:
    ``quote_ident('my "db"')`` is ``"my \\"db\\""``.
    """
    if name == "":
        raise ValueError("an InfluxQL identifier cannot be empty")
    escaped = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def qualify(db: str, rp: str, measurement_ident_text: str) -> str:
    """Format a source as ``"db"."rp".<measurement>``.

    ``measurement_ident_text`` is used as written (a quoted or bare identifier, or a
    ``/regex/``). An empty ``rp`` gives ``"db"..<measurement>`` (the database's default
    retention policy); an empty ``db`` gives ``"rp".<measurement>``, and both empty give the
    measurement alone.
    """
    if measurement_ident_text == "":
        raise ValueError("the measurement text cannot be empty")
    if db:
        middle = quote_ident(rp) if rp else ""
        return f"{quote_ident(db)}.{middle}.{measurement_ident_text}"
    if rp:
        return f"{quote_ident(rp)}.{measurement_ident_text}"
    return measurement_ident_text
