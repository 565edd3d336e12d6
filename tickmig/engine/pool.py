"""`-j N` for the check of many scripts: N-1 worker processes and this one share the scripts out
in small pieces, the workers from the front, this process from the back, until they meet. This
process is not left waiting for results it could compute itself (and what it checks is neither
pickled nor sent), and the pieces are small enough that nobody is left alone with a long one at
the end. The results come back in the scripts' order, so `-j N` prints what `-j 1` prints."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING

from tickmig.diagnostics import FileResult

if TYPE_CHECKING:
    from tickmig.engine.checker import Checker
    from tickmig.engine.jobs import Kept
    from tickmig.text.source import SourceFile

#: Scripts per piece of work: a few tens of milliseconds of checking.
PIECE = 24

Item = tuple["SourceFile", set[str]]
#: A script's result, with its tree and task model when the caller keeps them and there is
#: something to fix.
Outcome = tuple[FileResult, "Kept | None"]

_checker: Checker | None = None
_keep = False


def shared_out(
    checker: Checker,
    items: Sequence[Item],
    jobs: int,
    keep: bool,
    here: Callable[[SourceFile, set[str]], FileResult],
    tick: Callable[[int], None],
) -> list[Outcome]:
    """The outcome of each item, in order: `here` checks this process's share (and keeps
    what it wants kept itself: its outcomes carry no tree); `jobs - 1` workers check the rest
    and, with `keep`, send back the tree of each script with something to fix. `tick(n)` is
    called as each piece of n scripts is done (from another thread for a worker's piece)."""
    from concurrent.futures import ProcessPoolExecutor

    pieces = [items[i : i + PIECE] for i in range(0, len(items), PIECE)]
    done: list[list[Outcome] | None] = [None] * len(pieces)
    # The objects this process holds now are not the workers' garbage to look through (a
    # collection there would copy every page it touches): freeze them while they work.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=max(1, jobs - 1), initializer=_start, initargs=(checker, keep)
        ) as pool:
            futures = [pool.submit(_check_piece, piece) for piece in pieces]
            for piece, future in zip(pieces, futures, strict=True):
                future.add_done_callback(partial(_ticked, tick, len(piece)))
            for k in reversed(range(len(pieces))):
                if not futures[k].cancel():  # a worker has it: the shares have met
                    break
                done[k] = [(here(source, facts), None) for source, facts in pieces[k]]
                tick(len(pieces[k]))
            for k, future in enumerate(futures):
                if done[k] is None:
                    done[k] = future.result()
    finally:
        gc.unfreeze()
    out: list[Outcome] = []
    for piece, outcomes in zip(pieces, done, strict=True):
        assert outcomes is not None
        for (source, _facts), (result, tree) in zip(piece, outcomes, strict=True):
            if result.source is None:
                result.source = source.text  # not sent back: this process has the text
            out.append((result, tree))
    return out


def _ticked(tick: Callable[[int], None], count: int, future: Future[list[Outcome]]) -> None:
    """A worker's piece is done (this process ticks for the pieces it took back)."""
    if not future.cancelled():
        tick(count)


def _start(checker: Checker, keep: bool) -> None:
    """In a worker, once: the checker (sent once, not with every piece)."""
    global _checker, _keep
    _checker, _keep = checker, keep


def _check_piece(piece: Sequence[Item]) -> list[Outcome]:
    """In a worker: each script's result, without its text (the parent has it), with its tree
    when the parent keeps trees and the result has something to fix (the parent's safety net
    then does not parse the old text again)."""
    from tickmig.engine.jobs import Kept, fixable, parsed
    from tickmig.tasks.analysis import analyse
    from tickmig.tickscript.nodes import Script

    assert _checker is not None
    out: list[Outcome] = []
    for source, facts in piece:
        tree = parsed(source)
        plain = analyse(tree, source.path) if isinstance(tree, Script) else None
        result, _task = _checker.check(source, facts, tree, plain)
        result.source = None
        keep = _keep and isinstance(tree, Script) and fixable(result)
        out.append((result, Kept(source.text, tree, plain) if keep else None))  # type: ignore[arg-type]
    return out
