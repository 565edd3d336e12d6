"""Literal values as Kapacitor computes them: numbers, durations, strings, references, regexes,
comments. Each function raises ValueError with Kapacitor's own message when Kapacitor would
refuse the literal (tick/ast/node.go, influxql.ParseDuration, Go's regexp)."""

from __future__ import annotations

import re
import warnings

from tickmig.tickscript.tokens import SPACES

_SPACE_STR = "".join(sorted(SPACES))
INT64_MAX = 2**63 - 1

_UNIT_NS = {
    "u": 1_000,
    "µ": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
    "d": 86_400_000_000_000,
    "w": 604_800_000_000_000,
}


def number_value(raw: str) -> tuple[int | float, int]:
    """(value, base) of a number token: base 8 for a leading-zero int, 10 for an int, 0 for a
    float."""
    if raw.isascii():
        if "." in raw:
            value = float(raw)
            if value != float("inf"):
                return value, 0
        elif raw[0] == "0" and len(raw) > 1:
            if all(c in "01234567" for c in raw):
                octal = int(raw, 8)
                if octal <= INT64_MAX:
                    return octal, 8
        else:
            decimal = int(raw)
            if decimal <= INT64_MAX:
                return decimal, 10
    raise ValueError(f'illegal number syntax: "{raw}"')


def duration_value(raw: str) -> int:
    """Nanoseconds of a duration token (one run of ASCII digits and one unit), with Go's int64
    wrap-around and Kapacitor's overflow check."""
    digits = raw[:-2] if raw.endswith("ms") else raw[:-1]
    unit = raw[len(digits) :]
    if not digits.isascii() or not digits.isdigit() or int(digits) > INT64_MAX:
        raise ValueError("invalid duration")
    value = (int(digits) * _UNIT_NS[unit]) & 0xFFFF_FFFF_FFFF_FFFF
    if value >= 2**63:
        raise ValueError(f"overflowed duration {raw}: choose a smaller duration or INF")
    return value


def string_value(raw: str) -> tuple[str, bool]:
    """(value, triple-quoted) of a string token; only `\\'` is an escape, and only in '...'."""
    if len(raw) >= 6 and raw.startswith("'''"):
        return raw[3:-3], True
    return raw[1:-1].replace("\\'", "'"), False


def reference_value(raw: str) -> str:
    """The name of a double-quoted reference; only `\\"` is an escape."""
    return raw[1:-1].replace('\\"', '"')


# Constructs Go's RE2 refuses but Python's re accepts: look-around and backreferences.
_RE2_UNSUPPORTED = re.compile(r"\(\?[=!]|\(\?<[=!]|\\[1-9]|\(\?P=|\(\?\(")
# RE2 spellings Python spells differently, replaced before compiling with Python's re.
_RE2_TO_PYTHON = (
    (re.compile(r"\\z"), r"\\Z"),
    (re.compile(r"\\[pP]\{?[A-Za-z_]+\}?"), "."),
    (re.compile(r"\[\[:(\^?)([a-z]+):\]\]"), "[a-z]"),
    (re.compile(r"\[:(\^?)([a-z]+):\]"), "a-z"),
    (re.compile(r"\\C"), "."),
    (re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>"), r"(?P<\1>"),
)


def check_regex(literal: str) -> None:
    """Refuse a regex Go's regexp package would refuse (best effort: Python's re with RE2's
    differences accounted for)."""
    pattern = literal.replace("\\/", "/")
    bad = _RE2_UNSUPPORTED.search(pattern)
    if bad is not None:
        raise ValueError(
            f"error parsing regexp: invalid or unsupported Perl syntax: `{bad.group()}`"
        )
    for rx, repl in _RE2_TO_PYTHON:
        pattern = rx.sub(repl, pattern)
    try:
        with warnings.catch_warnings():  # Python's hints about its own syntax are not ours
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"error parsing regexp: {exc.msg}: `{literal}`") from None
    except (OverflowError, RecursionError, MemoryError):
        raise ValueError(f"error parsing regexp: expression too large: `{literal}`") from None


def comment_lines(blocks: list[str]) -> tuple[str, ...]:
    """Kapacitor's comment normalisation: trim each line, drop empty ones, remove `//` and
    then one space; a "\\n" entry separates consecutive comment blocks."""
    lines: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            lines.append("\n")
        for line in block.split("\n"):
            line = line.strip(_SPACE_STR)
            if not line:
                continue
            if line.startswith("//"):
                line = line[2:]
            if line.startswith(" "):
                line = line[1:]
            lines.append(line)
    return tuple(lines)
