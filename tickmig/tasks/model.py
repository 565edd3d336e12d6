"""The task model: what one TICKscript task is (stream, batch, template, invalid), which
database/retention-policy pairs it reads and writes, where each of those values comes from,
and which of its features behave differently against InfluxDB 2. Built by tickmig.tasks.analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from tickmig.tickscript.nodes import Call, Node, Script

if TYPE_CHECKING:
    from tickmig.tasks.delivery import Delivery

TaskType = Literal["stream", "batch", "invalid"]
ValueKind = Literal["literal", "var", "template", "expression", "unset", "unknown"]
Direction = Literal["read", "write"]
Via = Literal[
    "dbrp", "task-dbrps", "command-line", "from", "query", "influxDBOut", "kapacitorLoopback"
]
PointKind = Literal["point", "empty", "mixed", "unknown"]


@dataclass(frozen=True)
class Value:
    """Where a string value (a database or retention-policy name) comes from.

    * literal: written at `path[start:end]` in the use itself (a string or reference);
    * var: written in a `var` declaration (`var`, `declaration` span) at `path[start:end]`;
    * template: a template variable (`var name type`, or a var a task definition overrides);
      `path[start:end]` is the value in the task definition when one supplies it;
    * expression: computed (e.g. `'tele' + 'graf'`): `text` may be known, but no one place
      can be edited;
    * unset: not written at all (`start == end` is where it could be inserted);
    * unknown: something tickmig cannot follow.
    """

    kind: ValueKind
    text: str | None
    path: str
    start: int
    end: int
    var: str | None = None
    declaration: tuple[int, int] | None = None
    #: For a value reached through a var: the span of the var's name at the use.
    site: tuple[int, int] | None = None

    @property
    def known(self) -> bool:
        return self.text is not None


@dataclass(frozen=True)
class PointSource:
    """What database and retention policy the points reaching a node carry (see
    tickmig.tasks.flow, which cites Kapacitor's code):

    * point: each point keeps the db/rp its writer sent (stream `from()` followed only by
      nodes that pass points on); `reads` are the `from()` uses they came through;
    * empty: batches, or new points built with an empty db/rp (batch tasks, window,
      aggregates, selectors, join, ...); `cause` names the node;
    * mixed: a union of both;
    * unknown: a UDF, or something tickmig cannot follow (`cause`, `reason` say what).
    """

    kind: PointKind
    #: The node names from the source to the node (`stream`, `from`, `where`, ...).
    path: tuple[str, ...]
    cause: str | None
    reads: tuple[DBRPUse, ...]
    reason: str


@dataclass(frozen=True)
class DBRPUse:
    """One place a task reads or writes a (database, retention policy) pair."""

    direction: Direction
    via: Via
    database: Value
    retention_policy: Value
    path: str
    start: int
    end: int
    measurement: str | None = None
    #: For `query` uses: the index of the FROM source within the query, and the query text.
    source_index: int | None = None
    query: str | None = None
    #: The pipeline node the use belongs to (influxDBOut, from, query), if any.
    node: Call | None = None
    #: For writes: what db/rp the points reaching the node carry (tickmig.tasks.flow).
    points: PointSource | None = None


@dataclass(frozen=True)
class Feature:
    """A construct that behaves differently against InfluxDB 2 (see tickmig.rules)."""

    name: str
    call: Call
    argument: Value | None = None


def method_key(name: str) -> str:
    """Kapacitor finds methods by upper-casing only the first letter of the name."""
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class PipelineNode:
    """A pipeline node (`|name()` or `@name()`, or the source identifier) and its
    properties (`.name()` calls that apply to it), in source order."""

    name: str
    call: Call | None
    properties: tuple[Call, ...]
    #: The statement-level chain the node belongs to.
    chain: Node

    def property(self, name: str) -> Call | None:
        """The last `.name(...)` call on this node (the one Kapacitor keeps)."""
        found = None
        for prop in self.properties:
            if method_key(prop.name) == method_key(name):
                found = prop
        return found


@dataclass
class Task:
    path: str
    script: Script
    type: TaskType
    #: Why the type is invalid (Kapacitor's message), or "".
    reason: str = ""
    #: True when the script declares template variables without values (`var x string`).
    template: bool = False
    dbrps: list[DBRPUse] = field(default_factory=list)
    reads: list[DBRPUse] = field(default_factory=list)
    writes: list[DBRPUse] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)
    nodes: list[PipelineNode] = field(default_factory=list)
    #: The task definition (load directory YAML/JSON) this task was instantiated from.
    definition: str | None = None
    #: Start offsets of the identifiers that refer to each top-level var.
    var_refs: dict[str, list[int]] = field(default_factory=dict)
    #: Start offsets of identifiers passed straight to .database()/.retentionPolicy().
    dbrp_arguments: set[int] = field(default_factory=set)
    #: Start offsets of identifiers passed straight as the query of a `|query()` node.
    query_arguments: set[int] = field(default_factory=set)

    @property
    def kind(self) -> str:
        """Kapacitor's classification: stream, batch, template or invalid."""
        if self.template and self.type != "invalid":
            return "template"
        return self.type

    @property
    def delivery(self) -> Delivery:
        """How the migrated task reaches Kapacitor (tickmig.tasks.delivery)."""
        from tickmig.tasks.delivery import delivery_of

        return delivery_of(self)

    def uses(self) -> list[DBRPUse]:
        return [*self.dbrps, *self.reads, *self.writes]
