"""Fuzzing as a test: seeded random byte-level and token-level mutations of the corpus scripts,
through `check` (every format), `migrate --output-dir` (safe and unsafe fixes) and `report`
(every format), in-process. Nothing may raise (no traceback, no internal-error finding), every
exit status is 0, 1 or 2, nothing hangs (a time limit per command), and no migrated copy of a
script that parsed fails to parse. Skips without ../shared (the corpus)."""

from __future__ import annotations

import json
import random
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_oracle, corpus_text
from typer.testing import CliRunner

from tickmig.cli.app import app
from tickmig.errors import TickSyntaxError
from tickmig.tasks.analysis import analyse
from tickmig.tickscript.parser import parse

SEED = 20261128
MUTANTS = 300
#: No command may take longer than this (seconds) on the whole fuzzed tree.
LIMIT = 240

#: What the token-level mutations insert: TICKscript and InfluxQL pieces that meet the
#: lexer's states, the DBRP analysis and the fixes.
PIECES = [
    'dbrp "telegraf"."autogen"\n',
    'dbrp "db"."rp"\n',
    'var q = \'SELECT mean("v") FROM "telegraf"."autogen"."cpu"\'\n',
    "|query(q)",
    '|query(\'SELECT * FROM "db"."rp"."m"\')',
    "|influxDBOut().database('telegraf').retentionPolicy('autogen')",
    ".create()",
    ".precision('u')",
    "|from().database('db')",
    "// TICKMIG-TODO(TM101): x\n",
    "// tickmig: ignore-file\n",
    "var x string\n",
    "batch",
    "stream",
    "lambda: ",
    "'''",
    "/",
    "*",
    "\\",
    "\ufeff",
    "\r\n",
    "\x00",
    "{",
    "(((",
    ")",
    "'",
    '"',
]
TOKEN = re.compile(r"\s+|//[^\n]*|'[^'\n]*'|\"[^\"\n]*\"|\w+|.", re.S)


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data) + 1)
        action = rng.randrange(3)
        # mostly ASCII (the lexer's business), sometimes any byte (the decoder's)
        byte = bytes([rng.randrange(256) if rng.random() < 0.2 else rng.randrange(9, 127)])
        if action == 0:
            data = data[:i] + byte + data[i:]
        elif action == 1:
            data = data[:i] + data[i + rng.randint(1, 8) :]
        else:
            data = data[:i] + byte + data[i + 1 :]
    return data


def mutate_tokens(text: str, rng: random.Random) -> str:
    tokens = TOKEN.findall(text)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(tokens) + 1)
        action = rng.randrange(4)
        if action == 0:
            tokens.insert(i, rng.choice(PIECES))
        elif action == 1 and tokens:
            del tokens[min(i, len(tokens) - 1)]
        elif action == 2 and tokens:
            tokens.insert(i, rng.choice(tokens))
        elif len(tokens) > 1:
            j = rng.randrange(len(tokens))
            k = min(i, len(tokens) - 1)
            tokens[j], tokens[k] = tokens[k], tokens[j]
    return "".join(tokens)


def mutate_lines(text: str, rng: random.Random) -> str:
    """Whole lines deleted, repeated or inserted: mutants that often still parse, so that the
    fixes and the safety net get work."""
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines) + 1)
        action = rng.randrange(3)
        if action == 0:
            piece = rng.choice([p for p in PIECES if p.endswith("\n")])
            lines.insert(i, piece)
        elif action == 1 and lines:
            del lines[min(i, len(lines) - 1)]
        elif lines:
            lines.insert(i, rng.choice(lines))
    return "".join(lines)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    names = [row["file"] for row in corpus_oracle()]
    if not names:
        pytest.skip("the shared corpus is not there (../shared, or set TICKMIG_SHARED)")
    rng = random.Random(SEED)
    root = tmp_path_factory.mktemp("fuzz")
    tree = root / "kapacitor"
    tree.mkdir()
    for n in range(MUTANTS):
        original = corpus_text(rng.choice(names))
        if n % 3 == 0:
            data = mutate_bytes(original.encode("utf-8"), rng)
        elif n % 3 == 1:
            data = mutate_tokens(original, rng).encode("utf-8", "surrogatepass")
        else:
            data = mutate_lines(original, rng).encode("utf-8", "surrogatepass")
        (tree / f"{n:04d}.tick").write_bytes(data)
    # a load directory too: definitions, one of them broken, one naming a missing template
    (tree / "templates").mkdir()
    (tree / "tasks").mkdir()
    (tree / "templates" / "t.tick").write_bytes((tree / "0000.tick").read_bytes())
    (tree / "tasks" / "a.yaml").write_text(
        "id: a\ntemplate-id: t\ndbrps:\n  - db: telegraf\n    rp: autogen\n", encoding="utf-8"
    )
    (tree / "tasks" / "b.yaml").write_bytes(b"id: [\xff\n")
    (tree / "tasks" / "c.yaml").write_text("id: c\ntemplate-id: nosuch\n", encoding="utf-8")
    pairs = {("telegraf", "autogen"), ("db", "rp")}
    for row in corpus_oracle():
        if row["ok"]:
            task = analyse(parse(corpus_text(row["file"])), row["file"])
            pairs |= {
                (u.database.text, u.retention_policy.text)
                for u in task.uses()
                if u.database.text and u.retention_policy.text
            }
    pairs = {(db, rp) for db, rp in pairs if re.fullmatch(r"[\w.-]+", db + rp) and "." not in db}
    (root / "plan.toml").write_text(
        'target = "oss"\n'
        + "".join(f'[[rename]]\nfrom = "{db}/{rp}"\nto = "{db}_v2/{rp}_v2"\n' for db, rp in pairs),
        encoding="utf-8",
    )
    return root


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expired(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"a command took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(root: Path, *args: str) -> str:
    """Run tickmig in this process; the command's standard output."""
    with time_limit(LIMIT):
        result = CliRunner().invoke(
            app, [*args, "--mapping", str(root / "plan.toml")], catch_exceptions=True
        )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"tickmig {' '.join(args)} raised") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code)
    assert "Traceback" not in result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "json-lines", "sarif", "github", "junit"])
def test_check_in_every_format(fuzzed: Path, fmt: str) -> None:
    out = run(fuzzed, "check", str(fuzzed / "kapacitor"), "--output-format", fmt)
    assert "TM000" not in out, "a rule raised (internal-error finding)"
    if fmt == "json":
        files = json.loads(out)["files"]
        assert len(files) >= MUTANTS


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_migrate_output_dir_keeps_every_parsing_script_parsing(
    fuzzed: Path, unsafe: bool, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    extra = ["--unsafe-fixes"] if unsafe else []
    run(fuzzed, "migrate", str(fuzzed / "kapacitor"), "--output-dir", str(out), *extra)
    broken = []
    for source in sorted((fuzzed / "kapacitor").glob("*.tick")):
        try:
            before = source.read_bytes().decode("utf-8")
            parse(before.removeprefix("\ufeff"))
        except (UnicodeDecodeError, TickSyntaxError):
            continue
        copies = list(out.rglob(source.name))
        for copy in copies:
            try:
                parse(copy.read_bytes().decode("utf-8").removeprefix("\ufeff"))
            except (UnicodeDecodeError, TickSyntaxError) as exc:
                broken.append((source.name, str(exc)))
    assert broken == []


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "text"])
def test_report_in_every_format(fuzzed: Path, fmt: str) -> None:
    out = run(fuzzed, "report", str(fuzzed / "kapacitor"), "--format", fmt)
    assert out
    if fmt == "json":
        json.loads(out)
