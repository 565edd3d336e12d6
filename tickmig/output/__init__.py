"""The output formats of `tickmig check`: `RENDERERS` maps each `--output-format` name to its
renderer, and a format's module is imported only when that format is first rendered."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from tickmig.diagnostics import FileResult
    from tickmig.rules.info import RuleInfo

__all__ = ["RENDERERS", "Renderer"]


class Renderer(Protocol):
    """A pure function from results to the whole report text."""

    def __call__(
        self, results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
    ) -> str: ...


def _lazy(module: str) -> Renderer:
    def render(
        results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
    ) -> str:
        target = cast(Renderer, importlib.import_module(f"{__name__}.{module}").render)
        return target(results, rules, tool_version=tool_version)

    render.__name__ = render.__qualname__ = f"{module}.render"
    return render


#: `--output-format` name -> renderer; the order is the one `--help` should list them in.
RENDERERS: dict[str, Renderer] = {
    "text": _lazy("render_text"),
    "json": _lazy("render_json"),
    "json-lines": _lazy("render_json_lines"),
    "sarif": _lazy("render_sarif"),
    "github": _lazy("render_github"),
    "junit": _lazy("render_junit"),
}
