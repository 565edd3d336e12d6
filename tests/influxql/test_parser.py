"""Examples of how tickmig reads the FROM clause of the InfluxQL in Kapacitor batch tasks.

Every offset is checked by slicing the query text, the way the rewriter uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tickmig.influxql.lexer import KEYWORDS, InfluxQLError
from tickmig.influxql.parser import parse_query
from tickmig.influxql.query import Ident, Source
from tickmig.influxql.quoting import needs_quotes, qualify, quote_ident


def written(text: str, ident: Ident | None) -> str | None:
    """The identifier part exactly as it is written in ``text``."""
    return None if ident is None else text[ident.start : ident.end]


def written_parts(text: str, source: Source) -> tuple[str | None, str | None, str | None]:
    last = source.regex if source.measurement is None else written(text, source.measurement)
    return written(text, source.database), written(text, source.retention_policy), last


def names(source: Source) -> tuple[str | None, str | None, str | None]:
    db, rp, m = source.database, source.retention_policy, source.measurement
    return (
        None if db is None else db.value,
        None if rp is None else rp.value,
        source.pattern if m is None else m.value,
    )


def only_source(text: str) -> Source:
    (source,) = parse_query(text).sources
    return source


# --- the forms a source can take -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts", "values"),
    [
        pytest.param(
            'SELECT mean("usage_user") FROM "telegraf"."autogen"."cpu"',
            ('"telegraf"', '"autogen"', '"cpu"'),
            ("telegraf", "autogen", "cpu"),
            id="db.rp.measurement, all quoted",
        ),
        pytest.param(
            'select * from "telegraf".autogen.cpu',
            ('"telegraf"', "autogen", "cpu"),
            ("telegraf", "autogen", "cpu"),
            id="db.rp.measurement, mixed quoting",
        ),
        pytest.param(
            "SELECT value FROM autogen.cpu",
            (None, "autogen", "cpu"),
            (None, "autogen", "cpu"),
            id="two parts are rp.measurement, not db.measurement",
        ),
        pytest.param(
            "SELECT value FROM cpu WHERE host = 'a'",
            (None, None, "cpu"),
            (None, None, "cpu"),
            id="measurement only",
        ),
        pytest.param(
            'SELECT value FROM "telegraf"..cpu',
            ('"telegraf"', "", "cpu"),
            ("telegraf", "", "cpu"),
            id="db..measurement: empty rp is the default policy",
        ),
        pytest.param(
            "SELECT value FROM /cpu.*/",
            (None, None, "/cpu.*/"),
            (None, None, "cpu.*"),
            id="regex",
        ),
        pytest.param(
            'SELECT sum("value") FROM "telegraf"."autogen"./process_.*/',
            ('"telegraf"', '"autogen"', "/process_.*/"),
            ("telegraf", "autogen", "process_.*"),
            id="db.rp./regex/",
        ),
        pytest.param(
            "SELECT value FROM telegraf../cpu_.*/",
            ("telegraf", "", "/cpu_.*/"),
            ("telegraf", "", "cpu_.*"),
            id="db../regex/",
        ),
        pytest.param(
            "SELECT value FROM autogen./cpu/",
            (None, "autogen", "/cpu/"),
            (None, "autogen", "cpu"),
            id="rp./regex/",
        ),
        pytest.param(
            r"SELECT value FROM /web\/[0-9]+/",
            (None, None, r"/web\/[0-9]+/"),
            (None, None, "web/[0-9]+"),
            id="regex with an escaped slash",
        ),
        pytest.param(
            r'SELECT value FROM "my \"db\""."rp.with.dots"."cpu\\load"',
            (r'"my \"db\""', '"rp.with.dots"', r'"cpu\\load"'),
            ('my "db"', "rp.with.dots", "cpu\\load"),
            id="escaped quote, dots and backslash inside quoted identifiers",
        ),
        pytest.param(
            'SELECT value FROM "select"."from".fill',
            ('"select"', '"from"', "fill"),
            ("select", "from", "fill"),
            id="quoted keywords; fill is not reserved",
        ),
        pytest.param(
            'SELECT value FROM "données"."rétention"."température 🌡"',
            ('"données"', '"rétention"', '"température 🌡"'),
            ("données", "rétention", "température 🌡"),
            id="non-ASCII quoted identifiers (offsets count code points)",
        ),
        pytest.param(
            '\n\t\tSELECT mean("value")\n\t\tFROM "telegraf"."default".cpu_usage_idle\n',
            ('"telegraf"', '"default"', "cpu_usage_idle"),
            ("telegraf", "default", "cpu_usage_idle"),
            id="multi-line query from a triple-quoted TICKscript string",
        ),
    ],
)
def test_source_forms(
    text: str,
    parts: tuple[str | None, str | None, str | None],
    values: tuple[str | None, str | None, str | None],
) -> None:
    source = only_source(text)
    assert written_parts(text, source) == parts
    assert names(source) == values
    assert text[source.start : source.end] == ".".join(p for p in parts if p is not None)


def test_empty_retention_policy_is_an_insertion_point() -> None:
    text = 'SELECT value FROM "telegraf"..cpu'
    rp = only_source(text).retention_policy
    assert rp == Ident("", 29, 29, quoted=False)
    assert text[: rp.start] + '"autogen"' + text[rp.end :] == (
        'SELECT value FROM "telegraf"."autogen".cpu'
    )


@pytest.mark.parametrize(
    ("text", "fully_qualified"),
    [
        ('SELECT v FROM "db"."rp"."m"', True),
        ('SELECT v FROM "db"..m', False),
        ('SELECT v FROM "rp"."m"', False),
        ("SELECT v FROM m", False),
        ('SELECT v FROM "db"."rp"./m.*/', True),
    ],
)
def test_fully_qualified(text: str, fully_qualified: bool) -> None:
    assert only_source(text).fully_qualified is fully_qualified


def test_whitespace_may_follow_a_dot_but_not_precede_it() -> None:
    text = "SELECT v FROM db. rp. m"
    source = only_source(text)
    assert names(source) == ("db", "rp", "m")
    assert text[source.start : source.end] == "db. rp. m"
    with pytest.raises(InfluxQLError) as error:
        parse_query("SELECT v FROM db .rp.m")
    assert error.value.offset == len("SELECT v FROM db ")


def test_several_sources_in_one_from_clause() -> None:
    text = 'SELECT v FROM "db"."rp".cpu, mem ,autogen./disk.*/'
    query = parse_query(text)
    assert [written_parts(text, s) for s in query.sources] == [
        ('"db"', '"rp"', "cpu"),
        (None, None, "mem"),
        (None, "autogen", "/disk.*/"),
    ]


# --- lexical rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'SELECT v FROM "db"."rp".m WHERE note = \'copied FROM other.rp.m; SELECT x FROM y\'',
            id="FROM inside a string literal",
        ),
        pytest.param(
            'SELECT v FROM "db"."rp".m WHERE note = \'it\\\'s FROM other.rp.m\'',
            id="escaped quote inside a string literal",
        ),
        pytest.param(
            '-- SELECT x FROM a.b.c\nSELECT v /* FROM x.y.z */ FROM "db"."rp".m -- FROM k',
            id="FROM inside comments",
        ),
        pytest.param(
            'SELECT "FROM other.rp.m" FROM "db"."rp".m',
            id="FROM inside a quoted field name",
        ),
        pytest.param(
            'SELECT v FROM "db"."rp".m WHERE host =~ /FROM a.b.c/',
            id="FROM inside a regex literal",
        ),
    ],
)
def test_from_outside_the_from_clause_is_not_a_source(text: str) -> None:
    source = only_source(text)
    assert names(source) == ("db", "rp", "m")


def test_keywords_are_case_insensitive() -> None:
    text = (
        'sElEcT MEAN("v") As "avg" FrOm "db"."rp"."cpu" wHeRe "host" = \'a\' AnD time > now() - 1h '
        "Group bY time(1m), * FILL(NONE) order BY time desc LiMiT 10 oFfSeT 2 "
        "sLiMiT 3 SoFfSeT 1 Tz('Europe/Paris')"
    )
    assert names(only_source(text)) == ("db", "rp", "cpu")


@pytest.mark.parametrize("keyword", ["from", "WHERE", "Select", "into", "limit", "true", "and"])
def test_a_keyword_cannot_be_an_unquoted_identifier(keyword: str) -> None:
    text = f"SELECT v FROM db.rp.{keyword}"
    with pytest.raises(InfluxQLError, match="must be double-quoted") as error:
        parse_query(text)
    assert error.value.offset == len("SELECT v FROM db.rp.")
    assert names(only_source(f"SELECT v FROM db.rp.{quote_ident(keyword)}")) == (
        "db",
        "rp",
        keyword,
    )


def test_slash_after_an_operand_is_division_not_a_regex() -> None:
    text = r"SELECT mean(v) / 100, v/2 FROM cpu WHERE host =~ /web\/1/ AND x / 2 > 1"
    assert names(only_source(text)) == (None, None, "cpu")


def test_durations_numbers_and_bound_parameters() -> None:
    text = (
        "SELECT percentile(v, 99.5), v * .5 FROM cpu "
        "WHERE time > now() - 1h30m AND time < now() - 10µ - 5u - 1ms AND host = $host AND n > -3"
    )
    assert names(only_source(text)) == (None, None, "cpu")


def test_wildcards_casts_and_distinct() -> None:
    text = 'SELECT *::field, count(DISTINCT "v"), "t"::tag FROM m GROUP BY /ho.*/'
    assert names(only_source(text)) == (None, None, "m")


# --- subqueries, statements, INTO ----------------------------------------------------------


def test_subquery_sources_are_reported_in_text_order() -> None:
    text = (
        'SELECT max("m") FROM '
        '(SELECT mean("v") AS "m" FROM "db"."rp"."cpu" GROUP BY time(1m)), "db"."rp"."mem"'
    )
    query = parse_query(text)
    assert query.subqueries == 1
    assert [names(s) for s in query.sources] == [("db", "rp", "cpu"), ("db", "rp", "mem")]
    assert [text[s.start : s.end] for s in query.sources] == [
        '"db"."rp"."cpu"',
        '"db"."rp"."mem"',
    ]


def test_nested_subqueries() -> None:
    text = (
        "SELECT count(x) FROM ( SELECT max(y) AS x FROM "
        "(select mean(v) AS y FROM a.b.c, (SELECT v FROM d..e)) ), f.g"
    )
    query = parse_query(text)
    assert query.subqueries == 3
    assert [names(s) for s in query.sources] == [
        ("a", "b", "c"),
        ("d", "", "e"),
        (None, "f", "g"),
    ]


def test_several_statements() -> None:
    query = parse_query("SELECT value FROM db.rp.m; DROP DATABASE _internal")
    assert query.statements == 2
    assert query.statement_kinds == ("SELECT", "DROP")
    assert [names(s) for s in query.sources] == [("db", "rp", "m")]


def test_empty_statements_are_not_counted() -> None:
    query = parse_query(";SELECT v FROM a.m;; select v FROM b.m;")
    assert query.statements == 2
    assert [names(s) for s in query.sources] == [(None, "a", "m"), (None, "b", "m")]
    assert parse_query("").statements == 0


def test_other_statements_are_checked_but_report_no_sources() -> None:
    query = parse_query('SHOW TAG VALUES FROM "cpu" WITH KEY IN ("region", "host")')
    assert query.statement_kinds == ("SHOW",)
    assert query.sources == ()


def test_explain_select_reports_its_sources() -> None:
    query = parse_query("EXPLAIN ANALYZE SELECT v FROM db.rp.m")
    assert query.statement_kinds == ("EXPLAIN",)
    assert [names(s) for s in query.sources] == [("db", "rp", "m")]


def test_into_target() -> None:
    text = 'SELECT mean("v") INTO "db"."rp_1h"."cpu_1h" FROM "db"."autogen"."cpu"'
    query = parse_query(text)
    assert query.into is not None
    assert written_parts(text, query.into) == ('"db"', '"rp_1h"', '"cpu_1h"')
    assert [names(s) for s in query.sources] == [("db", "autogen", "cpu")]


def test_into_measurement_backreference() -> None:
    text = 'SELECT mean("v") INTO "db"."rp_1h".:MEASUREMENT FROM "db"."autogen"./cpu.*/'
    into = parse_query(text).into
    assert into is not None
    assert into.backreference
    assert names(into) == ("db", "rp_1h", None)
    assert text[into.start : into.end] == '"db"."rp_1h".:MEASUREMENT'


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("SELECT v FROM db.rp.", 20, "found end of query, expected an identifier"),
        ("SELECT v FROM a.b.c.d", 14, "too many parts"),
        ("SELECT v FROM db .rp.m", 17, "found '.'"),
        ("SELECT v FROM m WHERE h = 'open", 26, "unterminated string literal"),
        ('SELECT v FROM "open', 14, "unterminated quoted identifier"),
        ("SELECT v FROM /open", 14, "unterminated regex"),
        ("SELECT v FROM m /* open", 16, "unterminated /* comment"),
        ("SELECT v FROM m WHERE p = 'C:\\temp'", 29, r"bad escape \t"),
        ('SELECT v FROM "two\nlines"', 18, "newline in quoted identifier"),
        ("SELECT v FROM m\r\n", 15, "carriage return"),
        ("SELECT v FROM (SELECT v FROM m", 30, "')' closing the subquery opened at offset 14"),
        ("SELECT v INTO x FROM (SELECT v INTO y FROM m)", 31, "subquery cannot have an INTO"),
        ("SELECT v FROM m.:MEASUREMENT", 16, ":MEASUREMENT is only allowed after INTO"),
        ("SELECT v FROM m LIMIT ten", 22, "an integer after LIMIT"),
        ("SELECT v FROM m fill(sometimes)", 21, "null, none, previous, linear"),
        ("SELECT v FROM m WHERE time > now() - 5x", 37, "invalid duration '5x'"),
        ("SELECT 1", 8, "found end of query, expected ',', INTO or FROM"),
        ("SELECT FROM m", 7, "found FROM, expected an expression"),
        ("SELECT v FROM m extra", 16, "expected ';' or end of query"),
        ("SELECT v FROM m LIMIT 1 WHERE x > 1", 24, "clauses go in the order INTO, FROM, WHERE"),
        ("FETCH v FROM m", 0, "expected a statement"),
        ("SELECT v FROM m WHERE a # b", 24, "unexpected character '#'"),
        ("{{ .Query }}", 0, "template placeholders"),
        ("SELECT v FROM {InfluxQL_Query}", 14, "template placeholders"),
        ("SELECT v FROM %s", 14, "Go fmt verb"),
    ],
)
def test_errors_report_the_offset(text: str, offset: int, message: str) -> None:
    with pytest.raises(InfluxQLError) as error:
        parse_query(text)
    assert error.value.offset == offset
    assert message in error.value.message
    assert f"(at offset {offset})" in str(error.value)
    assert isinstance(error.value, ValueError)


# --- quoting helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("telegraf", '"telegraf"'),
        ("my db", '"my db"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("two\nlines", r'"two\nlines"'),
    ],
)
def test_quote_ident(name: str, quoted: str) -> None:
    assert quote_ident(name) == quoted


def test_quote_ident_rejects_an_empty_name() -> None:
    with pytest.raises(ValueError, match="empty"):
        quote_ident("")


@pytest.mark.parametrize(
    ("db", "rp", "measurement", "expected"),
    [
        ("telegraf", "autogen", "cpu", '"telegraf"."autogen".cpu'),
        ("telegraf", "autogen", '"cpu"', '"telegraf"."autogen"."cpu"'),
        ("telegraf", "autogen", "/cpu.*/", '"telegraf"."autogen"./cpu.*/'),
        ("telegraf", "", "cpu", '"telegraf"..cpu'),
        ("", "autogen", "cpu", '"autogen".cpu'),
        ("", "", "cpu", "cpu"),
    ],
)
def test_qualify(db: str, rp: str, measurement: str, expected: str) -> None:
    assert qualify(db, rp, measurement) == expected


@pytest.mark.parametrize(
    ("name", "needed"),
    [("cpu", False), ("_cpu2", False), ("2cpu", True), ("cpu-load", True), ("From", True)],
)
def test_needs_quotes(name: str, needed: bool) -> None:
    assert needs_quotes(name) is needed


# --- properties ----------------------------------------------------------------------------

names_strategy = st.one_of(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
    st.sampled_from(sorted(KEYWORDS)),
    st.sampled_from(['a"b', "a.b", "a\\b", "a\nb", "x'y", "/re/", "--", "/*", "{{ .DB }}"]),
)


def measurement_text(name: str, bare: bool) -> str:
    """The measurement as a user would write it: bare when InfluxQL allows, else quoted."""
    return name if bare and not needs_quotes(name) else quote_ident(name)


@given(names_strategy, names_strategy, names_strategy, st.booleans())
def test_qualified_sources_parse_back(db: str, rp: str, m: str, bare: bool) -> None:
    text = (
        f'SELECT mean("v") FROM {qualify(db, rp, measurement_text(m, bare))} WHERE "host" = \'a\''
    )
    source = only_source(text)
    assert names(source) == (db, rp, m)
    assert written(text, source.database) == quote_ident(db)
    assert written(text, source.retention_policy) == quote_ident(rp)
    assert source.fully_qualified


@given(names_strategy, names_strategy, names_strategy, names_strategy, st.booleans())
def test_replacing_the_database_changes_nothing_else(
    db: str, rp: str, m: str, new_db: str, bare: bool
) -> None:
    text = (
        f'SELECT mean("v") FROM {qualify(db, rp, measurement_text(m, bare))} WHERE "host" = \'a\''
    )
    before = only_source(text)
    assert before.database is not None
    start, end = before.database.start, before.database.end
    replacement = quote_ident(new_db)
    after_text = text[:start] + replacement + text[end:]
    after = only_source(after_text)
    shift = len(replacement) - (end - start)
    assert after.database == Ident(new_db, start, start + len(replacement), quoted=True)
    assert after.retention_policy == shifted(before.retention_policy, shift)
    assert after.measurement == shifted(before.measurement, shift)
    assert (after.start, after.end) == (before.start, before.end + shift)


@given(names_strategy, names_strategy, st.booleans())
def test_filling_in_an_empty_retention_policy(db: str, rp: str, bare: bool) -> None:
    text = f"SELECT v FROM {qualify(db, '', measurement_text('cpu', bare))}"
    before = only_source(text)
    assert before.retention_policy is not None
    assert before.retention_policy.value == ""
    at = before.retention_policy.start
    after = only_source(text[:at] + quote_ident(rp) + text[at:])
    assert names(after) == (db, rp, "cpu")
    assert after.database == before.database


def shifted(ident: Ident | None, shift: int) -> Ident | None:
    if ident is None:
        return None
    return Ident(ident.value, ident.start + shift, ident.end + shift, ident.quoted)


# fmt: off
FRAGMENTS = [
    "SELECT", "FROM", "WHERE", "GROUP BY", "INTO", "fill(none)", "(", ")", ",", ";", ".", "..",
    '"db"', "rp", "m", "/re/", "'str'", "--c\n", "/*c*/", "=", "=~", "1h", "2.5", "mean(v)", "*",
    " ", "\\", '"', "'", "/", ":MEASUREMENT", "{{", "%s", "AND",
]
# fmt: on
influxql_ish = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join)


@given(st.one_of(st.text(max_size=60), influxql_ish))
def test_any_text_either_parses_or_raises_influxql_error(text: str) -> None:
    try:
        query = parse_query(text)
    except InfluxQLError as error:
        assert 0 <= error.offset <= len(text)
        return
    starts = [s.start for s in query.sources]
    assert starts == sorted(starts)
    for source in query.sources:
        for ident in (source.database, source.retention_policy, source.measurement):
            if ident is not None:
                assert source.start <= ident.start <= ident.end <= source.end


# --- the Kapacitor corpus ------------------------------------------------------------------

# query('...') with \' escapes, or query('''...''') taken verbatim, as TICKscript reads them.
QUERY_CALL = re.compile(r"query\(\s*(?:'''(.*?)'''|'((?:[^'\\]|\\.)*)')\s*\)", re.DOTALL)
TEMPLATED = re.compile(r"\{|\}|%[a-zA-Z]")


def corpus_queries(corpus: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(corpus.glob("*.tick")):
        for match in QUERY_CALL.finditer(path.read_text(encoding="utf-8")):
            triple, single = match.groups()
            query = triple if triple is not None else single.replace("\\'", "'")
            found.append((path.name, query))
    return found


def test_every_plain_query_in_the_kapacitor_corpus_parses(corpus_dir: Path) -> None:
    queries = corpus_queries(corpus_dir)
    plain = [(name, q) for name, q in queries if not TEMPLATED.search(q)]
    templated = [(name, q) for name, q in queries if TEMPLATED.search(q)]
    assert len(plain) >= 90, "expected the corpus to hold about a hundred query() calls"

    read: set[tuple[str | None, str | None]] = set()
    for _name, query in plain:
        for source in parse_query(query).sources:
            db, rp, _m = names(source)
            read.add((db, rp))
    assert {("telegraf", "autogen"), ("telegraf", "default"), ("db", "rp")} <= read
    assert (None, None) in read  # e.g. 'select cpu_usage from cpu'

    for _name, query in templated:
        with pytest.raises(InfluxQLError, match=r"template placeholders|fmt verb"):
            parse_query(query)
