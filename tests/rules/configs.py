"""What the TM3xx rule tests share: a deployment given as facts (two stream tasks read
`"telegraf"."autogen"`, measurements `cpu` and `mem`; the example mappings of examples.py),
a rule's findings on a Telegraf or kapacitor.conf text, and the patched copy with its fixes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tickmig.configs.model import Facts, Pair, StreamInput
from tickmig.diagnostics import Diagnostic
from tickmig.engine.configs import ConfigCheck, check_configs
from tickmig.rules import BY_CODE
from tickmig.rules.helpers.config import ConfigRule
from tickmig.settings import Settings

from .examples import MAPPINGS

TELEGRAF = Pair("telegraf", "autogen")
KAPACITOR_URL = "http://kapacitor:9092"


def deployment(
    *,
    clusters: dict[str | None, set[str]] | None = None,
    flux: dict[str, str | None] | None = None,
    stream: bool = True,
) -> Facts:
    inputs = [StreamInput(TELEGRAF, {"tasks/a.tick", "tasks/b.tick"}, {"cpu", "mem"})]
    return Facts(
        MAPPINGS,
        Settings(org="acme"),
        inputs if stream else [],
        clusters or {},
        flux or {},
        {},
        set(),
    )


def _check(code: str, text: str, facts: Facts | None, kapacitor_url: str | None) -> ConfigCheck:
    rule = BY_CODE[code]
    assert issubclass(rule, ConfigRule)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "example.conf")
        Path(path).write_text(text, encoding="utf-8")
        telegraf = [path] if rule.config == "telegraf" else []
        kapacitor = path if rule.config == "kapacitor" else None
        return check_configs(facts or deployment(), telegraf, kapacitor, {code}, kapacitor_url)


def config_findings(
    code: str, text: str, facts: Facts | None = None, kapacitor_url: str | None = KAPACITOR_URL
) -> list[Diagnostic]:
    """The findings of rule `code` alone on the file's text."""
    check = _check(code, text, facts, kapacitor_url)
    assert not check.problems, check.problems
    return [d for r in check.results for d in r.diagnostics]


def config_patched(
    code: str, text: str, facts: Facts | None = None, kapacitor_url: str | None = KAPACITOR_URL
) -> str:
    """The patched copy `tickmig report` makes of the file with rule `code` alone."""
    check = _check(code, text, facts, kapacitor_url)
    files = [*check.telegraf.files, *([check.kapacitor.file] if check.kapacitor.file else [])]
    (file,) = files
    assert file.error is None, file.error
    return file.patched_text or ""


def assert_config_unchanged(code: str, text: str, fires: bool, facts: Facts | None = None) -> None:
    """The rule fires (or not) as said, and the patched copy is the file itself."""
    assert bool(config_findings(code, text, facts)) is fires
    assert config_patched(code, text, facts) == text


def assert_config_fixed(code: str, text: str, expected: str, facts: Facts | None = None) -> None:
    """The rule fires, its fix gives `expected`, on which it no longer fires."""
    assert config_findings(code, text, facts) != []
    assert config_patched(code, text, facts) == expected
    assert [d for d in config_findings(code, expected, facts) if d.fix is not None] == []
