"""Property-based tests: generated scripts parse and print back exactly; random edits of real
scripts never raise anything but tickmig's own syntax error, with a position in the text."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_oracle, corpus_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickmig.errors import TickSyntaxError
from tickmig.tickscript.ast_json import to_kapacitor
from tickmig.tickscript.parser import parse
from tickmig.tickscript.unparse import span_errors, unparse

# --- a generator of valid TICKscript -----------------------------------------------------

KEYWORDS = {"var", "dbrp", "TRUE", "FALSE", "AND", "OR", "lambda"}
names = st.from_regex(r"[A-Za-zé][A-Za-z0-9_µ]{0,8}", fullmatch=True).filter(
    lambda s: s not in KEYWORDS
)
space = st.sampled_from([" ", "", "\n", "\n    ", "\t", "  ", " // note\n", "\r\n"])
must_space = st.sampled_from([" ", "\n", "\t", " // c\n "])
strings = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).map(
    lambda s: "'" + s.rstrip("\\").replace("'", "\\'") + "'"
)
triple = (
    st.text(st.sampled_from("ab '\n\"x"), max_size=10)
    .filter(lambda s: "''" not in s and not s.endswith("'"))
    .map(lambda s: "'''" + s + "'''")
)
references = st.text(st.sampled_from('ab c_."\\'), max_size=8).map(
    lambda s: '"' + s.replace("\\", "").replace('"', '\\"') + '"'
)
numbers = st.one_of(
    st.integers(0, 10**12).map(str),
    st.floats(0, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["0644", ".5", "1."]),
)
durations = st.tuples(
    st.integers(0, 999), st.sampled_from(["u", "µ", "ms", "s", "m", "h", "d", "w"])
).map(lambda t: f"{t[0]}{t[1]}")
regexes = st.sampled_from(["/cpu.*/", r"/^\/root\//", "/a|b/", "/[0-9]+/"])
literals = st.one_of(
    strings, triple, references, numbers, durations, regexes, st.sampled_from(["TRUE", "FALSE"])
)
operators = st.sampled_from(
    ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "AND", "OR"]
)


def lambda_expr(depth: int = 2) -> st.SearchStrategy[str]:
    # No regex or `*` as an operand: after `lambda:`, AND and OR Kapacitor's lexer reads `/`
    # as a division and `*` as a multiplication; a regex goes right after =~ or !~.
    atom = st.one_of(
        literals.filter(lambda s: not s.startswith("/")),
        names,
        st.sampled_from(['"value"', '"host"']),
        # after a regex the lexer expects an operand, so the match goes in parentheses
        st.tuples(references, st.sampled_from(["=~", "!~"]), regexes).map(
            lambda t: "(" + " ".join(t) + ")"
        ),
    )
    if depth == 0:
        return atom
    inner = lambda_expr(depth - 1)
    return st.one_of(
        atom,
        st.tuples(inner, operators, inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"-{e}"),
        st.tuples(names, st.lists(inner, max_size=2)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    )


arguments = st.one_of(
    literals,
    lambda_expr(1).map(lambda e: "lambda: " + e),
    st.lists(st.one_of(names, strings, st.just("*")), max_size=3).map(
        lambda items: "[" + ", ".join(items) + "]"
    ),
)


@st.composite
def chains(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["stream", "batch", "data"]))
    parts = [head]
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["|", ".", "@"]))
        args = draw(st.lists(arguments, max_size=3))
        trailing = draw(st.sampled_from(["", ","])) if args else ""
        parts.append(draw(space) + op + draw(names) + "(" + ", ".join(args) + trailing + ")")
    return "".join(parts)


@st.composite
def scripts(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            out.append(f"var {draw(names)} = {draw(st.one_of(literals, chains()))}")
        elif kind == 1:
            out.append(f"dbrp {draw(references)}.{draw(references)}")
        elif kind == 2:
            out.append(f"var {draw(names)} {draw(st.sampled_from(['string', 'int', 'lambda']))}")
        else:
            out.append(draw(chains()))
        out.append(draw(must_space))
    return "".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_generated_scripts_round_trip(text: str) -> None:
    script = parse(text)
    assert unparse(script) == text
    assert span_errors(script) == []
    to_kapacitor(script)


# --- random edits of real scripts --------------------------------------------------------

ACCEPTED = [row["file"] for row in corpus_oracle() if row["ok"]]
edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.integers(0, 3),
        st.sampled_from([*"()[]|.@,'\"/*-!=<>~ \n\tabc01µ_&;:{}%\\", "//", "'''", "lambda:"]),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ACCEPTED or ["-"]), edits)
def test_random_edits_raise_only_syntax_errors(
    corpus_dir: Path, name: str, changes: list[tuple[float, int, str]]
) -> None:
    """Needs the shared corpus: the `corpus_dir` fixture skips (or, in CI, fails) without it."""
    text = corpus_text(name)
    for where, action, piece in changes:
        i = int(where * len(text))
        if action == 0:
            text = text[:i] + piece + text[i:]
        elif action == 1:
            text = text[:i] + text[i + len(piece) :]
        else:
            text = text[:i] + piece + text[i + 1 :]
    try:
        script = parse(text)
    except TickSyntaxError as exc:
        assert 1 <= exc.line <= text.count("\n") + 1
        assert 1 <= exc.column <= len(text.split("\n")[exc.line - 1]) + 1
        assert 0 <= exc.offset <= len(text)
        assert exc.render()
    else:
        assert unparse(script) == text
        assert span_errors(script) == []
