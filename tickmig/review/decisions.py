"""The decisions file of `tickmig migrate --interactive --decisions FILE`.

It is JSON (indent 2, sorted keys) with ``"version": 1`` and two parts:

* ``decisions``: one entry per answered proposal, with the path, the sha256 of that file's
  bytes when the answer was given, the rule code, the fix title, the fix's edits (0-based
  character offsets ``start``/``end`` and the replacement ``text``) and the ``decision``:
  ``applied``, ``skipped`` or ``edited`` (then ``edited`` holds the span replaced by hand and
  the text typed). An edit in another file than ``path`` (a fix spanning files) also carries
  its own ``path`` and ``sha256``.
* ``files``: per reviewed file, ``sha256`` (the content the review left it with), ``complete``
  (every proposal of the file was answered) and ``writes`` (each rewrite: the hashes before and
  after, and the edits in the coordinates of the text before).

A decision matches a proposal of a later run when path, code and edits agree once its offsets
are carried through the recorded writes of the file up to its current content hash. The file
is rewritten whole and atomically after every decision, so an interruption loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tickmig.diagnostics import Edit
from tickmig.errors import TickmigError
from tickmig.text.atomic import atomic_write
from tickmig.text.edits import overlaps, shift
from tickmig.text.regular import read_regular

VERSION = 1
APPLIED = "applied"
SKIPPED = "skipped"
EDITED = "edited"
KINDS = (APPLIED, SKIPPED, EDITED)


class DecisionsError(TickmigError):
    """The decisions file cannot be read or has an unexpected shape."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_key(path: str) -> str:
    """The name a file has in the decisions file (paths as given, normalised)."""
    return os.path.normpath(path)


@dataclass(frozen=True)
class Decision:
    path: str
    sha256: str
    code: str
    title: str
    #: The proposal's edits, in the coordinates of the text whose hash is recorded.
    edits: tuple[Edit, ...]
    decision: str
    #: For `edited`: the span replaced by hand and the text that replaced it.
    edited: Edit | None = None
    #: Hashes of the other files the edits touch (a fix spanning several files).
    other_sha256: tuple[tuple[str, str], ...] = ()

    def sha_of(self, path: str) -> str | None:
        if file_key(path) == self.path:
            return self.sha256
        return dict(self.other_sha256).get(file_key(path))


@dataclass(frozen=True)
class Write:
    before: str
    after: str
    edits: tuple[Edit, ...]


@dataclass
class FileRecord:
    sha256: str
    complete: bool = False
    writes: list[Write] = field(default_factory=list)


@dataclass
class DecisionLog:
    """The decisions so far; `path` None keeps them in memory only (no --decisions)."""

    path: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    files: dict[str, FileRecord] = field(default_factory=dict)

    # --- reading and writing ---------------------------------------------------------------

    @classmethod
    def load(cls, path: str | None, *, must_exist: bool = False) -> DecisionLog:
        log = cls(path)
        if path is None:
            return log
        try:
            data = json.loads(read_regular(path).decode("utf-8"))
        except FileNotFoundError:
            if must_exist:
                raise DecisionsError(f"{path}: no such decisions file") from None
            return log
        except (OSError, UnicodeDecodeError) as exc:
            raise DecisionsError(f"{path}: cannot read the decisions file: {exc}") from None
        except json.JSONDecodeError as exc:
            raise DecisionsError(f"{path}: not valid JSON: {exc}") from None
        except RecursionError:
            raise DecisionsError(f"{path}: JSON nested too deeply to be a decisions file") from None
        try:
            log._read(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise DecisionsError(f"{path}: not a tickmig decisions file ({exc})") from None
        return log

    def _read(self, data: Any) -> None:
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError(f'expected an object with "version": {VERSION}')
        for item in data["decisions"]:
            path = _str(item["path"])
            kind = _str(item["decision"])
            if kind not in KINDS:
                raise ValueError(f"unknown decision {kind!r}")
            others: dict[str, str] = {}
            edits = []
            for raw in item["edits"]:
                edit_path = file_key(_str(raw.get("path", path)))
                if edit_path != path:
                    others[edit_path] = _str(raw["sha256"])
                edits.append(_edit(edit_path, raw))
            edited = item.get("edited")
            self.decisions.append(
                Decision(
                    path,
                    _str(item["sha256"]),
                    _str(item["code"]),
                    _str(item["title"]),
                    tuple(edits),
                    kind,
                    _edit(path, edited) if edited is not None else None,
                    tuple(sorted(others.items())),
                )
            )
        for name, raw in data["files"].items():
            writes = [
                Write(
                    _str(w["before_sha256"]),
                    _str(w["after_sha256"]),
                    tuple(_edit(name, e) for e in w["edits"]),
                )
                for w in raw["writes"]
            ]
            self.files[file_key(name)] = FileRecord(
                _str(raw["sha256"]), bool(raw["complete"]), writes
            )

    def to_json(self) -> dict[str, Any]:
        decisions = []
        for d in self.decisions:
            edits = []
            for e in d.edits:
                row = _span(e)
                if file_key(e.path) != d.path:
                    row.update(path=file_key(e.path), sha256=d.sha_of(e.path))
                edits.append(row)
            item: dict[str, Any] = {
                "path": d.path,
                "sha256": d.sha256,
                "code": d.code,
                "title": d.title,
                "edits": edits,
                "decision": d.decision,
            }
            if d.edited is not None:
                item["edited"] = _span(d.edited)
            decisions.append(item)
        files = {
            name: {
                "sha256": r.sha256,
                "complete": r.complete,
                "writes": [
                    {
                        "before_sha256": w.before,
                        "after_sha256": w.after,
                        "edits": [_span(e) for e in w.edits],
                    }
                    for w in r.writes
                ],
            }
            for name, r in self.files.items()
        }
        return {"version": VERSION, "decisions": decisions, "files": files}

    def save(self) -> None:
        """Replace the decisions file atomically (nothing to do without one); raises
        DecisionsError when it cannot be written."""
        if self.path is None:
            return
        text = json.dumps(self.to_json(), indent=2, sort_keys=True, ensure_ascii=False)
        try:
            atomic_write(self.path, (text + "\n").encode("utf-8"))
        except OSError as exc:
            raise DecisionsError(
                f"{self.path}: cannot write the decisions file: {exc.strerror or exc}"
            ) from None

    # --- recording ---------------------------------------------------------------------------

    def add(self, decision: Decision) -> None:
        self.decisions.append(decision)
        self.save()

    def record_write(
        self, path: str, before: str, after: str, edits: Sequence[Edit], *, complete: bool
    ) -> None:
        """Note a rewrite of `path` (saved before the file is written, so that either state
        of the file is found again)."""
        record = self.files.setdefault(file_key(path), FileRecord(after))
        record.sha256 = after
        record.complete = complete
        if before != after:
            record.writes.append(
                Write(before, after, tuple(sorted(edits, key=lambda e: (e.start, e.end))))
            )
        self.save()

    def forget(self, path: str, sha256: str) -> int:
        """Drop the decisions made on `path` at content `sha256` (its rewrite failed the
        safety net, so they are asked again); returns how many."""
        key = file_key(path)
        kept = [d for d in self.decisions if not (d.path == key and d.sha256 == sha256)]
        dropped = len(self.decisions) - len(kept)
        self.decisions = kept
        self.save()
        return dropped

    # --- matching ------------------------------------------------------------------------------

    def complete_at(self, path: str, sha256: str | None) -> bool:
        """True when the review of `path` was finished and left it with content `sha256`."""
        record = self.files.get(file_key(path))
        return record is not None and record.complete and record.sha256 == sha256

    def knows(self, path: str, sha256: str | None) -> bool:
        """True when `sha256` is a content of `path` that a decision or write refers to."""
        key = file_key(path)
        hashes = {d.sha_of(key) for d in self.decisions}
        record = self.files.get(key)
        if record is not None:
            hashes.add(record.sha256)
            for w in record.writes:
                hashes.update((w.before, w.after))
        return sha256 in hashes

    def has_path(self, path: str) -> bool:
        key = file_key(path)
        return key in self.files or any(d.sha_of(key) is not None for d in self.decisions)

    def carry(self, path: str, sha256: str, edit: Edit, current: str | None) -> Edit | None:
        """`edit`, made on content `sha256` of `path`, in the coordinates of content `current`
        (through the recorded writes); None when it cannot be followed there, or when a write
        changed the text it spans."""
        record = self.files.get(file_key(path))
        writes = record.writes if record is not None else []
        start, end = edit.start, edit.end
        for _ in range(len(writes) + 1):
            if sha256 == current:
                return Edit(edit.path, start, end, edit.text)
            step = next((w for w in reversed(writes) if w.before == sha256), None)
            if step is None:
                return None
            probe = Edit(edit.path, start, end, "")
            moved = [Edit(edit.path, w.start, w.end, w.text) for w in step.edits]
            if any(overlaps(probe, w) for w in moved):
                return None
            start, end = shift(start, moved), shift(end, moved, end=True)
            sha256 = step.after
        return None

    def match(
        self, path: str, code: str, edits: Sequence[Edit], hashes: Mapping[str, str]
    ) -> tuple[Decision, Edit | None] | None:
        """The latest decision on this proposal (made on this content or on an earlier one of
        the same file), with its hand-edited span carried to today's coordinates."""
        wanted = sorted((file_key(e.path), e.start, e.end, e.text) for e in edits)
        key = file_key(path)
        for d in reversed(self.decisions):
            if d.path != key or d.code != code or len(d.edits) != len(edits):
                continue
            carried = self._carry_all(d, d.edits, hashes)
            if carried is None:
                continue
            if sorted((file_key(e.path), e.start, e.end, e.text) for e in carried) != wanted:
                continue
            if d.edited is None:
                return d, None
            region = self._carry_all(d, (d.edited,), hashes)
            if region is not None:
                return d, region[0]
        return None

    def _carry_all(
        self, d: Decision, edits: Iterable[Edit], hashes: Mapping[str, str]
    ) -> list[Edit] | None:
        out = []
        for e in edits:
            sha = d.sha_of(e.path)
            moved = (
                None if sha is None else self.carry(e.path, sha, e, hashes.get(file_key(e.path)))
            )
            if moved is None:
                return None
            out.append(moved)
        return out


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, not {value!r}")
    return value


def _edit(path: str, raw: Any) -> Edit:
    start, end = raw["start"], raw["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        raise ValueError(f"bad span {start!r}-{end!r}")
    return Edit(path, start, end, _str(raw["text"]))


def _span(edit: Edit) -> dict[str, Any]:
    return {"start": edit.start, "end": edit.end, "text": edit.text}
