"""Builds the typed tree (tickmig.tickscript.nodes) while Lark's LALR parser reduces: one method per
grammar rule or alias, named exactly after it.

Comments follow Kapacitor's parser: a comment group belongs to the next token, and the node
built from that token takes it only where Kapacitor's parser asks for it (consumeComment);
the others are dropped, except those still held by the last token at the end of input,
which become trailing comments of the program.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tickmig.errors import TickSyntaxError
from tickmig.tickscript import literals
from tickmig.tickscript.nodes import (
    DBRP,
    Binary,
    Bool,
    Call,
    CallKind,
    Chain,
    Comment,
    Declaration,
    Duration,
    Identifier,
    Lambda,
    List,
    Node,
    Number,
    Paren,
    Reference,
    Regex,
    Script,
    Star,
    String,
    TypeDeclaration,
    Unary,
)
from tickmig.tickscript.tokens import Tok

# Kapacitor's operator precedence (tick/ast/parser.go); all binary operators are
# left-associative.
PRECEDENCE = {
    "OR": 0,
    "AND": 1,
    "==": 2,
    "!=": 2,
    "=~": 2,
    "!~": 2,
    ">": 3,
    ">=": 3,
    "<": 3,
    "<=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "/": 5,
    "%": 5,
}
_LINK_KIND: dict[str, CallKind] = {"|": "chain", ".": "property", "@": "dynamic"}


def take_comment(tok: Tok) -> Comment | None:
    """The comment held by `tok`, which from now on holds none (Kapacitor's consumeComment)."""
    group = tok.comment
    if group is None:
        return None
    tok.comment = None
    return make_comment(group)


def make_comment(group: list[Tok]) -> Comment:
    return Comment(
        group[0].start,
        group[-1].end,
        group[0].start,
        literals.comment_lines([t.value for t in group]),
    )


class Builder:
    """Lark transformer callbacks; `begin()` prepares one parse, the `start` callback ends it."""

    def __init__(self) -> None:
        self.text = ""
        self.tokens: list[Tok] = []
        self.trailing: list[Tok] = []
        self.comments: list[Tok] = []
        self._closing: dict[int, Tok] = {}
        self._core: dict[int, Node] = {}

    def begin(self, text: str, tokens: list[Tok], trailing: list[Tok], comments: list[Tok]) -> None:
        self.text = text
        self.tokens = tokens
        self.trailing = trailing
        self.comments = comments
        self._closing = {}
        self._core = {}

    # --- errors -------------------------------------------------------------------------

    def _literal_error(self, tok: Tok, exc: ValueError) -> TickSyntaxError:
        return TickSyntaxError(str(exc), self.text, tok.start, found=tok.value)

    # --- statements ---------------------------------------------------------------------

    def start(self, c: list[Any]) -> Script:
        statements = c[0] if c else []
        trailing: list[Comment] = []
        if self.tokens:
            last = self.tokens[-1].comment
            if last is not None:
                trailing.append(make_comment(last))
        if self.trailing:
            trailing.append(make_comment(self.trailing))
        return Script(
            0,
            len(self.text),
            0,
            tuple(statements),
            tuple(trailing),
            self.text,
            tuple(self.tokens),
            tuple(self.comments),
        )

    def statements(self, c: list[Any]) -> list[Node]:
        if len(c) == 1:
            return [c[0]]
        c[0].append(c[1])
        return c[0]  # type: ignore[no-any-return]

    def declaration(self, c: list[Any]) -> Declaration:
        var, ident, _asgn, value = c
        name = Identifier(
            ident.start, ident.end, ident.start, ident.value, comment=take_comment(ident)
        )
        return Declaration(var.start, value.end, var.start, name, value, comment=take_comment(var))

    def type_declaration(self, c: list[Tok]) -> TypeDeclaration:
        var, ident, type_ident = c
        name = Identifier(
            ident.start, ident.end, ident.start, ident.value, comment=take_comment(ident)
        )
        type_ = Identifier(
            type_ident.start,
            type_ident.end,
            type_ident.start,
            type_ident.value,
            comment=take_comment(type_ident),
        )
        return TypeDeclaration(
            var.start, type_ident.end, var.start, name, type_, comment=take_comment(var)
        )

    def dbrp(self, c: list[Tok]) -> DBRP:
        kw, db, _dot, rp = c
        return DBRP(
            kw.start,
            rp.end,
            kw.start,
            self.reference([db]),
            self.reference([rp]),
            comment=take_comment(kw),
        )

    # --- chains and calls ---------------------------------------------------------------

    def chain_call(self, c: list[Any]) -> Chain:
        left, op, name, (args, rpar) = c
        right = self._call(_LINK_KIND[op.value], name, args, rpar, take=True)
        return Chain(
            left.start, rpar.end, op.start, left, op.value, right, comment=take_comment(op)
        )

    def chain_ident(self, c: list[Any]) -> Chain:
        left, op, name = c
        right = self.identifier([name])
        return Chain(
            left.start, name.end, op.start, left, op.value, right, comment=take_comment(op)
        )

    def top_call(self, c: list[Any]) -> Call:
        name, (args, rpar) = c
        return self._call("global", name, args, rpar, take=True)

    def arguments(self, c: list[Any]) -> tuple[tuple[Node, ...], Tok]:
        return (tuple(c[1]) if len(c) > 2 else ()), c[-1]

    def argument_list(self, c: list[Any]) -> list[Node]:
        if len(c) == 1:
            return [c[0]]
        c[0].append(c[2])
        return c[0]  # type: ignore[no-any-return]

    items = lambda_arguments = argument_list

    def lambda_call(self, c: list[Any]) -> Call:
        name, rpar = c[0], c[-1]
        args = tuple(c[2]) if len(c) > 3 else ()
        call = self._call("global", name, args, rpar, take=False)
        self._closing[rpar.end] = rpar
        return call

    def _call(
        self, kind: CallKind, name: Tok, args: tuple[Node, ...], rpar: Tok, *, take: bool
    ) -> Call:
        multiline = bool(args) and "\n" in self.text[name.start : args[-1].pos]
        return Call(
            name.start,
            rpar.end,
            name.start,
            kind,
            name.value,
            args,
            multiline,
            comment=take_comment(name) if take else None,
        )

    # --- lambdas, lists, expressions ----------------------------------------------------

    def lambda_expr(self, c: list[Any]) -> Lambda:
        kw, expression = c
        return Lambda(kw.start, expression.end, kw.start, expression, comment=take_comment(kw))

    def string_list(self, c: list[Any]) -> List:
        lsqb, rsqb = c[0], c[-1]
        items = tuple(c[1]) if len(c) > 2 else ()
        return List(lsqb.start, rsqb.end, lsqb.start, items, comment=take_comment(lsqb))

    def operations(self, c: list[Any]) -> list[Any]:
        if isinstance(c[0], list):
            c[0].append(c[1])
            c[0].append(c[2])
            return c[0]
        return c

    top_operations = operations

    def binary(self, c: list[Any]) -> Node:
        """Kapacitor's precedence climbing over the flat `operand (op operand)*` list."""
        flat = c[0]
        text = self.text
        index = 1
        size = len(flat)

        def climb(lhs: Node, min_prec: int) -> Node:
            nonlocal index
            while index < size and PRECEDENCE[flat[index].value] >= min_prec:
                op = flat[index]
                prec = PRECEDENCE[op.value]
                rhs = flat[index + 1]
                index += 2
                while index < size and PRECEDENCE[flat[index].value] > prec:
                    rhs = climb(rhs, PRECEDENCE[flat[index].value])
                lhs = Binary(
                    lhs.start,
                    rhs.end,
                    op.start,
                    op.value,
                    lhs,
                    rhs,
                    False,
                    "\n" in text[lhs.pos : rhs.pos],
                    comment=take_comment(op),
                )
            return lhs

        return climb(flat[0], 0)

    def unary(self, c: list[Any]) -> Unary:
        op, operand = c
        # Kapacitor asks for the unary's comment after parsing its operand: it gets the one
        # before the operand's closing parenthesis, if that is still unclaimed.
        closing = self._closing.get(operand.end)
        comment = take_comment(closing) if closing is not None else None
        return Unary(op.start, operand.end, op.start, op.value, operand, comment=comment)

    def paren(self, c: list[Any]) -> Node:
        lpar, inner, rpar = c
        self._closing[rpar.end] = rpar
        # Kapacitor keeps only the Parens flag of a binary node, and gives the inner node the
        # comment before `(` (replacing its own, even with none).
        comment = take_comment(lpar)
        core = self._core.get(id(inner), inner)
        unchanged = core.comment is comment and (not isinstance(core, Binary) or core.parens)
        if not unchanged:
            if isinstance(core, Binary):
                core = replace(core, parens=True, comment=comment)
            else:
                core = replace(core, comment=comment)
            inner = _rewrap(inner, core)
        node = Paren(lpar.start, rpar.end, core.pos, inner)
        self._core[id(node)] = core
        return node

    # --- leaves -------------------------------------------------------------------------

    def identifier(self, c: list[Tok]) -> Identifier:
        t = c[0]
        return Identifier(t.start, t.end, t.start, t.value, comment=take_comment(t))

    def reference(self, c: list[Tok]) -> Reference:
        t = c[0]
        return Reference(
            t.start,
            t.end,
            t.start,
            literals.reference_value(t.value),
            t.value,
            comment=take_comment(t),
        )

    def string(self, c: list[Tok]) -> String:
        t = c[0]
        value, triple = literals.string_value(t.value)
        return String(t.start, t.end, t.start, value, t.value, triple, comment=take_comment(t))

    def number(self, c: list[Tok]) -> Number:
        t = c[0]
        try:
            value, base = literals.number_value(t.value)
        except ValueError as exc:
            raise self._literal_error(t, exc) from None
        return Number(t.start, t.end, t.start, value, t.value, base, comment=take_comment(t))

    def duration(self, c: list[Tok]) -> Duration:
        t = c[0]
        try:
            nanoseconds = literals.duration_value(t.value)
        except ValueError as exc:
            raise self._literal_error(t, exc) from None
        return Duration(t.start, t.end, t.start, nanoseconds, t.value, comment=take_comment(t))

    def regex(self, c: list[Tok]) -> Regex:
        t = c[0]
        try:
            literals.check_regex(t.value[1:-1])
        except ValueError as exc:
            raise self._literal_error(t, exc) from None
        return Regex(t.start, t.end, t.start, t.value[1:-1], comment=take_comment(t))

    def boolean(self, c: list[Tok]) -> Bool:
        t = c[0]
        return Bool(t.start, t.end, t.start, t.value == "TRUE", comment=take_comment(t))

    def star(self, c: list[Tok]) -> Star:
        t = c[0]
        return Star(t.start, t.end, t.start, comment=take_comment(t))


def _rewrap(node: Node, core: Node) -> Node:
    """`node` (nested parentheses around some core) with its core replaced by `core`."""
    layers: list[Paren] = []
    while isinstance(node, Paren):
        layers.append(node)
        node = node.expression
    for layer in reversed(layers):
        core = replace(layer, expression=core)
    return core
