"""The paths of the command line, loaded once: the scripts found, the task definitions and
vars files of every Kapacitor load directory among them, matched to their templates. Each file
is read once (its read error, if any, recorded against it), each definition parsed once, each
template parsed once per text. `check`, `migrate`, `report` and the review all start from one
Workspace; a migration in progress passes the texts it edited as an overlay."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tickmig.errors import ConfigError, InputError, TickmigError, TickSyntaxError
from tickmig.tasks.analysis import analyse
from tickmig.tasks.loaddir import (
    Definition,
    fills,
    find_definitions,
    find_vars_files,
    read_definition,
    read_vars_file,
    template_path,
    templates_of,
)
from tickmig.tasks.model import Task
from tickmig.text.source import STDIN, SourceFile, decode, encode, find_scripts, read_bytes
from tickmig.tickscript.nodes import Script
from tickmig.tickscript.parser import parse

#: How a stage reads a file: the workspace's text, or a newer one it holds (an edit).
Loader = Callable[[str], SourceFile]


@dataclass
class Workspace:
    """Everything the command line names, read once. Build it with `load_workspace`."""

    paths: list[str]
    #: Script files, in the order `find_scripts` gives them (`-` for standard input).
    scripts: list[str]
    #: Task definition and vars files, load directory by load directory (definitions first).
    definition_files: list[str] = field(default_factory=list)
    #: The vars files among them (`vars/*.json`: only vars, the DBRPs from the command line).
    vars_files: set[str] = field(default_factory=set)
    #: Each definition or vars file that parsed, by path.
    definitions: dict[str, Definition] = field(default_factory=dict)
    #: sha256 of the bytes of every file read, by path.
    digests: dict[str, str] = field(default_factory=dict)
    _sources: dict[str, SourceFile] = field(default_factory=dict, repr=False)
    _errors: dict[str, TickmigError] = field(default_factory=dict, repr=False)
    _parsed: dict[tuple[str, str], Script | TickSyntaxError] = field(
        default_factory=dict, repr=False
    )
    _analysed: dict[tuple[str, str], Task] = field(default_factory=dict, repr=False)
    #: The paths of the files parsed as templates (keys of _parsed).
    _templates: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def of_texts(cls, sources: Sequence[SourceFile]) -> Workspace:
        """Scripts already in memory (no load directory): for tests and tools."""
        workspace = cls([s.path for s in sources], [s.path for s in sources])
        for source in sources:
            workspace._sources[source.path] = source
            workspace.digests[source.path] = hashlib.sha256(encode(source, source.text)).hexdigest()
        return workspace

    # --- files ---------------------------------------------------------------------------

    def source(self, path: str) -> SourceFile:
        """The file's decoded text, read on first use only; raises its InputError."""
        found = self._sources.get(path)
        if found is not None:
            return found
        error = self._errors.get(path)
        if error is None:
            self._read(path)
            return self.source(path)
        raise error

    def was_read(self, path: str) -> bool:
        """Whether the file has been read and decoded (without reading it now)."""
        return path in self._sources

    def error(self, path: str) -> TickmigError | None:
        """Why the file could not be read (or, for a definition, parsed); None when it was."""
        if path not in self._sources and path not in self._errors:
            self._read(path)
        return self._errors.get(path)

    def _read(self, path: str) -> None:
        try:
            data = read_bytes(path)
            self._sources[path] = decode(path, data)
        except InputError as exc:
            self._errors[path] = exc
            return
        self.digests[path] = hashlib.sha256(data).hexdigest()

    def loader(self, overlay: Mapping[str, SourceFile] | None = None) -> Loader:
        """Reads through the overlay (texts a migration edited) to the workspace."""
        if overlay is None:
            return self.source
        return lambda path: overlay[path] if path in overlay else self.source(path)

    # --- definitions and templates -------------------------------------------------------

    def definition(self, path: str, load: Loader | None = None) -> Definition:
        """The parsed definition or vars file (parsed again only when `load` gives another
        text); raises InputError or ConfigError naming the file."""
        source = (load or self.source)(path)
        original = self._sources.get(path)
        if original is not None and original.text == source.text:
            known = self.definitions.get(path)
            if known is not None:
                return known
            error = self._errors.get(path)
            if error is not None:
                raise error
        return self._parse_definition(path, source.text)

    def _parse_definition(self, path: str, text: str) -> Definition:
        if path in self.vars_files:
            return read_vars_file(path, text)
        return read_definition(path, text)

    def script(self, path: str, load: Loader | None = None) -> Script:
        """A template's tree, parsed once per text; raises InputError or TickSyntaxError."""
        source = (load or self.source)(path)
        key = (path, source.text)
        tree = self._parsed.get(key)
        if tree is None:
            try:
                tree = parse(source.text, path)
            except TickSyntaxError as exc:
                tree = exc
            self._parsed[key] = tree
            self._templates.add(path)
        if isinstance(tree, TickSyntaxError):
            raise tree
        return tree

    def parsed(self, path: str, text: str) -> Script | TickSyntaxError | None:
        """The tree (or syntax error) of this text of the file if it was parsed already."""
        return self._parsed.get((path, text))

    def remember(self, path: str, text: str, tree: Script) -> None:
        """Keep the tree of a newer text of a file whose tree the workspace holds (a template a
        migration edited), so that it is not parsed again."""
        if path in self._templates:
            self._parsed[(path, text)] = tree

    def template_task(self, path: str, load: Loader | None = None) -> Task:
        """A template's task model (before any definition fills it), once per text."""
        script = self.script(path, load)
        key = (path, script.source)
        task = self._analysed.get(key)
        if task is None:
            task = self._analysed[key] = analyse(script, path)
        return task

    def template_of(self, definition: Definition, load: Loader | None = None) -> str | None:
        """The template a definition names, or the one template of its load directory whose
        variables a vars file fills; None when there is none."""
        if not definition.vars_only:
            return template_path(definition)
        matches = []
        for path in templates_of(definition):
            try:
                template = self.template_task(path, load)
            except (InputError, TickSyntaxError):
                continue
            if fills(definition, template):
                matches.append(path)
        return matches[0] if len(matches) == 1 else None


def load_workspace(paths: Sequence[str]) -> Workspace:
    """Find and read every file the paths name; raises InputError for a path that does not
    exist. Standard input (`-`) is read on first use, so a command can refuse it first."""
    workspace = Workspace(list(paths), find_scripts(paths))
    for path in workspace.scripts:
        if path != STDIN:
            workspace.error(path)
    for directory in sorted({p for p in paths if os.path.isdir(p)}):
        workspace.definition_files.extend(find_definitions(directory))
        vars_files = find_vars_files(directory)
        workspace.definition_files.extend(vars_files)
        workspace.vars_files.update(vars_files)
    for path in workspace.definition_files:
        if path in workspace.definitions or workspace.error(path) is not None:
            continue
        try:
            workspace.definitions[path] = workspace._parse_definition(
                path, workspace.source(path).text
            )
        except ConfigError as exc:
            workspace._errors[path] = exc
    for definition in workspace.definitions.values():
        template = workspace.template_of(definition)
        if template is not None:
            workspace.error(template)
    return workspace
