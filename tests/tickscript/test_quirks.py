"""One test per pitfall of ../shared/docs/tickscript.md section 7 (and the greedy merging of
section 2.4), each checked against what the spec says Kapacitor does."""

from __future__ import annotations

import pytest

from tickmig.errors import TickSyntaxError
from tickmig.tickscript.lexer import tokenize
from tickmig.tickscript.nodes import (
    Binary,
    Call,
    Chain,
    Declaration,
    Duration,
    Identifier,
    Lambda,
    List,
    Number,
    Regex,
    Star,
    String,
    Unary,
)
from tickmig.tickscript.parser import parse


def kinds(src: str) -> list[str]:
    return [t.type for t in tokenize(src)[0]]


def statements(src: str) -> tuple[object, ...]:
    return parse(src).statements


def rejects(src: str) -> TickSyntaxError:
    with pytest.raises(TickSyntaxError) as info:
        parse(src)
    return info.value


# --- 7.1 Lexing ---------------------------------------------------------------------------


def test_1_slash_is_regex_or_division_by_lexer_state() -> None:
    assert kinds("var x = a / b") == ["VAR", "IDENT", "ASGN", "IDENT", "OP", "IDENT"]
    assert kinds("f(/x/)") == ["IDENT", "LPAR", "REGEX", "RPAR"]
    assert kinds("groupBy(*)") == ["IDENT", "LPAR", "STAR", "RPAR"]
    assert kinds("a * b") == ["IDENT", "OP", "IDENT"]


def test_2_a_comment_resets_the_lexer_so_only_some_operators_survive_it() -> None:
    err = rejects('lambda: "a" // c\n> 1')
    assert (err.line, err.column) == (2, 1)
    rejects("var x = 1 // c\n+ 2")
    (decl,) = statements("var x = 1 // c\n- 2")
    assert isinstance(decl, Declaration) and isinstance(decl.value, Binary)
    # `*` after a comment is a star, so a new statement, then `2` another one
    assert [type(s).__name__ for s in statements("var x = a // c\n* 2")] == [
        "Declaration",
        "Star",
        "Number",
    ]


def test_3_slashes_after_assignment_are_an_empty_regex_not_a_comment() -> None:
    decl, note, five = statements("var x = // note\n5")
    assert isinstance(decl, Declaration)
    assert decl.value == Regex(8, 10, 8, "")
    assert isinstance(note, Identifier) and note.name == "note"
    assert isinstance(five, Number) and five.value == 5


def test_4_lambda_must_be_glued_to_its_colon() -> None:
    (lam,) = statements('lambda: "x" > 1')
    assert isinstance(lam, Lambda)
    assert rejects("lambda : 1").message == "unknown state, last char: ':'"
    (decl,) = statements("var x lambda")  # a typed declaration whose type is `lambda`
    assert decl.type.name == "lambda"  # type: ignore[attr-defined]
    assert isinstance(statements("stream|lambda()")[0], Chain)


def test_5_keywords_are_uppercase_only() -> None:
    (lam,) = statements('lambda: "x" == true')
    assert isinstance(lam, Lambda) and isinstance(lam.expression, Binary)
    assert isinstance(lam.expression.right, Identifier)
    assert kinds("TRUE FALSE AND OR and") == ["TRUE", "FALSE", "OP", "OP", "IDENT"]
    rejects("a && b")


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("var x = 10us", [("Duration", "10u"), ("Identifier", "s")]),
        ("var x = 10ns", [("Number", "10"), ("Identifier", "ns")]),
        ("var x = 1.5h", [("Number", "1.5"), ("Identifier", "h")]),
        ("var x = 5mo", [("Duration", "5m"), ("Identifier", "o")]),
        ("var x = 10days", [("Duration", "10d"), ("Identifier", "ays")]),
        ("var x = 5ms", [("Duration", "5ms")]),
        ("var x = 01s", [("Duration", "01s")]),
        ("var x = 1µ", [("Duration", "1µ")]),
    ],
)
def test_6_durations_are_an_integer_and_one_unit(src: str, expected: list[tuple[str, str]]) -> None:
    decl, *rest = statements(src)
    got = [decl.value, *rest]  # type: ignore[attr-defined]
    assert [(type(n).__name__, getattr(n, "raw", getattr(n, "name", None))) for n in got] == (
        expected
    )


def test_6_duration_values() -> None:
    (decl,) = statements("var w = 2w")
    assert decl.value == Duration(8, 10, 8, 2 * 7 * 24 * 3600 * 10**9, "2w")  # type: ignore
    err = rejects("var x = 9999999999999999w")
    assert err.message == (
        "overflowed duration 9999999999999999w: choose a smaller duration or INF"
    )


@pytest.mark.parametrize(
    ("src", "value", "base"),
    [("0644", 0o644, 8), ("01", 1, 8), ("42", 42, 10), ("1.", 1.0, 0), (".5", 0.5, 0)],
)
def test_7_numbers_octal_and_floats(src: str, value: float, base: int) -> None:
    (decl,) = statements(f"var x = {src}")
    assert isinstance(decl, Declaration) and isinstance(decl.value, Number)
    assert (decl.value.value, decl.value.base) == (value, base)


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("var x = 08", 'illegal number syntax: "08"'),
        ("var x = 99999999999999999999", 'illegal number syntax: "99999999999999999999"'),
        ("var x = 1.2.3", "multiple decimals in number"),
    ],
)
def test_7_bad_numbers(src: str, message: str) -> None:
    assert rejects(src).message == message


def test_7_no_exponent_or_hex_or_sign() -> None:
    assert [type(n).__name__ for n in statements("var x = 1e3")] == ["Declaration", "Identifier"]
    assert [type(n).__name__ for n in statements("var x = 0x10")] == ["Declaration", "Identifier"]
    (decl,) = statements("var x = -1")
    assert isinstance(decl.value, Unary)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("src", "value"),
    [
        (r"'it\'s'", "it's"),
        (r"'a\nb'", r"a\nb"),
        (r"'a\\b'", r"a\\b"),
        ("''", ""),
        ("'''a 'quoted' \\' word'''", "a 'quoted' \\' word"),
        ("''''''", ""),
        ("'line\nbreak'", "line\nbreak"),
    ],
)
def test_8_strings_only_escape_a_quote(src: str, value: str) -> None:
    (decl,) = statements(f"var s = {src}")
    assert isinstance(decl, Declaration) and isinstance(decl.value, String)
    assert decl.value.value == value
    assert decl.value.raw == src


@pytest.mark.parametrize("src", [r"var s = 'a\\'", "var s = ''''", "var s = 'open"])
def test_8_unterminated_strings(src: str) -> None:
    assert rejects(src).message == "unterminated string"


def test_8_references_and_regexes_may_span_lines() -> None:
    (lam,) = statements('lambda: "multi\nline" =~ /a\nb/')
    assert isinstance(lam, Lambda) and isinstance(lam.expression, Binary)
    assert lam.expression.left.name == "multi\nline"  # type: ignore[attr-defined]
    assert rejects('var x = "open').message == "unterminated field reference"
    assert rejects("var x = /open").message == "unterminated regex"


def test_9_identifiers_start_with_a_letter_and_may_be_unicode() -> None:
    assert rejects("var _x = 1").message == "unknown state, last char: '_'"
    (decl,) = statements("var café_µ2 = 1")
    assert decl.name.name == "café_µ2"  # type: ignore[attr-defined]


def test_10_kapacitor_columns_are_bytes_tickmigs_are_characters() -> None:
    err = rejects("var µ = 1 &")
    assert err.column == 11  # characters; Kapacitor would say char 12 (µ is two bytes)


# --- 7.2 Grammar ----------------------------------------------------------------------------


def test_11_pipe_needs_a_call_dot_and_at_need_not() -> None:
    assert rejects("stream|from").message.startswith("unexpected end of input, expected '('")
    (chain,) = statements("x.measurement")
    assert isinstance(chain, Chain) and isinstance(chain.right, Identifier)
    (chain,) = statements("x@udf")
    assert isinstance(chain, Chain) and chain.op == "@"


def test_12_what_lists_and_lambda_calls_may_hold() -> None:
    assert "identifier" in rejects("var x = [1]").expected
    (lst,) = statements("['a', b, *,]")
    assert isinstance(lst, List) and [type(i) for i in lst.items] == [String, Identifier, Star]
    (top,) = statements("f(lambda: 1) + 2")
    assert isinstance(top, Binary) and isinstance(top.left, Call)
    rejects("1 + f(lambda: 1)")


def test_13_greedy_merging_across_lines() -> None:
    (decl,) = statements("var x = a\n-1")
    assert isinstance(decl.value, Binary) and decl.value.op == "-"  # type: ignore[attr-defined]
    (call,) = statements("x\n(1)")
    assert isinstance(call, Call) and call.name == "x"
    (decl,) = statements("var x = a\n.foo()")
    assert isinstance(decl.value, Chain)  # type: ignore[attr-defined]
    assert [type(s).__name__ for s in statements('a AND NOT "b"')] == ["Binary", "Reference"]
    assert len(statements("var x = 'a' 'b'")) == 2
    assert len(statements("1 2 3")) == 3


def test_14_old_dot_syntax_parses() -> None:
    (chain,) = statements("stream.from().where(lambda: TRUE)")
    assert isinstance(chain, Chain) and chain.op == "."
    (chain,) = statements("x.mapReduce(influxql.count('v'))")
    assert isinstance(chain, Chain)


def test_19_and_21_node_placement_is_not_the_parsers_business() -> None:
    assert statements("batch|window()") and statements("stream|query('x')")


def test_20_star_is_a_node() -> None:
    (call,) = statements("groupBy(*)")
    assert isinstance(call, Call) and isinstance(call.args[0], Star)


def test_22_parentheses_are_remembered_only_on_binary_nodes() -> None:
    (lam,) = statements('lambda: ("a" > 1) AND ("b")')
    assert isinstance(lam, Lambda) and isinstance(lam.expression, Binary)
    from tickmig.tickscript.ast_json import to_kapacitor

    dump = to_kapacitor(parse('lambda: ("a" > 1) AND ("b")'))["Nodes"][0]["Expression"]
    assert dump["Left"]["Parens"] is True
    assert dump["Right"]["node"] == "ReferenceNode"


def test_precedence_and_associativity() -> None:
    (decl,) = statements("var x = 1+2-3*4/5")
    value = decl.value  # type: ignore[attr-defined]
    # ((1+2) - ((3*4)/5))
    assert value.op == "-" and value.left.op == "+" and value.right.op == "/"
    assert value.right.left.op == "*"
    (lam,) = statements('lambda: "a" OR "b" AND "c" == 1 < 2 + 3 * -4')
    e = lam.expression  # type: ignore[attr-defined]
    assert [e.op, e.right.op, e.right.right.op, e.right.right.right.op] == ["OR", "AND", "==", "<"]
    assert e.right.right.right.right.op == "+"
    assert isinstance(e.right.right.right.right.right.right, Unary)


def test_comments_attach_as_kapacitor_attaches_them() -> None:
    script = parse("var x = 1 // one\nvar y = 2\n// trailing\n")
    first, second = script.statements
    assert first.comment is None  # type: ignore[attr-defined]
    assert second.comment.lines == ("one",)  # type: ignore[attr-defined]
    assert [c.lines for c in script.trailing_comments] == [("trailing",)]
    script = parse("//a\n//b\n\n// c\nvar x = 1")
    assert script.statements[0].comment.lines == ("a", "b", "\n", "c")  # type: ignore
    script = parse("f(1 // before the paren\n)")
    assert [c.lines for c in script.trailing_comments] == [("before the paren",)]
