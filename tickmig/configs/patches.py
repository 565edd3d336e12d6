"""Typed changes to a TOML configuration file, the fixes of the TM3xx rules: set a key of a
table, or add tables (Telegraf outputs) after one. A finding carries its changes; the patched
copy applies the changes of every finding that is reported (not ignored, not suppressed),
through one TomlEditor, which checks the result parses to exactly the intended document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tickmig.configs.tomledit import TomlEditor
from tickmig.configs.tomlfile import parse_toml


@dataclass(frozen=True)
class TableRef:
    """A table of the file: its name, and its element when it is an array of tables."""

    name: tuple[str, ...]
    index: int | None = None

    @property
    def path(self) -> tuple[str | int, ...]:
        return self.name if self.index is None else (*self.name, self.index)


@dataclass(frozen=True)
class SetKey:
    """Set `key = value` in a table (replaced in place, or added below its commented-out
    sample line, or after the first of `after` present, or after the table's last key)."""

    table: TableRef
    key: str
    value: object
    comments: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddTables:
    """Append elements to the array of tables `path`, after the block of `after` (its
    commented options stay with it), or at the end of the file; each with comment lines."""

    after: TableRef | None
    path: tuple[str, ...]
    tables: tuple[tuple[tuple[str, ...], dict[str, object]], ...]


PatchAction = SetKey | AddTables


def apply(editor: TomlEditor, action: PatchAction) -> None:
    """Record one change in the editor; a table it cannot find is skipped (a rule only
    proposes changes to tables it found)."""
    if isinstance(action, SetKey):
        section = editor.table(action.table.name, action.table.index)
        if section is None:
            return
        editor.set_value(
            section,
            list(action.table.path),
            action.key,
            action.value,
            comments=action.comments,
            after=action.after,
        )
        return
    after = (
        editor.table(action.after.name, action.after.index) if action.after is not None else None
    )
    editor.add_tables(after, list(action.path), list(action.tables))


def edits_of(path: str, text: str, actions: Sequence[PatchAction]) -> list[tuple[int, int, str]]:
    """The span edits (start, end, text) that `actions` make to `text`."""
    editor = TomlEditor(path, text, parse_toml(path, text))
    for action in actions:
        apply(editor, action)
    return editor.edits()
