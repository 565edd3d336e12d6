"""Task definitions and vars files (JSON or YAML) read with the span of every value, so that
a finding can point at a value and a fix can replace it in place (`scalar_text` writes the new
value as the old one was written). Errors name the file, line and column."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tickmig.errors import ConfigError


@dataclass(frozen=True)
class Located:
    """A JSON/YAML value with its span in the file (0-based character offsets)."""

    value: Any
    start: int
    end: int


#: The most values one task definition may hold once YAML aliases are expanded: a small
#: document whose aliases nest (an "alias bomb") would otherwise take gigabytes (issue 11).
MAX_NODES = 100_000


def parse_located(path: str, text: str) -> Located:
    try:
        if path.endswith(".json"):
            return _JSON(path, text).document()
        return _yaml_located(path, text)
    except RecursionError:
        raise error_at(path, text, 0, "nested too deeply to read") from None


def error_at(path: str, text: str, offset: int, message: str) -> ConfigError:
    """`path:line:column: message` for the character at `offset` of `text`."""
    from tickmig.text.spans import LineIndex

    line, column = LineIndex(text).line_column(offset)
    return ConfigError(f"{path}:{line}:{column}: {message}")


class _JSON:
    """A small JSON reader that keeps the span of every value."""

    _NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
    _WS = re.compile(r"[ \t\r\n]*")

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text, self.pos = path, text, 0

    def fail(self, message: str) -> ConfigError:
        return error_at(self.path, self.text, self.pos, message)

    def skip(self) -> None:
        m = self._WS.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos

    def document(self) -> Located:
        self.skip()
        value = self.value()
        self.skip()
        if self.pos != len(self.text):
            raise self.fail("extra data after the JSON value")
        return value

    def value(self) -> Located:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("unexpected end of JSON, expected a value")
        ch, start = self.text[self.pos], self.pos
        if ch == "{":
            return self.obj()
        if ch == "[":
            return self.array()
        if ch == '"':
            return Located(self.string(), start, self.pos)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return Located(val, start, self.pos)
        m = self._NUMBER.match(self.text, self.pos)
        if m is None:
            raise self.fail(f"unexpected {ch!r}, expected a JSON value")
        self.pos = m.end()
        return Located(json.loads(m.group()), start, self.pos)

    def string(self) -> str:
        try:
            value, end = json.decoder.scanstring(self.text, self.pos + 1)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            self.pos = exc.pos
            raise self.fail(exc.msg) from None
        self.pos = end
        return str(value)

    def expect(self, ch: str) -> None:
        self.skip()
        if not self.text.startswith(ch, self.pos):
            raise self.fail(f"expected {ch!r}")
        self.pos += 1

    def elements(self, close: str) -> Iterator[None]:
        """Steps over the opening bracket at the cursor and stops (yields) where each element
        starts, for the caller to read it; then takes the comma, or `close` at the end."""
        self.pos += 1
        self.skip()
        if self.text.startswith(close, self.pos):
            self.pos += 1
            return
        while True:
            yield
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            self.expect(close)
            return

    def obj(self) -> Located:
        start = self.pos
        out: dict[str, Located] = {}
        for _ in self.elements("}"):
            self.skip()
            if not self.text.startswith('"', self.pos):
                raise self.fail("expected a string key")
            key = self.string()
            self.expect(":")
            out[key] = self.value()
        return Located(out, start, self.pos)

    def array(self) -> Located:
        start = self.pos
        items: list[Located] = []
        for _ in self.elements("]"):
            items.append(self.value())
        return Located(items, start, self.pos)


def _yaml_located(path: str, text: str) -> Located:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        offset = mark.index if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise error_at(path, text, offset, f"invalid YAML: {problem}") from None
    if node is None:
        return Located(None, 0, 0)
    constructor = yaml.SafeLoader("")
    budget = [MAX_NODES]

    def convert(n: Any) -> Located:
        budget[0] -= 1
        if budget[0] < 0:
            raise error_at(
                path,
                text,
                n.start_mark.index,
                f"YAML aliases expand to more than {MAX_NODES} values; "
                "tickmig does not read such a task definition",
            )
        start, end = n.start_mark.index, n.end_mark.index
        if isinstance(n, yaml.MappingNode):
            return Located(
                {str(constructor.construct_object(k)): convert(v) for k, v in n.value}, start, end
            )
        if isinstance(n, yaml.SequenceNode):
            return Located([convert(v) for v in n.value], start, end)
        return Located(constructor.construct_object(n), start, end)

    return convert(node)


def scalar_text(path: str, written: str, new: str) -> str:
    """`new` written the way the scalar `written` was (JSON string; YAML plain, single- or
    double-quoted), for an in-place edit of a task definition."""
    if path.endswith(".json") or written.startswith('"'):
        return json.dumps(new, ensure_ascii=False)
    if written.startswith("'"):
        return "'" + new.replace("'", "''") + "'"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_./-]*", new):
        return new
    return json.dumps(new, ensure_ascii=False)
