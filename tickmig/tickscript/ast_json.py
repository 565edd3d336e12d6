"""The tree as JSON: tickmig's own shape (`tickmig parse --ast`) and Kapacitor's AST shape
(`tickmig parse --ast --ast-format kapacitor`, the form of ORACLE_AST.jsonl)."""

from __future__ import annotations

from typing import Any

from tickmig.text.spans import LineIndex
from tickmig.tickscript.nodes import (
    DBRP,
    KAPACITOR_NAMES,
    Binary,
    Bool,
    Call,
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

#: `comments` holds the raw comment tokens; the tree carries them as `comment` and
#: `trailing_comments` already.
_SKIP = frozenset({"start", "end", "pos", "comment", "comments", "source", "tokens"})


def to_json(script: Script) -> dict[str, Any]:
    """tickmig's tree: every node with its kind, span, 1-based line/column and fields."""
    index = LineIndex(script.source)

    def comment(c: Comment | None) -> list[str] | None:
        return list(c.lines) if c is not None else None

    def convert(node: Node) -> dict[str, Any]:
        line, column = index.line_column(node.start)
        out: dict[str, Any] = {
            "node": type(node).__name__,
            "span": [node.start, node.end],
            "line": line,
            "column": column,
        }
        for name in node.__dataclass_fields__:
            if name in _SKIP:
                continue
            value = getattr(node, name)
            if isinstance(value, Node):
                out[name] = convert(value)
            elif isinstance(value, tuple):
                out[name] = [convert(v) if isinstance(v, Node) else comment(v) for v in value]
            else:
                out[name] = value
        if hasattr(node, "comment"):
            out["comment"] = comment(node.comment)
        return out

    return convert(script)


def to_kapacitor(script: Script) -> dict[str, Any]:
    """The tree in the shape of Kapacitor's AST JSON dump (Go type names, byte positions).

    Parentheses vanish as in Kapacitor; the node positions are Kapacitor's (`pos`)."""
    index = LineIndex(script.source)

    def position(pos: int) -> dict[str, Any]:
        line, _ = index.line_column(pos)
        line_start = index.offset(line, 1)
        return {
            "pos": index.byte_offset(pos),
            "line": line,
            "char": index.byte_offset(pos) - index.byte_offset(line_start) + 1,
        }

    def comment(c: Comment | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {"node": "CommentNode", "Comments": list(c.lines), **position(c.pos)}

    def convert(node: Node) -> dict[str, Any]:
        while isinstance(node, Paren):
            node = node.expression
        out: dict[str, Any] = {"node": KAPACITOR_NAMES[type(node)], **position(node.pos)}
        match node:
            case Script():
                nodes: list[dict[str, Any] | None] = [convert(s) for s in node.statements]
                nodes += [comment(c) for c in node.trailing_comments]
                # Kapacitor appends to a nil slice: an empty program's Nodes is null
                shown = nodes or None
                return {"node": "ProgramNode", "Nodes": shown, "pos": 0, "line": 1, "char": 1}
            case Declaration(name=name, value=value):
                out |= {"Left": convert(name), "Right": convert(value)}
            case TypeDeclaration(name=name, type=type_):
                out |= {"Node": convert(name), "Type": convert(type_)}
            case DBRP(db=db, rp=rp):
                out |= {"DB": convert(db), "RP": convert(rp)}
            case Chain(left=left, op=op, right=right):
                out |= {"Left": convert(left), "Operator": op, "Right": convert(right)}
            case Call(kind=kind, name=name, args=args, multiline=multiline):
                out |= {
                    "Type": kind,
                    "Func": name,
                    "MultiLine": multiline,
                    "Args": [convert(a) for a in args] or None,
                }
            case Identifier(name=name):
                out["Ident"] = name
            case Reference(name=name):
                out["Reference"] = name
            case String(value=value, triple=triple):
                out |= {"Literal": value, "TripleQuotes": triple}
            case Number(value=value, base=base):
                is_int = isinstance(value, int)
                out |= {
                    "IsInt": is_int,
                    "IsFloat": not is_int,
                    "Int64": value if is_int else 0,
                    "Float64": 0 if is_int else value,
                    "Base": base,
                }
            case Duration(nanoseconds=ns, raw=raw):
                out |= {"Dur": go_duration(ns), "Literal": raw}
            case Bool(value=value):
                out["Bool"] = value
            case Regex(literal=literal, pattern=pattern):
                out |= {"Literal": literal, "Regex": pattern}
            case Star():
                pass
            case List(items=items):
                out["Nodes"] = [convert(i) for i in items]
            case Lambda(expression=expression):
                out["Expression"] = convert(expression)
            case Unary(op=op, operand=operand):
                out |= {"Operator": op, "Node": convert(operand)}
            case Binary(op=op, left=left, right=right, parens=parens, multiline=multiline):
                out |= {
                    "Operator": op,
                    "Left": convert(left),
                    "Right": convert(right),
                    "Parens": parens,
                    "MultiLine": multiline,
                }
        out["Comment"] = comment(getattr(node, "comment", None))
        return out

    return convert(script)


def go_duration(ns: int) -> str:
    """Go's time.Duration.String(), as Kapacitor's AST dump prints durations."""
    if ns == 0:
        return "0s"
    sign, u = ("-", -ns) if ns < 0 else ("", ns)

    def frac(value: int, prec: int) -> tuple[str, int]:
        digits = str(value % 10**prec).rjust(prec, "0").rstrip("0") if prec else ""
        return ("." + digits if digits else ""), value // 10**prec

    if u < 1_000_000_000:
        unit, prec = ("ns", 0) if u < 1_000 else ("µs", 3) if u < 1_000_000 else ("ms", 6)
        fraction, whole = frac(u, prec)
        return f"{sign}{whole}{fraction}{unit}"
    fraction, seconds = frac(u, 9)
    text = f"{seconds % 60}{fraction}s"
    minutes = seconds // 60
    if minutes:
        text = f"{minutes % 60}m{text}"
        hours = minutes // 60
        if hours:
            text = f"{hours}h{text}"
    return sign + text
