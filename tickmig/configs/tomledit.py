"""Line-precise edits of TOML configuration files (Telegraf, kapacitor.conf) that keep every
comment, blank line and the layout of the original.

tomlkit parses the file (its ParseError gives the line and column of a malformed file),
renders every new value, and checks each result: the patched text must parse to exactly the
document the edits intend. The edits themselves are placed on lines, because tomlkit attaches
the comments written above a table header to the table before it, so keys and tables added
through its object model would land below those comments (under the next section's banner).
Reading is tickmig.configs.tomlfile's, the line layout tickmig.configs.tomllines'.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tickmig.configs.tomlfile import TomlProblem, parse_toml, toml_value
from tickmig.configs.tomllines import BARE_KEY, Entry, Section, scan, sections


class PatchError(Exception):
    """The patched text does not parse to the intended document (a bug: nothing is written)."""


Mutation = Callable[[dict[str, Any]], None]


@dataclass
class TomlEditor:
    """Collects line edits and the matching change of the parsed document, then applies them
    and checks that the text parses to the intended document."""

    path: str
    text: str
    data: dict[str, Any]
    lines: list[str] = field(init=False)
    entries: list[Entry] = field(init=False)
    sections: list[Section] = field(init=False)
    newline: str = field(init=False)
    _inserts: dict[int, list[str]] = field(default_factory=dict, init=False)
    _replacements: dict[int, tuple[int, int, str]] = field(default_factory=dict, init=False)
    _mutations: list[Mutation] = field(default_factory=list, init=False)
    #: Tables added per array: (position among the original elements, how many).
    _added: dict[tuple[str, ...], list[tuple[int, int]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.lines, self.entries = scan(self.text)
        self.sections = sections(self.entries)
        self.newline = "\r\n" if "\r\n" in self.text else "\n"

    # --- lookups --------------------------------------------------------------------------

    def table(self, name: tuple[str, ...], index: int | None = None) -> Section | None:
        """The section of table `name` (`index`: its element when it is an array of tables)."""
        if not name:
            return self.sections[0]
        found = [s for s in self.sections if s.name == name]
        if index is None:
            plain = [s for s in found if not s.array]
            return plain[0] if len(plain) == 1 else None
        elements = [s for s in found if s.array]
        return elements[index] if 0 <= index < len(elements) else None

    def keys(self, section: Section) -> list[Entry]:
        return [e for e in self.entries[section.first : section.last] if e.kind == "kv"]

    def key(self, section: Section, key: str) -> Entry | None:
        for entry in self.keys(section):
            if entry.key == (key,):
                return entry
        return None

    def line_of(self, section: Section, key: str | None = None) -> int | None:
        """1-based line of a key of the section (or of its header)."""
        entry = self.key(section, key) if key is not None else section.header
        return entry.start + 1 if entry is not None else None

    def group_end(self, section: Section) -> Section:
        """The last section that belongs to the same table as `section` (its sub-tables)."""
        index = self.sections.index(section)
        last = section
        for other in self.sections[index + 1 :]:
            if len(other.name) > len(section.name) and other.name[: len(section.name)] == (
                section.name
            ):
                last = other
            else:
                break
        return last

    def _after_content(self, section: Section) -> int:
        """The line index right after the section's last key (or its header)."""
        kvs = self.keys(section)
        if kvs:
            return kvs[-1].end
        if section.header is not None:
            return section.header.end
        first_header = next((e for e in self.entries if e.kind == "header"), None)
        return 0 if first_header is None else first_header.start

    def block_end(self, section: Section) -> int:
        """The line index right after the table's own block: its keys and sub-tables, and the
        indented comment lines that follow them (a sample file's commented-out options), but
        not a column-0 comment (the next section's description or banner) nor what follows."""
        last = self.group_end(section)
        end = self._after_content(last)
        for entry in self.entries[last.first : last.last]:
            if entry.start < end or entry.kind == "blank":
                continue
            line = self.lines[entry.start]
            if entry.kind == "comment" and line[:1] in (" ", "\t"):
                end = entry.end
                continue
            break
        return end

    def _indent(self, section: Section) -> str:
        kvs = self.keys(section)
        source = kvs[0] if kvs else section.header
        if source is None:
            return ""
        line = self.lines[source.start]
        return line[: len(line) - len(line.lstrip(" \t"))]

    # --- edits ----------------------------------------------------------------------------

    def set_value(
        self,
        section: Section,
        path: Sequence[str | int],
        key: str,
        value: object,
        comments: Sequence[str] = (),
        after: Sequence[str] = (),
    ) -> None:
        """Set `key` in `section` (whose data is at `path` in the document). An existing
        one-line value is replaced in place; otherwise the key is added below a commented-out
        `# key = ...` line of the section, or after the first of `after` present, or after the
        section's last key; `comments` go above an added key."""
        rendered = toml_value(value)
        existing = self.key(section, key)
        if existing is not None:
            if existing.value_span is None:
                raise PatchError(f"{self.path}: {key} spans several lines; not edited")
            start, end = existing.value_span
            self._replacements[existing.start] = (start, end, rendered)
        else:
            at, indent = self._key_place(section, key, after)
            lines = [f"{indent}# {c}" if c else f"{indent}#" for c in comments]
            lines.append(f"{indent}{_key_text(key)} = {rendered}")
            self._insert(at, lines)

        def mutate(doc: dict[str, Any]) -> None:
            _resolve(doc, path)[key] = copy.deepcopy(value)

        self._mutations.append(mutate)

    def _key_place(self, section: Section, key: str, after: Sequence[str]) -> tuple[int, str]:
        pattern = re.compile(rf"^(\s*)#+\s*{re.escape(key)}\s*=")
        end = self.block_end(section)
        for entry in self.entries[section.first : section.last]:
            if entry.kind == "comment" and entry.start < end:
                match = pattern.match(self.lines[entry.start])
                if match:
                    return entry.end, match.group(1)
        for name in after:
            found = self.key(section, name)
            if found is not None:
                line = self.lines[found.start]
                return found.end, line[: len(line) - len(line.lstrip(" \t"))]
        return self._after_content(section), self._indent(section)

    def add_tables(
        self,
        after: Section | None,
        path: Sequence[str],
        tables: Sequence[tuple[Sequence[str], dict[str, object]]],
        indent: str = "  ",
    ) -> None:
        """Append elements to the array of tables at `path`, written after the whole table of
        `after` (its sub-tables too), or at the end of the file when None. Each table comes
        with its comment lines."""
        blocks: list[str] = []
        header = "[[" + ".".join(_key_text(p) for p in path) + "]]"
        for comments, table in tables:
            blocks.append("")
            blocks.extend(f"# {c}" if c else "#" for c in comments)
            blocks.append(header)
            for key, value in table.items():
                if isinstance(value, CommentLine):
                    blocks.append(f"{indent}## {value.text}")
                else:
                    blocks.append(f"{indent}{_key_text(key)} = {toml_value(value)}")
        at = len(self.lines) if after is None else self.block_end(after)
        self._insert(at, blocks)
        plain = [{k: v for k, v in t.items() if not isinstance(v, CommentLine)} for _, t in tables]

        # The new elements sit in the array where their lines are: after the elements whose
        # headers come before them (and after those added there earlier).
        name = tuple(path)
        position = sum(
            1
            for s in self.sections
            if s.name == name and s.array and s.header and s.header.start < at
        )
        earlier = sum(n for pos, n in self._added.get(name, []) if pos <= position)
        self._added.setdefault(name, []).append((position, len(plain)))
        index = position + earlier

        def mutate(doc: dict[str, Any]) -> None:
            parent = _resolve(doc, path[:-1], create=True)
            items = parent.setdefault(path[-1], [])
            items[index:index] = copy.deepcopy(plain)

        self._mutations.append(mutate)

    def _insert(self, at: int, lines: list[str]) -> None:
        self._inserts.setdefault(at, []).extend(lines)

    def edits(self) -> list[tuple[int, int, str]]:
        """The pending edits as (start, end, text) character spans of the original text."""
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line))
        out: list[tuple[int, int, str]] = []
        for at, lines in sorted(self._inserts.items()):
            text = "".join(line + self.newline for line in lines)
            if at == len(self.lines) and self.lines and not self.lines[-1].endswith("\n"):
                text = self.newline + text
            out.append((starts[at], starts[at], text))
        for index, (start, end, text) in sorted(self._replacements.items()):
            out.append((starts[index] + start, starts[index] + end, text))
        return sorted(out)

    @property
    def changed(self) -> bool:
        return bool(self._inserts or self._replacements)

    def result(self) -> str:
        """The patched text, checked against the intended document (raises PatchError)."""
        out: list[str] = []
        for index in range(len(self.lines) + 1):
            at_end = index == len(self.lines) and self._inserts.get(index)
            if at_end and out and not out[-1].endswith("\n"):
                out[-1] += self.newline
            for line in self._inserts.get(index, []):
                out.append(line + self.newline)
            if index == len(self.lines):
                break
            line = self.lines[index]
            replacement = self._replacements.get(index)
            if replacement is not None:
                start, end, text = replacement
                line = line[:start] + text + line[end:]
            out.append(line)
        patched = "".join(out)
        expected = copy.deepcopy(self.data)
        for mutate in self._mutations:
            mutate(expected)
        try:
            got = parse_toml(self.path, patched)
        except TomlProblem as exc:
            raise PatchError(f"the patched copy of {self.path} does not parse: {exc}") from None
        if got != expected:
            raise PatchError(f"the patched copy of {self.path} does not say what was intended")
        return patched


@dataclass(frozen=True)
class CommentLine:
    """A `## text` comment line among the keys of a table given to `TomlEditor.add_tables`."""

    text: str


def _key_text(key: str) -> str:
    return key if BARE_KEY.fullmatch(key) else toml_value(key)


def _resolve(doc: dict[str, Any], path: Sequence[str | int], create: bool = False) -> Any:
    node: Any = doc
    for part in path:
        if create and isinstance(part, str) and part not in node:
            node[part] = {}
        node = node[part]
    return node
