"""Offsets and positions: the one place that converts offsets to 1-based lines and columns."""

from __future__ import annotations

from bisect import bisect_right


class LineIndex:
    """Maps 0-based character offsets of a text to 1-based (line, column) and back.

    Lines end at `\\n` only, as in Kapacitor (a `\\r` before it belongs to the line).
    """

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def line_column(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        return self._starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def byte_offset(self, offset: int) -> int:
        """The UTF-8 byte offset of a character offset (Kapacitor's positions are bytes)."""
        return len(self.text[:offset].encode("utf-8", "surrogatepass"))
