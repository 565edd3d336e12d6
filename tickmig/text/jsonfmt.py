"""JSON text exactly as `json.dumps(value, indent=2, ensure_ascii=False)` writes it, about
twice as fast on large documents: the standard library drops to its pure-Python encoder
whenever it indents, while this keeps only the string escaping (done in C) and builds the
text in one list. Takes what tickmig's reports hold: dicts with string keys, lists, tuples,
strings, ints, floats, booleans and None."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any


def dumps_indented(value: Any) -> str:
    out: list[str] = []
    add = out.append
    escape = encode_basestring

    def dump(o: Any, pad: str) -> None:
        kind = type(o)
        if kind is str:
            add(escape(o))
        elif kind is int:  # what json writes for an int (not a bool, not an int subclass)
            add(int.__repr__(o))
        elif kind is dict:
            if not o:
                add("{}")
                return
            inner = pad + "  "
            separator = ",\n" + inner
            add("{\n" + inner)
            for i, (key, item) in enumerate(o.items()):
                if i:
                    add(separator)
                if type(key) is not str:
                    raise TypeError(f"keys must be strings, not {type(key).__name__}")
                add(escape(key) + ": ")
                dump(item, inner)
            add("\n" + pad + "}")
        elif kind is list or kind is tuple:
            if not o:
                add("[]")
                return
            inner = pad + "  "
            separator = ",\n" + inner
            add("[\n" + inner)
            for i, item in enumerate(o):
                if i:
                    add(separator)
                dump(item, inner)
            add("\n" + pad + "]")
        elif o is None:
            add("null")
        elif o is True:
            add("true")
        elif o is False:
            add("false")
        else:  # numbers (and anything else: json decides, and refuses what it cannot write)
            add(json.dumps(o))

    dump(value, "")
    return "".join(out)
