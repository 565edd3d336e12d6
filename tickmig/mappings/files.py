"""Load DBRP mappings from a file, recognising its kind from the content (never the extension)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace

from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import Bucket, Mapping, MappingSet, Target
from tickmig.mappings.plan import parse_plan
from tickmig.mappings.records import (
    ShapeError,
    describe,
    looks_like_bucket,
    parse_bucket,
    parse_buckets_body,
    parse_cli_array,
    parse_dbrps_body,
)
from tickmig.text.regular import read_regular

EXPECTED = (
    "expected the JSON body of GET /api/v2/dbrps or GET /api/v2/buckets, "
    "the output of `influx v1 dbrp list --json`, or a tickmig TOML mapping plan"
)
# influx CLI 2.4.0-2.7.5 print the virtual mappings after this banner (not valid JSON as a whole).
BANNER = re.compile(r"\r?\n?VIRTUAL DBRP MAPPINGS \(READ-ONLY\)[ \t]*\r?\n-+[ \t]*\r?\n")
_TOML_HEADER = re.compile(r"\[\[?\s*[\w-]+(\s*\.\s*[\w-]+)*\s*\]\]?\s*(#.*)?")
_JSON_LITERAL = re.compile(r"(null|true|false)\s*")
_TOML_QUOTED_KEY = re.compile(r'"[^"\n]*"\s*=')


def load_mapping_file(path: str | os.PathLike[str], *, target: Target | None = None) -> MappingSet:
    """Read one mapping file: a dbrps or buckets REST body, ``influx v1 dbrp list --json`` output
    of any CLI era, or a TOML plan (format in ``tickmig.mappings.plan``).

    ``target`` overrides the file's target ("oss" unless a plan says otherwise).
    Raises MappingError naming the file (and line and column when known).
    """
    name = str(path)
    try:
        data = read_regular(path)
    except OSError as exc:
        raise MappingError(f"cannot read mapping file: {exc.strerror or exc}", path=name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(data[: exc.start].decode("utf-8", "replace"))
        raise MappingError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); {EXPECTED}",
            path=name,
            line=line,
            column=column,
        ) from None
    if not text.strip():
        raise MappingError(f"file is empty; {EXPECTED}", path=name)
    banner = BANNER.search(text)
    if banner is not None:
        loaded = _load_two_part(text, banner, name)
    elif _looks_like_toml(text):
        loaded = _load_plan(text, name)
    else:
        loaded = _load_json_document(_decode_json(text, name, 0), name)
    if target is not None:
        return replace(loaded, target=target)
    return loaded


def _looks_like_toml(text: str) -> bool:
    stripped = text.lstrip()
    first = stripped[0]
    if _JSON_LITERAL.fullmatch(stripped) or first == "{" or first in "-0123456789":
        return False
    if first == "[":
        return _TOML_HEADER.fullmatch(stripped.splitlines()[0].strip()) is not None
    if first == '"':
        return _TOML_QUOTED_KEY.match(stripped) is not None
    return True


def _load_plan(text: str, name: str) -> MappingSet:
    import tomlkit
    from tomlkit.exceptions import ParseError, TOMLKitError

    try:
        doc = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        message = re.sub(r" at line \d+ col \d+$", "", str(exc))
        raise MappingError(
            f"invalid TOML: {message} ({EXPECTED})", path=name, line=exc.line, column=exc.col + 1
        ) from None
    except TOMLKitError as exc:
        raise MappingError(f"invalid TOML: {exc} ({EXPECTED})", path=name) from None
    return parse_plan(doc, text, name)


def _decode_json(text: str, name: str, line_offset: int) -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise MappingError(f"JSON nested too deeply to read ({EXPECTED})", path=name) from None
    except json.JSONDecodeError as exc:
        raise MappingError(
            f"invalid JSON: {exc.msg} ({EXPECTED})",
            path=name,
            line=exc.lineno + line_offset,
            column=exc.colno,
        ) from None


def _load_json_document(doc: object, name: str) -> MappingSet:
    mappings: list[Mapping] = []
    buckets: list[Bucket] = []
    try:
        if isinstance(doc, dict) and "content" in doc:
            kind = "GET /api/v2/dbrps body"
            mappings = parse_dbrps_body(doc, name)
        elif isinstance(doc, dict) and "buckets" in doc:
            kind = "GET /api/v2/buckets body"
            buckets = parse_buckets_body(doc)
        elif isinstance(doc, list) and doc and all(looks_like_bucket(b) for b in doc):
            kind = "influx bucket list --json output"
            buckets = [parse_bucket(item, f"[{i}]") for i, item in enumerate(doc)]
        elif isinstance(doc, list) or doc is None:
            kind = "influx v1 dbrp list --json output"
            mappings = parse_cli_array(doc, name)
        else:
            raise ShapeError("", _unexpected_top_level(doc))
    except ShapeError as exc:
        where = f"{exc.where}: " if exc.where else ""
        raise MappingError(f"{where}{exc.detail}", path=name) from None
    return MappingSet(tuple(mappings), tuple(buckets), (), "oss", f"{kind} {name}")


def _load_two_part(text: str, banner: re.Match[str], name: str) -> MappingSet:
    physical_doc = _decode_json(text[: banner.start()], name, 0)
    virtual_doc = _decode_json(text[banner.end() :], name, text.count("\n", 0, banner.end()))
    try:
        physical = parse_cli_array(physical_doc, name, "physical mappings")
        virtual = parse_cli_array(virtual_doc, name, "virtual mappings")
    except ShapeError as exc:
        raise MappingError(f"{exc.where}: {exc.detail}", path=name) from None
    virtual = [m if m.virtual else replace(m, virtual=True) for m in virtual]
    kind = "influx v1 dbrp list --json output (CLI 2.4-2.7.5)"
    return MappingSet((*physical, *virtual), (), (), "oss", f"{kind} {name}")


def _unexpected_top_level(doc: object) -> str:
    if isinstance(doc, dict):
        if "code" in doc and "message" in doc:
            return (
                f"this is an InfluxDB error response ({doc['code']}: {doc['message']}), "
                "not mappings"
            )
        keys = ", ".join(sorted(str(k) for k in doc)[:5]) or "none"
        return f'expected an object with "content" or "buckets" (keys found: {keys}); {EXPECTED}'
    return f"got {describe(doc)}; {EXPECTED}"


def _position(prefix: str) -> tuple[int, int]:
    line = prefix.count("\n") + 1
    return line, len(prefix) - (prefix.rfind("\n") + 1) + 1
