"""The safety net after edits: the new text must parse, its tree must equal the old tree
everywhere except at the edited nodes, and Kapacitor must accept the task as before.

One parse per file per pass: `verify` takes the old tree the check already built (it parses the
old text only when none is given) and parses the new text once; it returns that tree, which the
migration keeps for its next pass and for its second-run check."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from tickmig.diagnostics import Edit
from tickmig.engine.define_checks import new_refusal, refusals
from tickmig.errors import ConfigError, TickSyntaxError
from tickmig.tasks.analysis import analyse
from tickmig.tasks.located import Located, parse_located
from tickmig.tasks.model import Task
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


class _Regions:
    """Sorted, non-overlapping edited regions: which of them meet a node, found by bisection
    (a file with many edits is not checked region by region for every node)."""

    def __init__(self, regions: Sequence[tuple[int, int]]) -> None:
        self.regions = sorted(regions)
        self.starts = [r[0] for r in self.regions]
        self.ends = [r[1] for r in self.regions]

    def classify(self, start: int, end: int) -> str:
        low = bisect_left(self.ends, start)
        high = bisect_right(self.starts, end)
        return classify(start, end, self.regions[low:high]) if low < high else "untouched"


class _Shift:
    """`tickmig.text.edits.shift` for many offsets: the edits sorted once, each offset placed
    by bisection."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        self.edits = sorted(edits, key=lambda e: (e.end, e.start))
        self.ends = [e.end for e in self.edits]
        self.deltas = [0, *accumulate(len(e.text) - (e.end - e.start) for e in self.edits)]

    def __call__(self, offset: int, *, end: bool = False) -> int:
        before = bisect_left(self.ends, offset)
        delta = self.deltas[before]
        for edit in self.edits[before : bisect_right(self.ends, offset)]:
            if not (end and edit.start == edit.end):
                delta += len(edit.text) - (edit.end - edit.start)
        return offset + delta


def check_edited_script(old: Script, new_text: str, edits: Sequence[Edit]) -> str | None:
    """None when `new_text` parses and only the edited nodes changed; else why not."""
    try:
        new = parse(new_text)
    except TickSyntaxError as exc:
        return f"the edited text does not parse: {exc.line}:{exc.column}: {exc.message}"
    return compare_trees(old, new, edits)


def compare_trees(old: Script, new: Script, edits: Sequence[Edit]) -> str | None:
    """None when only the edited nodes changed from `old` to `new` (the tree of the edited
    text); else why not.

    Every node the edits do not touch must be found again, with the same kind and values, at
    its shifted place; every node around an edit must be found again with the same kind and
    shifted span; nothing else may appear outside the edited text."""
    regions = _Regions([(e.start, e.end) for e in edits])
    new_spans = []
    delta = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        new_spans.append((e.start + delta, e.start + delta + len(e.text)))
        delta += len(e.text) - (e.end - e.start)
    new_regions = _Regions(new_spans)
    shift = _Shift(edits)

    before: Counter[tuple[Any, ...]] = Counter()
    for node in old.walk():
        if isinstance(node, Script):
            continue
        status = regions.classify(node.start, node.end)
        if status != "edited":
            key = (shift(node.start), shift(node.end, end=True))
            entry = (*key, signature(node) if status == "untouched" else type(node).__name__)
            before[entry] += 1
    after: Counter[tuple[Any, ...]] = Counter()
    for node in new.walk():
        if isinstance(node, Script):
            continue
        status = new_regions.classify(node.start, node.end)
        if status == "untouched":
            after[(node.start, node.end, signature(node))] += 1
        elif status == "around":
            after[(node.start, node.end, type(node).__name__)] += 1
    if before != after:
        lost = sorted(map(str, (before - after).elements()))[:2]
        gained = sorted(map(str, (after - before).elements()))[:2]
        return f"the edit changed the tree outside the edited nodes (lost {lost}, gained {gained})"
    kept = Counter(
        (shift(start), line)
        for start, end, line in _comment_lines(old.comments)
        if regions.classify(start, end) == "untouched"
    )
    still = Counter(
        (start, line)
        for start, end, line in _comment_lines(new.comments)
        if new_regions.classify(start, end) == "untouched"
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


# --- one file's edit, as the migration and the review check it ---------------------------------

DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")


def verify(
    path: str,
    old: str,
    new: str,
    edits: Sequence[Edit],
    old_tree: Script | None = None,
    old_task: Task | None = None,
) -> tuple[str | None, Script | None, Task | None]:
    """The safety net for one file: (None when the edit is sound, else why not; the tree of
    the new text and its task model when it is a script that parsed). `old_tree` is the tree
    of `old` and `old_task` its task model when the caller has them (then only the new text
    is parsed, once, and analysed once)."""
    if path.endswith(DEFINITION_SUFFIXES):
        return check_edited_definition(path, old, new, edits), None, None
    if old_tree is None:
        try:
            old_tree = parse(old, path)
        except TickSyntaxError as exc:
            return f"the file did not parse before the edit: {exc.message}", None, None
    try:
        new_tree = parse(new, path)
    except TickSyntaxError as exc:
        why = f"the edited text does not parse: {exc.line}:{exc.column}: {exc.message}"
        return why, None, None
    problem = compare_trees(old_tree, new_tree, edits)
    if problem is not None:
        return problem, new_tree, None
    before = analyse(old_tree, path) if old_task is None else old_task
    after = analyse(new_tree, path)
    return refused(before, after), new_tree, after


def verify_edit(path: str, old: str, new: str, edits: Sequence[Edit]) -> str | None:
    """The safety net for one file: None when the edit is sound, else why it is not."""
    return verify(path, old, new, edits)[0]


def define_time_problem(path: str, old: Script, new: Script) -> str | None:
    """Why Kapacitor would refuse the edited script where it accepted the original (a type
    that changed, a new refusal of its task store), or None."""
    return refused(analyse(old, path), analyse(new, path))


def refused(before: Task, after: Task) -> str | None:
    """Why Kapacitor would refuse the task `after` where it accepted `before`, or None."""
    if before.kind != after.kind:
        return f"the edit changes the task type from {before.kind} to {after.kind}"
    return new_refusal(refusals(before), refusals(after))


def check_edited_definition(path: str, old: str, new: str, edits: Sequence[Edit]) -> str | None:
    """A task definition must still parse, with the same keys and the same values except
    those whose text the edits replaced."""
    try:
        before, after = parse_located(path, old), parse_located(path, new)
    except ConfigError as exc:
        return f"the edited file does not parse: {exc}"
    spans = [(e.start, e.end) for e in edits]

    def flat(node: Located, prefix: str, out: dict[str, Located]) -> dict[str, Located]:
        if isinstance(node.value, dict):
            for key, child in node.value.items():
                flat(child, f"{prefix}/{key}", out)
        elif isinstance(node.value, list):
            for i, child in enumerate(node.value):
                flat(child, f"{prefix}/{i}", out)
        else:
            out[prefix] = node
        return out

    old_values, new_values = flat(before, "", {}), flat(after, "", {})
    if old_values.keys() != new_values.keys():
        return "the edit changed the structure of the task definition"
    for key, value in old_values.items():
        edited = any(value.start <= s and e <= value.end for s, e in spans)
        if not edited and value.value != new_values[key].value:
            return f"the edit changed {key}, which it was not meant to touch"
    return None
