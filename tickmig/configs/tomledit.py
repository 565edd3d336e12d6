"""Line-precise edits of TOML configuration files (Telegraf, kapacitor.conf) that keep every
comment, blank line and the layout of the original.

tomlkit parses the file (its ParseError gives the line and column of a malformed file),
renders every new value, and checks each result: the patched text must parse to exactly the
document the edits intend. The edits themselves are placed on lines, because tomlkit attaches
the comments written above a table header to the table before it, so keys and tables added
through its object model would land below those comments (under the next section's banner).
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from tickmig.text.regular import read_regular

EntryKind = Literal["header", "kv", "comment", "blank"]


class TomlProblem(Exception):
    """A file that cannot be read or parsed; ``str()`` is ``path:line:column: message``."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"


class PatchError(Exception):
    """The patched text does not parse to the intended document (a bug: nothing is written)."""


def read_toml(path: str) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and its plain data; raises TomlProblem with the position of a
    syntax error (1-based line and column)."""
    try:
        text = read_regular(path).decode("utf-8")
    except FileNotFoundError:
        raise TomlProblem(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise TomlProblem(path, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise TomlProblem(path, f"cannot read: {exc.strerror or exc}") from None
    return text, parse_toml(path, text)


def parse_toml(path: str, text: str) -> dict[str, Any]:
    """Plain data of a TOML text; raises TomlProblem (1-based line and column)."""
    import tomlkit
    from tomlkit.exceptions import ParseError, TOMLKitError

    text = text.lstrip("\ufeff")
    try:
        data: dict[str, Any] = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        message = str(exc)
        suffix = f" at line {exc.line} col {exc.col}"
        if message.endswith(suffix):
            message = message[: -len(suffix)]
        raise TomlProblem(
            path, f"invalid TOML: {message.rstrip('. ')}", exc.line, exc.col + 1
        ) from None
    except TOMLKitError as exc:  # e.g. a key defined twice: tomlkit gives no position
        line, column = _stdlib_position(text)
        raise TomlProblem(path, f"invalid TOML: {str(exc).rstrip('. ')}", line, column) from None
    return data


def _stdlib_position(text: str) -> tuple[int | None, int | None]:
    """Where Python's own TOML parser sees the first error (it names line and column)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if match:
            return int(match.group(1)), int(match.group(2))
    return None, None


def toml_value(value: object) -> str:
    """A value written as TOML (strings quoted and escaped, lists inline)."""
    import tomlkit

    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table.as_string()
    return tomlkit.item(value).as_string()


# --- scanning -------------------------------------------------------------------------------


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


_BARE = re.compile(r"[A-Za-z0-9_-]+")


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
            match = _BARE.match(text, i)
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


# --- editing --------------------------------------------------------------------------------


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
    return key if _BARE.fullmatch(key) else toml_value(key)


def _resolve(doc: dict[str, Any], path: Sequence[str | int], create: bool = False) -> Any:
    node: Any = doc
    for part in path:
        if create and isinstance(part, str) and part not in node:
            node[part] = {}
        node = node[part]
    return node


# --- secrets ----------------------------------------------------------------------------------

MASK = "********"
_SECRET_KEY = re.compile(r"(?i)(pass(word)?|token|secret|credential|(^|[-_])key)$")
#: `key =` followed by a string, anywhere (line start, after `#`, inside an inline table).
_ASSIGNMENT = re.compile(r"""(?P<key>[A-Za-z0-9_.-]+|"[^"\n]*"|'[^'\n]*')[ \t]*=[ \t]*(?=["'])""")
#: Only `${VAR}` is kept: Telegraf substitutes it, and it holds no secret. A value merely
#: starting with `$` may be a password.
_ENV_REFERENCE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$")
#: The user info of a URL up to its last `@` (a password may hold `@` or `/`).
_URL_PASSWORD = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@\"'\[\]]+:)[^\s\"']*@")


def _string_end(text: str, start: int) -> tuple[int, int, int]:
    """(content start, content end, end) of the TOML string starting at `start`, in any of
    its four forms; an unterminated string runs to the end of its line (or of the text)."""
    for quote in ('"""', "'''"):
        if text.startswith(quote, start):
            body = start + 3
            at = body
            while True:
                at = text.find(quote, at)
                if at < 0:
                    return body, len(text), len(text)
                if quote == '"""' and _escaped(text, at):
                    at += 1
                    continue
                while text.startswith(quote[0], at + 3):  # up to two quotes end the content
                    at += 1
                return body, at, at + 3
    quote = text[start]
    at = start + 1
    while at < len(text) and text[at] != "\n":
        if text[at] == quote and not (quote == '"' and _escaped(text, at)):
            return start + 1, at, at + 1
        at += 1
    return start + 1, at, at


def _escaped(text: str, at: int) -> bool:
    slashes = 0
    while at - slashes - 1 >= 0 and text[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def mask_secrets(text: str) -> str:
    """The text with the values of password/token/secret keys (in every TOML string form:
    basic, literal, multi-line) and the passwords inside URLs replaced by ********; only
    references to environment variables (`${VAR}`) are kept. Line count is kept."""
    out: list[str] = []
    pos = 0
    for match in _ASSIGNMENT.finditer(text):
        if match.start() < pos:
            continue  # inside a value already handled
        body, end, after = _string_end(text, match.end())
        key = match.group("key").strip("\"'").rsplit(".", 1)[-1]
        value = text[body:end]
        out.append(text[pos:body])
        if _SECRET_KEY.search(key) and value and not _ENV_REFERENCE.match(value):
            out.append(MASK + "\n" * value.count("\n"))
        else:
            out.append(value)
        out.append(text[end:after])
        pos = after
    out.append(text[pos:])
    return redact_url("".join(out))


def redact_url(url: str) -> str:
    """A URL without the password of its user part."""
    return _URL_PASSWORD.sub(lambda m: m.group("scheme") + MASK + "@", url)
