"""Which (database, retention policy) pairs the workspace's own tasks write back into
Kapacitor with `kapacitorLoopback()`: stream tasks reading them are fed inside Kapacitor,
so TM110 leaves them alone. A script's findings then depend on the other scripts, as the
InfluxDB 3 plan's do (tickmig.engine.v3plan): `feeds_fact` keys the memo and the result
cache by them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tickmig.errors import InputError, TickSyntaxError
from tickmig.tasks.flow import loopback_pairs
from tickmig.tasks.loaddir import Definition, instantiate
from tickmig.tasks.workspace import Loader, Workspace

if TYPE_CHECKING:
    from tickmig.engine.cache import ResultCache

#: Kapacitor finds a method by upper-casing its first letter only: `kapacitorLoopback` and
#: `KapacitorLoopback` name the node. A script without this text has no loopback, and is not
#: parsed here.
MARK = "apacitorLoopback"

Feeds = dict[tuple[str, str | None], str]


def loopback_feeds(
    workspace: Workspace,
    load: Loader,
    definitions: Iterable[Definition],
    cache: ResultCache | None = None,
) -> Feeds:
    """(database, retention policy) -> the first task (by path) whose kapacitorLoopback
    writes it: the scripts' tasks (remembered in `cache` by their text), and the tasks
    definitions create from a template."""
    found: list[tuple[str, list[tuple[str, str]]]] = []
    for path in workspace.scripts:
        try:
            source = load(path)
        except InputError:
            continue  # check reports it with the script
        if MARK not in source.text:
            continue
        pairs = cache.get_feeds(path, source.text) if cache is not None else None
        if pairs is None:
            pairs = _pairs(workspace, load, path, None)
            if cache is not None:
                cache.put_feeds(path, source.text, pairs)
        found.append((path, pairs))
    for definition in definitions:
        tpath = workspace.template_of(definition, load)
        if tpath is not None and MARK in _text(load, tpath):
            found.append((definition.path, _pairs(workspace, load, tpath, definition)))
    out: Feeds = {}
    for entry, pairs in sorted(found, key=lambda item: item[0]):
        for pair in pairs:
            out.setdefault(pair, entry)
    return out


def feeds_fact(feeds: Feeds) -> set[str]:
    """The fact that keys each script's result by the workspace's loopback pairs (none when
    there are none, so that a tree without loopbacks keeps its cache keys)."""
    if not feeds:
        return set()
    text = "\n".join(f"{db}\0{rp}" for db, rp in sorted(feeds, key=lambda p: (p[0], p[1] or "")))
    return {"loopback-feeds=" + hashlib.blake2b(text.encode(), digest_size=8).hexdigest()}


def _text(load: Loader, path: str) -> str:
    try:
        return load(path).text
    except InputError:
        return ""


def _pairs(
    workspace: Workspace, load: Loader, path: str, definition: Definition | None
) -> list[tuple[str, str]]:
    try:
        task = workspace.template_task(path, load)
    except (InputError, TickSyntaxError):
        return []  # check reports it with the script
    if definition is not None:
        return loopback_pairs(instantiate(task, definition))
    return [] if task.template else loopback_pairs(task)
