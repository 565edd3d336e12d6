"""The parse tables ship in the package as JSON (issue 11, item 0): they match the grammar, and
nothing another user can write (a planted pickle, FIFO or symlink where a cache could be) is
ever read, run or written through."""

from __future__ import annotations

import json
import os
import pickle
import pwd
import subprocess
import sys
from pathlib import Path

from tickmig.tickscript import tables
from tickmig.tickscript.parser import grammar_text, parse


def test_shipped_tables_are_what_the_grammar_compiles_to() -> None:
    assert tables.packaged_text() == tables.dumps(tables.compile_tables(grammar_text()))


def test_shipped_tables_are_plain_data() -> None:
    def kinds(value: object) -> set[type]:
        if isinstance(value, dict):
            return {dict}.union(*(kinds(v) for v in value.values()))
        if isinstance(value, list):
            return {list}.union(*(kinds(v) for v in value)) if value else {list}
        return {type(value)}

    assert kinds(json.loads(tables.packaged_text())) <= {dict, list, str, int, bool, type(None)}


def test_a_grammar_change_is_noticed() -> None:
    changed = grammar_text().replace("?", "", 1)
    assert tables.dumps(tables.compile_tables(changed)) != tables.packaged_text()


def test_check_mode_of_the_generator() -> None:
    assert tables.main(["--check"]) == 0
    assert tables.main(["--bogus"]) == 2


class _Payload:
    """Unpickling this creates `marker`: proof that a planted pickle ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.marker}",))


def _plant(shared: Path, pickled: bytes, victim: Path) -> None:
    """A pickle, a FIFO and a symlink at the old cache's name, each in its own folder, all owned
    by `nobody` when the tests run as root (CI does): another local user's files."""
    name = f"tickmig-grammar-{sys.version_info[0]}{sys.version_info[1]}.cache"
    other = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
    for kind in ("pickle", "fifo", "symlink"):
        folder = shared / kind
        folder.mkdir()
        at = folder / name
        if kind == "pickle":
            at.write_bytes(pickled)
        elif kind == "fifo":
            os.mkfifo(at)
        else:
            at.symlink_to(victim)
        if other is not None:
            for path in (folder, at):
                os.lchown(path, other.pw_uid, other.pw_gid)


def test_planted_pickle_fifo_and_symlink_are_never_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: anyone may create files here
    tmp_path.chmod(0o755)
    marker = tmp_path / "PWNED"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    victim.chmod(0o644)
    payload = tmp_path / "payload.pickle"
    # Lark's cache format: a digest line, then pickles; the first pickle runs the payload.
    payload.write_bytes(b"\n" + pickle.dumps(_Payload(str(marker))))
    payload.chmod(0o644)
    _plant(shared, payload.read_bytes(), victim)
    script = tmp_path / "t.tick"
    script.write_text("stream|from().measurement('cpu')\n")
    for kind in ("pickle", "fifo", "symlink"):
        env = {**os.environ, "TMPDIR": str(shared / kind), "TICKMIG_CACHE_DIR": str(shared / kind)}
        done = subprocess.run(
            [sys.executable, "-m", "tickmig", "parse", str(script)],
            capture_output=True,
            text=True,
            env=env,
            timeout=20,  # a FIFO that were opened would hang here
        )
        assert done.returncode == 0, (kind, done.stderr)
        assert not marker.exists(), "the planted pickle ran"
        assert victim.read_bytes() == b"precious\n", "written through the planted symlink"


AUDIT = r"""
import sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
sys.addaudithook(hook)
import tickmig.tickscript.parser as p
p.parse("stream|from().measurement('cpu')")
import tickmig.tickscript
package = tickmig.tickscript.__path__[0]
print("\n".join(path for path in opened if path.endswith((".cache", ".tmp", ".json", ".lark"))))
"""


def test_parsing_opens_only_the_packaged_tables(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", AUDIT],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path), "TICKMIG_CACHE_DIR": str(tmp_path)},
        timeout=60,
        check=True,
    )
    opened = done.stdout.split()
    assert [Path(p).name for p in opened] == ["tables.json"]
    assert list(tmp_path.iterdir()) == []


def test_parser_works_from_the_shipped_tables() -> None:
    script = parse("var x = 5m\nstream|from().measurement('cpu')|window().period(x)\n")
    assert len(script.statements) == 2
