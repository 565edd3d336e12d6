"""The task model as a run keeps it once the rules have run on it (`check_paths(keep_tasks=True)`
for the migration model and the report): everything the model, the proof and the report read
(the task's type, its DBRP uses and their values, where the points of each write come from, its
features, its pipeline nodes with their names, calls and properties), without the syntax tree
those hang from. A report of thousands of scripts would otherwise hold every file's tree: about
three quarters of a task model's memory.

What is left of the tree: the script's text and comment tokens (what `// tickmig: ignore`
comments need); each call (a pipeline node, a feature's, a use's node) with its
kind, name and span, without arguments; of a node's properties only those some reader looks at
(KEPT_PROPERTIES), with their leaf arguments (names, strings, numbers, ...; an expression is a
bare `Node` with its span); the statement-level chain of each node, a bare `Node` with its span.
The same call or chain of the original is the same object in the kept model (`node.call is
use.node` still holds). Nothing in the kept model can be analysed again or fixed: the rules
and the flow analysis (tickmig.tasks.flow.annotate) run on the full model before it is kept.
Names are interned: thousands of tasks share one `"from"`. What only the rules' fixes read (the
offsets of var references and of arguments) is left empty (the offsets read-only). A kept
model pickles (a worker process of `-j N` sends it back)."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import cast

from tickmig.tasks.model import DBRPUse, Feature, PipelineNode, PointSource, Task, method_key
from tickmig.tickscript.nodes import LEAVES, Call, Node, Script

#: The properties a kept pipeline node still has (with their leaf arguments), by method key:
#: those the readers of kept models look at (tickmig.report.facts: a `from()`'s measurement
#: named by a template var, a `queryFlux()`'s cluster). Add a name here for a new reader.
KEPT_PROPERTIES = frozenset({"Measurement", "Cluster"})


_NO_OFFSETS = cast("set[int]", frozenset())


def kept(task: Task) -> Task:
    """`task` without its syntax tree (see the module's docstring); `task` is not changed."""
    return _Keeper().task(task)


class _Keeper:
    def __init__(self) -> None:
        self._nodes: dict[int, Node] = {}
        self._uses: dict[int, DBRPUse] = {}

    def task(self, task: Task) -> Task:
        script = task.script
        return replace(
            task,
            # the text and its comments stay: `// tickmig: ignore[...]` (engine.suppression)
            # silences findings made from a kept model too (TM130)
            script=Script(
                script.start, script.end, script.pos, (), (), script.source, (), script.comments
            ),
            dbrps=[self.use(u) for u in task.dbrps],
            reads=[self.use(u) for u in task.reads],
            writes=[self.use(u) for u in task.writes],
            features=[Feature(f.name, self.call(f.call), f.argument) for f in task.features],
            # what only the rules' fixes read: empty (a kept model is not fixed)
            var_refs={},
            dbrp_arguments=_NO_OFFSETS,
            query_arguments=_NO_OFFSETS,
            nodes=[
                PipelineNode(
                    sys.intern(n.name),
                    None if n.call is None else self.call(n.call),
                    tuple(
                        self.call(p) for p in n.properties if method_key(p.name) in KEPT_PROPERTIES
                    ),
                    self.bare(n.chain),
                )
                for n in task.nodes
            ],
        )

    def use(self, use: DBRPUse) -> DBRPUse:
        done = self._uses.get(id(use))
        if done is None:
            done = replace(
                use,
                node=None if use.node is None else self.call(use.node),
                points=None if use.points is None else self.points(use.points),
            )
            self._uses[id(use)] = done
        return done

    def points(self, points: PointSource) -> PointSource:
        return replace(points, reads=tuple(self.use(u) for u in points.reads))

    def call(self, call: Call) -> Call:
        done = self._nodes.get(id(call))
        if done is None:
            kept_args = call.kind == "property" and method_key(call.name) in KEPT_PROPERTIES
            args = call.args if kept_args else ()
            done = Call(
                call.start,
                call.end,
                call.pos,
                call.kind,
                sys.intern(call.name),
                tuple(a if isinstance(a, LEAVES) else self.bare(a) for a in args),
                call.multiline,
            )
            self._nodes[id(call)] = done
        assert isinstance(done, Call)
        return done

    def bare(self, node: Node) -> Node:
        done = self._nodes.get(id(node))
        if done is None:
            done = self._nodes[id(node)] = Node(node.start, node.end, node.pos)
        return done
