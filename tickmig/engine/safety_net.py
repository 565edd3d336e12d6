"""The safety net after edits: the new text must parse, and its tree must equal the old tree
everywhere except at the edited nodes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from tickmig.diagnostics import Edit
from tickmig.errors import TickSyntaxError
from tickmig.text.edits import shift
from tickmig.tickscript.nodes import Node, Script
from tickmig.tickscript.parser import parse

# Comments are compared on their own (see check_edited_script): a comment inserted above a
# statement attaches to its first node, as in Kapacitor, without changing that node.
_POSITIONAL = frozenset(
    {"start", "end", "pos", "source", "tokens", "comments", "comment", "trailing_comments"}
)


def signature(node: Node) -> tuple[Any, ...]:
    """A node's kind and own values (names, literals, operators, flags, comment), without
    positions or children."""
    values: list[Any] = [type(node).__name__]
    for name in node.__dataclass_fields__:
        if name in _POSITIONAL:
            continue
        value = getattr(node, name)
        if isinstance(value, Node):
            continue
        if isinstance(value, tuple) and value and isinstance(value[0], Node):
            values.append(len(value))
            continue
        values.append((name, value))
    return tuple(values)


def classify(start: int, end: int, regions: Sequence[tuple[int, int]]) -> str:
    """ "untouched" (no region overlaps the node), "around" (the node strictly contains every
    region it meets), or "edited" (a region covers part or all of the node)."""
    status = "untouched"
    for r_start, r_end in regions:
        if r_start == r_end:  # an insertion or deletion point
            if start < r_start < end:
                status = "around"
            continue
        if end <= r_start or r_end <= start:
            continue
        if start < r_start and r_end < end:
            status = "around"
            continue
        return "edited"
    return status


def check_edited_script(old: Script, new_text: str, edits: Sequence[Edit]) -> str | None:
    """None when `new_text` parses and only the edited nodes changed; else why not.

    Every node the edits do not touch must be found again, with the same kind and values, at
    its shifted place; every node around an edit must be found again with the same kind and
    shifted span; nothing else may appear outside the edited text."""
    try:
        new = parse(new_text)
    except TickSyntaxError as exc:
        return f"the edited text does not parse: {exc.line}:{exc.column}: {exc.message}"
    regions = [(e.start, e.end) for e in edits]
    new_regions = []
    delta = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        new_regions.append((e.start + delta, e.start + delta + len(e.text)))
        delta += len(e.text) - (e.end - e.start)

    before: Counter[tuple[Any, ...]] = Counter()
    for node in old.walk():
        if isinstance(node, Script):
            continue
        status = classify(node.start, node.end, regions)
        key = (shift(node.start, edits), shift(node.end, edits, end=True))
        if status != "edited":
            entry = (*key, signature(node) if status == "untouched" else type(node).__name__)
            before[entry] += 1
    after: Counter[tuple[Any, ...]] = Counter()
    for node in new.walk():
        if isinstance(node, Script):
            continue
        status = classify(node.start, node.end, new_regions)
        if status == "untouched":
            after[(node.start, node.end, signature(node))] += 1
        elif status == "around":
            after[(node.start, node.end, type(node).__name__)] += 1
    if before != after:
        lost = sorted(map(str, (before - after).elements()))[:2]
        gained = sorted(map(str, (after - before).elements()))[:2]
        return f"the edit changed the tree outside the edited nodes (lost {lost}, gained {gained})"
    kept = Counter(
        (shift(start, edits), line)
        for start, end, line in _comment_lines(old.comments)
        if classify(start, end, regions) == "untouched"
    )
    still = Counter(
        (start, line)
        for start, end, line in _comment_lines(new.comments)
        if classify(start, end, new_regions) == "untouched"
    )
    if kept != still:
        return "the edit changed or moved a comment outside the edited text"
    return None


def _comment_lines(comments: Sequence[Any]) -> list[tuple[int, int, str]]:
    """Each line of each comment token with its span: Kapacitor's lexer reads consecutive
    comment lines as one token, so a comment inserted right above or below another one merges
    with it; the lines themselves must still be there, unchanged, at their shifted place."""
    out = []
    for comment in comments:
        offset = comment.start
        for line in comment.value.splitlines(keepends=True):
            text = line.rstrip("\r\n")
            out.append((offset, offset + len(text), text))
            offset += len(line)
    return out
