"""Span edits on a text: applying a set of them, refusing overlaps, mapping offsets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from tickmig.diagnostics import Edit
from tickmig.errors import TickmigError


class OverlappingEditsError(TickmigError):
    """Two edits touch the same text."""


def overlaps(a: Edit, b: Edit) -> bool:
    """True when two edits of the same file touch the same text (two insertions at one
    offset count as overlapping: their order would be a guess)."""
    if a.path != b.path:
        return False
    if a.start == a.end == b.start == b.end:
        return True
    return (
        (a.start < b.end and b.start < a.end)
        or (a.start == a.end and b.start < a.start < b.end)
        or (b.start == b.end and a.start < b.start < a.end)
    )


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with every edit applied (offsets refer to the original text). An empty list
    returns `text` itself; overlapping edits raise OverlappingEditsError."""
    if not edits:
        return text
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for first, second in pairwise(ordered):
        if first.end > second.start or (first.start == first.end == second.start == second.end):
            raise OverlappingEditsError(
                f"edits at {first.start}-{first.end} and {second.start}-{second.end} overlap"
            )
    parts: list[str] = []
    cursor = 0
    for edit in ordered:
        parts.append(text[cursor : edit.start])
        parts.append(edit.text)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)


def shift(offset: int, edits: Iterable[Edit], *, end: bool = False) -> int:
    """Where `offset` of the original text lands after the edits (which must not contain it).
    Text inserted exactly at `offset` goes before a start (`end=False`) and after an end."""
    delta = 0
    for edit in edits:
        if edit.end < offset or (edit.end == offset and not (end and edit.start == edit.end)):
            delta += len(edit.text) - (edit.end - edit.start)
    return offset + delta
