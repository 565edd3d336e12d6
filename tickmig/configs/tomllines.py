"""A TOML text as lines, for edits that keep its layout: its logical lines (`Entry`: a header,
a key whose value may span lines, a comment, a blank line) and the sections they form (a
table header and the entries below it). Only the layout is read here; the data is
tickmig.configs.tomlfile's."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

EntryKind = Literal["header", "kv", "comment", "blank"]


@dataclass
class Entry:
    """One logical line of a TOML file: lines[start:end] (a key's value may span lines)."""

    kind: EntryKind
    start: int
    end: int
    #: kv: the key path; header: the table name path.
    key: tuple[str, ...] = ()
    array: bool = False
    #: kv whose value sits on one line: the value's column span on that line.
    value_span: tuple[int, int] | None = None


#: A key that needs no quotes.
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key_path(text: str, i: int, stop: str) -> tuple[tuple[str, ...], int]:
    """Parse a (dotted, maybe quoted) key starting at text[i]; returns the parts and the index
    of the `stop` character that ends it (-1 when malformed)."""
    parts: list[str] = []
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            return tuple(parts), -1
        ch = text[i]
        if ch in "\"'":
            end = text.find(ch, i + 1)
            while ch == '"' and end != -1 and text[end - 1] == "\\":
                end = text.find(ch, end + 1)
            if end == -1:
                return tuple(parts), -1
            raw = text[i + 1 : end]
            parts.append(raw.encode().decode("unicode_escape") if ch == '"' else raw)
            i = end + 1
        else:
            match = BARE_KEY.match(text, i)
            if match is None:
                return tuple(parts), -1
            parts.append(match.group())
            i = match.end()
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        if text.startswith(stop, i):
            return tuple(parts), i
        return tuple(parts), -1
    return tuple(parts), -1


def scan(text: str) -> tuple[list[str], list[Entry]]:
    """The lines of a TOML text (line endings kept) and its logical lines."""
    lines = text.splitlines(keepends=True)
    entries: list[Entry] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            entries.append(Entry("blank", i, i + 1))
            i += 1
        elif stripped.startswith("#"):
            entries.append(Entry("comment", i, i + 1))
            i += 1
        elif stripped.startswith("["):
            array = stripped.startswith("[[")
            at = line.index("[") + (2 if array else 1)
            key, _ = _key_path(line, at, "]")
            entries.append(Entry("header", i, i + 1, key, array))
            i += 1
        else:
            key, eq = _key_path(line, 0, "=")
            if eq < 0:  # not a key line we understand; the parse check catches real errors
                entries.append(Entry("comment", i, i + 1))
                i += 1
                continue
            end, span = _value_end(lines, i, eq + 1)
            entries.append(Entry("kv", i, end, key, value_span=span))
            i = end
    return lines, entries


def _value_end(lines: list[str], row: int, col: int) -> tuple[int, tuple[int, int] | None]:
    """Where the value starting at lines[row][col] ends: (line index after it, its column span
    when it fits on its first line)."""
    line = lines[row]
    while col < len(line) and line[col] in " \t":
        col += 1
    start_col, depth, r, c = col, 0, row, col
    quote: str | None = None
    while r < len(lines):
        text = lines[r]
        while c < len(text):
            ch = text[c]
            if quote is not None:
                if quote in ('"', '"""') and ch == "\\":
                    c += 2
                    continue
                if text.startswith(quote, c):
                    c += len(quote)
                    quote = None
                    continue
                c += 1
                continue
            if ch == "#" or ch in "\r\n":
                break
            if text.startswith('"""', c) or text.startswith("'''", c):
                quote = text[c : c + 3]
                c += 3
                continue
            if ch in "\"'":
                quote = ch
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
            c += 1
        if quote in ('"', "'"):  # an unterminated one-line string: let the parser complain
            quote = None
        if quote is None and depth <= 0:
            if r == row:
                end_col = c
                while end_col > start_col and text[end_col - 1] in " \t":
                    end_col -= 1
                return r + 1, (start_col, end_col)
            return r + 1, None
        r, c = r + 1, 0
    return len(lines), None


# --- sections -------------------------------------------------------------------------------


@dataclass
class Section:
    """A table header (or the root, before the first header) and the entries below it, up to
    the next header: entries[first:last]."""

    name: tuple[str, ...]
    array: bool
    header: Entry | None
    first: int
    last: int


def sections(entries: Sequence[Entry]) -> list[Section]:
    out = [Section((), False, None, 0, len(entries))]
    for index, entry in enumerate(entries):
        if entry.kind == "header":
            out[-1].last = index
            out.append(Section(entry.key, entry.array, entry, index + 1, len(entries)))
    return out
