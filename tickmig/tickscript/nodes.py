"""The TICKscript tree: one frozen dataclass per Kapacitor AST node kind.

Every node has `start`/`end` (0-based character offsets, end-exclusive, covering the node's
first to last token), `pos` (the offset of the token Kapacitor positions the node at: the
operator of a chain or binary node, the name of a call, `var`, `dbrp`, `lambda:`, `[`, or
the literal itself) and `comment` (the comment Kapacitor attaches to it, or None).

Mapping to Kapacitor's `tick/ast` type names (see KAPACITOR_NAMES):
Script=ProgramNode, Declaration=DeclarationNode, TypeDeclaration=TypeDeclarationNode,
DBRP=DBRPNode, Chain=ChainNode, Call=FunctionNode, Identifier=IdentifierNode,
Reference=ReferenceNode, String=StringNode, Number=NumberNode, Duration=DurationNode,
Bool=BoolNode, Regex=RegexNode, Star=StarNode, List=ListNode, Lambda=LambdaNode,
Unary=UnaryNode, Binary=BinaryNode, Comment=CommentNode.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    from tickmig.tickscript.tokens import Tok

_T = TypeVar("_T")

if TYPE_CHECKING:

    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def node(cls: type[_T]) -> type[_T]:
        """Declare a tree node class: a slotted dataclass, frozen for the type checker."""

else:

    def node(cls: type[_T]) -> type[_T]:
        """Declare a tree node class: a slotted dataclass, frozen for the type checker.

        Immutability is checked by mypy (the class is declared frozen to it) rather than at run
        time: a run-time frozen dataclass is three times slower to build, and building nodes is
        most of the parser's time.
        """
        return dataclass(slots=True)(cls)


CallKind = Literal["global", "chain", "property", "dynamic"]


@node
class Comment:
    """A group of comment lines, normalised as Kapacitor does ("\\n" separates blocks)."""

    start: int
    end: int
    pos: int
    lines: tuple[str, ...]


@node
class Node:
    start: int
    end: int
    pos: int

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in source order (pre-order)."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))


@node
class Identifier(Node):
    name: str
    comment: Comment | None = field(default=None, kw_only=True)


@node
class Reference(Node):
    """A double-quoted field/tag reference (or a dbrp name); `name` is unescaped."""

    name: str
    raw: str
    comment: Comment | None = field(default=None, kw_only=True)


@node
class String(Node):
    value: str
    raw: str
    triple: bool
    comment: Comment | None = field(default=None, kw_only=True)


@node
class Number(Node):
    """An int (`base` 10, or 8 for a leading zero) or a float (`base` 0)."""

    value: int | float
    raw: str
    base: int
    comment: Comment | None = field(default=None, kw_only=True)

    @property
    def is_int(self) -> bool:
        return isinstance(self.value, int)


@node
class Duration(Node):
    nanoseconds: int
    raw: str
    comment: Comment | None = field(default=None, kw_only=True)


@node
class Bool(Node):
    value: bool
    comment: Comment | None = field(default=None, kw_only=True)

    @property
    def raw(self) -> str:
        return "TRUE" if self.value else "FALSE"


@node
class Regex(Node):
    """`/.../`; `literal` is the text between the slashes as written (with `\\/`)."""

    literal: str
    comment: Comment | None = field(default=None, kw_only=True)

    @property
    def raw(self) -> str:
        return f"/{self.literal}/"

    @property
    def pattern(self) -> str:
        """The pattern handed to the regexp engine: `\\/` turned into `/`."""
        return self.literal.replace("\\/", "/")


@node
class Star(Node):
    comment: Comment | None = field(default=None, kw_only=True)

    @property
    def raw(self) -> str:
        return "*"


@node
class List(Node):
    items: tuple[Node, ...]
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return self.items


@node
class Lambda(Node):
    expression: Node
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return (self.expression,)


@node
class Paren(Node):
    """`( expression )`. Kapacitor drops the parentheses (keeping only `Binary.parens`) and
    gives the inner node the comment before `(`; tickmig keeps them so that the tree covers
    every token of the text."""

    expression: Node

    def children(self) -> tuple[Node, ...]:
        return (self.expression,)


@node
class Unary(Node):
    op: str
    operand: Node
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@node
class Binary(Node):
    op: str
    left: Node
    right: Node
    parens: bool
    multiline: bool
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@node
class Call(Node):
    """A function call: `name(args)`; `kind` says which: global f(), |chain(), .property(),
    @dynamic()."""

    kind: CallKind
    name: str
    args: tuple[Node, ...]
    multiline: bool
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return self.args


@node
class Chain(Node):
    """One link `left op right` (op is `|`, `.` or `@`); chains nest to the left."""

    left: Node
    op: str
    right: Node
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@node
class Declaration(Node):
    name: Identifier
    value: Node
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return (self.name, self.value)


@node
class TypeDeclaration(Node):
    """`var name type`: a template variable without a default value."""

    name: Identifier
    type: Identifier
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return (self.name, self.type)


@node
class DBRP(Node):
    db: Reference
    rp: Reference
    comment: Comment | None = field(default=None, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return (self.db, self.rp)


@node
class Script(Node):
    """A whole TICKscript: its statements, the comments after the last one, and its text."""

    statements: tuple[Node, ...]
    trailing_comments: tuple[Comment, ...]
    source: str = field(repr=False, compare=False)
    tokens: tuple[Tok, ...] = field(repr=False, compare=False)
    #: Every comment token of the text (attached to a node or not), in order.
    comments: tuple[Tok, ...] = field(repr=False, compare=False, default=())

    def children(self) -> tuple[Node, ...]:
        return self.statements


LEAVES = (Identifier, Reference, String, Number, Duration, Bool, Regex, Star)

KAPACITOR_NAMES: dict[type[Node], str] = {
    Script: "ProgramNode",
    Declaration: "DeclarationNode",
    TypeDeclaration: "TypeDeclarationNode",
    DBRP: "DBRPNode",
    Chain: "ChainNode",
    Call: "FunctionNode",
    Identifier: "IdentifierNode",
    Reference: "ReferenceNode",
    String: "StringNode",
    Number: "NumberNode",
    Duration: "DurationNode",
    Bool: "BoolNode",
    Regex: "RegexNode",
    Star: "StarNode",
    List: "ListNode",
    Lambda: "LambdaNode",
    Unary: "UnaryNode",
    Binary: "BinaryNode",
}


def leaf_text(node: Node) -> str:
    """The source text of a leaf node, rebuilt from its fields alone."""
    match node:
        case Identifier(name=name):
            return name
        case Reference() | String() | Number() | Duration() | Bool() | Regex() | Star():
            return node.raw
    raise AssertionError(f"unreachable: {type(node).__name__} is not a leaf")
