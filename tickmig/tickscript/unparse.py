"""Printing a tree back as the exact text it was parsed from (no formatting: see formatter)."""

from __future__ import annotations

from tickmig.tickscript.nodes import LEAVES, Call, Node, Script, leaf_text


def unparse(script: Script) -> str:
    """The script's text rebuilt from its tree: every leaf and every call name prints its own
    text (as recorded in the node), and between them comes the text the tree holds there:
    whitespace, comments, and the punctuation and keywords of the nodes around them."""
    source = script.source
    parts: list[str] = []
    cursor = 0
    for node in script.walk():
        if isinstance(node, LEAVES):
            parts.append(source[cursor : node.start])
            parts.append(leaf_text(node))
            cursor = node.end
        elif isinstance(node, Call):
            parts.append(source[cursor : node.start])
            parts.append(node.name)
            cursor = node.start + len(node.name)
    parts.append(source[cursor:])
    return "".join(parts)


def span_errors(script: Script) -> list[str]:
    """Structural checks of a tree against its text, as messages (empty when sound): every
    child lies inside its parent, after its previous sibling; every leaf's text is the source
    text at its span; every value token (name, literal, reference) belongs to a leaf or is
    the name of a call."""
    problems: list[str] = []
    source = script.source
    leaf_starts: set[int] = set()
    stack: list[Node] = [script]
    while stack:
        node = stack.pop()
        if isinstance(node, Call):
            leaf_starts.add(node.start)
            if not source.startswith(node.name, node.start):
                problems.append(f"call {node.name!r} at {node.start} does not match its text")
        if isinstance(node, LEAVES):
            leaf_starts.add(node.start)
            if source[node.start : node.end] != leaf_text(node):
                problems.append(f"{type(node).__name__} at {node.start} does not match its text")
        cursor = node.start
        for child in node.children():
            if child.start < cursor or child.end > node.end:
                problems.append(
                    f"{type(child).__name__} {child.start}-{child.end} is outside or before "
                    f"its place in {type(node).__name__} {node.start}-{node.end}"
                )
            cursor = child.end
            stack.append(child)
    value_kinds = {
        "IDENT",
        "NUMBER",
        "STRING",
        "DURATION",
        "REFERENCE",
        "REGEX",
        "TRUE",
        "FALSE",
        "STAR",
    }
    for tok in script.tokens:
        if tok.type in value_kinds and tok.start not in leaf_starts:
            problems.append(f"token {tok.value!r} at {tok.start} belongs to no leaf")
    return problems
