"""Builds the typed tree (tickmig.nodes) while Lark's LALR parser reduces: one method per
grammar rule or alias, named exactly after it.

Comments follow Kapacitor's parser: a comment group belongs to the next token, and the node
built from that token takes it only where Kapacitor's parser asks for it (consumeComment);
the others are dropped, except those still held by the last token at the end of input,
which become trailing comments of the program.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tickmig import literals
from tickmig.errors import TickSyntaxError
from tickmig.nodes import (
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
from tickmig.tokens import COMMA, Tok

# Kapacitor's operator precedence (tick/ast/parser.go); all binary operators are
# left-associative.
PRECEDENCE = {
    "OR": 0, "AND": 1, "==": 2, "!=": 2, "=~": 2, "!~": 2, ">": 3, ">=": 3, "<": 3, "<=": 3,
    "+": 4, "-": 4, "*": 5, "/": 5, "%": 5,
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
        group[0].start, group[-1].end, group[0].start,
        literals.comment_lines([t.value for t in group]),
    )


class Builder:
    """Lark transformer callbacks; `begin()` prepares one parse, the `start` callback ends it."""

    def __init__(self) -> None:
        self.text = ""
        self.tokens: list[Tok] = []
        self.trailing: list[Tok] = []
        self._closing: dict[int, Tok] = {}

    def begin(self, text: str) -> None:
        self.text = text
        self.tokens = []
        self.trailing = []
        self._closing = {}

    # --- errors -------------------------------------------------------------------------

    def _literal_error(self, tok: Tok, exc: ValueError) -> TickSyntaxError:
        return TickSyntaxError(str(exc), self.text, tok.start, found=tok.value)

    # --- statements ---------------------------------------------------------------------

    def start(self, statements: list[Node]) -> Script:
        trailing: list[Comment] = []
        if self.tokens:
            last = self.tokens[-1].comment
            if last is not None:
                trailing.append(make_comment(last))
        if self.trailing:
            trailing.append(make_comment(self.trailing))
        return Script(
            0, len(self.text), 0, tuple(statements), tuple(trailing), self.text,
            tuple(self.tokens),
        )

    def declaration(self, c: list[Any]) -> Declaration:
        var, ident, _asgn, value = c
        name = Identifier(ident.start, ident.end, ident.start, ident.value,
                          comment=take_comment(ident))
        return Declaration(var.start, value.end, var.start, name, value,
                           comment=take_comment(var))

    def type_declaration(self, c: list[Tok]) -> TypeDeclaration:
        var, ident, type_ident = c
        name = Identifier(ident.start, ident.end, ident.start, ident.value,
                          comment=take_comment(ident))
        type_ = Identifier(type_ident.start, type_ident.end, type_ident.start,
                           type_ident.value, comment=take_comment(type_ident))
        return TypeDeclaration(var.start, type_ident.end, var.start, name, type_,
                               comment=take_comment(var))

    def dbrp(self, c: list[Tok]) -> DBRP:
        kw, db, _dot, rp = c
        return DBRP(kw.start, rp.end, kw.start, self.reference([db]), self.reference([rp]),
                    comment=take_comment(kw))

    # --- chains and calls ---------------------------------------------------------------

    def chain(self, c: list[Any]) -> Node:
        head = c[0]
        node: Node = self.identifier([head]) if isinstance(head, Tok) else head
        for op, right in c[1:]:
            node = Chain(node.start, right.end, op.start, node, op.value, right,
                         comment=take_comment(op))
        return node

    def link_call(self, c: list[Any]) -> tuple[Tok, Call]:
        return c[0], self._call(_LINK_KIND[c[0].value], c[1:], take=True)

    def link_ident(self, c: list[Tok]) -> tuple[Tok, Identifier]:
        return c[0], self.identifier([c[1]])

    def top_call(self, c: list[Any]) -> Call:
        return self._call("global", c, take=True)

    def lambda_call(self, c: list[Any]) -> Call:
        call = self._call("global", c, take=False)
        self._closing[call.end] = c[-1]
        return call

    def _call(self, kind: CallKind, c: list[Any], *, take: bool) -> Call:
        name, rpar = c[0], c[-1]
        args = tuple(a for a in c[2:-1] if not (isinstance(a, Tok) and a.type == COMMA))
        multiline = bool(args) and "\n" in self.text[name.start : args[-1].pos]
        return Call(name.start, rpar.end, name.start, kind, name.value, args, multiline,
                    comment=take_comment(name) if take else None)

    # --- lambdas, lists, expressions ----------------------------------------------------

    def lambda_expr(self, c: list[Any]) -> Lambda:
        kw, expression = c
        return Lambda(kw.start, expression.end, kw.start, expression, comment=take_comment(kw))

    def string_list(self, c: list[Any]) -> List:
        lsqb, rsqb = c[0], c[-1]
        items = tuple(i for i in c[1:-1] if not (isinstance(i, Tok) and i.type == COMMA))
        return List(lsqb.start, rsqb.end, lsqb.start, items, comment=take_comment(lsqb))

    def binary(self, c: list[Any]) -> Node:
        """Kapacitor's precedence climbing over the flat `operand (op operand)*` list."""
        text = self.text
        index = 1

        def climb(lhs: Node, min_prec: int) -> Node:
            nonlocal index
            while index < len(c) and PRECEDENCE[c[index].value] >= min_prec:
                op = c[index]
                prec = PRECEDENCE[op.value]
                rhs = c[index + 1]
                index += 2
                while index < len(c) and PRECEDENCE[c[index].value] > prec:
                    rhs = climb(rhs, PRECEDENCE[c[index].value])
                lhs = Binary(lhs.start, rhs.end, op.start, op.value, lhs, rhs, False,
                             "\n" in text[lhs.pos : rhs.pos], comment=take_comment(op))
            return lhs

        return climb(c[0], 0)

    def unary(self, c: list[Any]) -> Unary:
        op, operand = c
        # Kapacitor asks for the unary's comment after parsing its operand: it gets the one
        # before the operand's closing parenthesis, if that is still unclaimed.
        closing = self._closing.get(operand.end)
        comment = take_comment(closing) if closing is not None else None
        return Unary(op.start, operand.end, op.start, op.value, operand, comment=comment)

    def paren(self, c: list[Any]) -> Node:
        lpar, inner, rpar = c
        # Kapacitor keeps only the Parens flag of a binary node, and gives the inner node the
        # comment before `(` (replacing its own, even with none).
        comment = take_comment(lpar)
        core = inner
        while isinstance(core, Paren):
            core = core.expression
        if isinstance(core, Binary):
            core = replace(core, parens=True, comment=comment)
        else:
            core = replace(core, comment=comment)  # type: ignore[call-arg]
        node = Paren(lpar.start, rpar.end, core.pos, _rewrap(inner, core))
        self._closing[rpar.end] = rpar
        return node

    # --- leaves -------------------------------------------------------------------------

    def identifier(self, c: list[Tok]) -> Identifier:
        t = c[0]
        return Identifier(t.start, t.end, t.start, t.value, comment=take_comment(t))

    def reference(self, c: list[Tok]) -> Reference:
        t = c[0]
        return Reference(t.start, t.end, t.start, literals.reference_value(t.value), t.value,
                         comment=take_comment(t))

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
    if isinstance(node, Paren):
        return replace(node, expression=_rewrap(node.expression, core))
    return core


