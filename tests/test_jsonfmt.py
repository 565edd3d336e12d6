"""text.jsonfmt writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tickmig.text.jsonfmt import dumps_indented

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(values)
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_awkward_strings_are_escaped_the_same() -> None:
    value = {'q"uote': ["tab\t", "nl\n", "ctl\x01", "µs", "😀", "\u2028"], "e": {}, "l": []}
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
