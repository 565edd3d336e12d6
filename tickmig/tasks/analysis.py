"""Builds the task model (tickmig.tasks.model) from a parsed script: the task type as Kapacitor
decides it, the pipeline nodes, the DBRPs read and written with the provenance of each value,
and the features that behave differently against InfluxDB 2."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from tickmig.influxql.lexer import InfluxQLError
from tickmig.influxql.parser import parse_query
from tickmig.tasks.model import DBRPUse, Feature, PipelineNode, Task, TaskType, Value, method_key
from tickmig.tickscript.nodes import DBRP as DBRPStatement
from tickmig.tickscript.nodes import (
    Binary,
    Call,
    Chain,
    Declaration,
    Identifier,
    Node,
    Paren,
    Reference,
    Script,
    String,
    TypeDeclaration,
)

#: Features flagged against InfluxDB 2: (pipeline node, property) -> feature name.
#: Keys are method_key() spellings, as Kapacitor matches them (`|InfluxDBOut().Create()`).
FEATURE_PROPERTIES = {
    ("InfluxDBOut", "Create"): "create",
    ("InfluxDBOut", "Precision"): "precision",
    ("InfluxDBOut", "WriteConsistency"): "writeConsistency",
    ("InfluxDBOut", "Cluster"): "cluster",
    ("Query", "Cluster"): "cluster",
    ("QueryFlux", "Cluster"): "cluster",
}


def task_type(script: Script) -> tuple[TaskType, str]:
    """Kapacitor's rule (services/task_store/util.go taskTypeFromProgram): the leftmost
    identifier of every top-level declaration value and chain statement; those that are
    `stream` or `batch` must agree, and there must be one."""
    found: list[str] = []
    for statement in script.statements:
        if isinstance(statement, Declaration):
            node: Node = _unparen(statement.value)
        elif isinstance(statement, Chain):
            node = _unparen(statement.left)
        else:
            continue
        while isinstance(node, Chain):
            node = _unparen(node.left)
        if isinstance(node, Identifier) and node.name in ("stream", "batch"):
            found.append(node.name)
    if not found:
        return "invalid", "invalid task type: the script starts no pipeline at stream or batch"
    if len(set(found)) > 1:
        return "invalid", "invalid task type: the script uses both stream and batch"
    return ("stream" if found[0] == "stream" else "batch"), ""


def _unparen(node: Node) -> Node:
    while isinstance(node, Paren):
        node = node.expression
    return node


def declarations(script: Script) -> dict[str, Declaration | TypeDeclaration]:
    """Top-level `var` statements by name (the first one: Kapacitor refuses redefinitions)."""
    out: dict[str, Declaration | TypeDeclaration] = {}
    for statement in script.statements:
        if isinstance(statement, (Declaration, TypeDeclaration)):
            out.setdefault(statement.name.name, statement)
    return out


def chain_roots(script: Script) -> Iterator[Chain]:
    """Every chain that is not the left part of a longer chain, in source order."""
    lefts = {id(n.left) for n in script.walk() if isinstance(n, Chain)}
    for node in script.walk():
        if isinstance(node, Chain) and id(node) not in lefts:
            yield node


def pipeline_nodes(script: Script) -> list[PipelineNode]:
    """The pipeline nodes of every chain: `|x()` and `@x()` start a node, `.x()` adds a
    property to the current one (the chain's head when none was started)."""
    out: list[PipelineNode] = []
    for root in chain_roots(script):
        links: list[tuple[str, Node]] = []
        node: Node = root
        while isinstance(node, Chain):
            links.append((node.op, node.right))
            node = _unparen(node.left)
        head = node
        current_name = head.name if isinstance(head, (Identifier, Call)) else "?"
        current_call = head if isinstance(head, Call) else None
        props: list[Call] = []
        for op, right in reversed(links):
            if op in "|@" and isinstance(right, Call):
                out.append(PipelineNode(current_name, current_call, tuple(props), root))
                current_name, current_call, props = right.name, right, []
            elif isinstance(right, Call):
                props.append(right)
        out.append(PipelineNode(current_name, current_call, tuple(props), root))
    return out


class _Values:
    """Follows a value to where it is written: a literal, a var, a template var."""

    def __init__(self, script: Script, path: str) -> None:
        self.path = path
        self.decls = declarations(script)

    def of(self, node: Node | None, at: int) -> Value:
        if node is None:
            return Value("unset", None, self.path, at, at)
        value = self._follow(node, set())
        bare = _unparen(node)
        if isinstance(bare, Identifier) and value.var is not None:
            value = replace(value, site=(bare.start, bare.end))
        return value

    def _follow(self, node: Node, seen: set[str]) -> Value:
        node = _unparen(node)
        match node:
            case String(value=value) | Reference(name=value):
                return Value("literal", value, self.path, node.start, node.end)
            case Identifier(name=name):
                decl = self.decls.get(name)
                if isinstance(decl, TypeDeclaration):
                    return Value(
                        "template",
                        None,
                        self.path,
                        decl.start,
                        decl.end,
                        var=name,
                        declaration=(decl.start, decl.end),
                    )
                if isinstance(decl, Declaration) and name not in seen:
                    inner = self._follow(decl.value, seen | {name})
                    if inner.kind == "literal":
                        return Value(
                            "var",
                            inner.text,
                            self.path,
                            inner.start,
                            inner.end,
                            var=name,
                            declaration=(decl.start, decl.end),
                        )
                    return inner
                return Value("unknown", None, self.path, node.start, node.end, var=name)
            case Binary(op="+", left=left, right=right):
                a, b = self._follow(left, seen), self._follow(right, seen)
                text = a.text + b.text if a.text is not None and b.text is not None else None
                return Value("expression", text, self.path, node.start, node.end)
        return Value("unknown", None, self.path, node.start, node.end)


def analyse(script: Script, path: str) -> Task:
    """The task model of one script."""
    kind, reason = task_type(script)
    task = Task(
        path,
        script,
        kind,
        reason,
        template=any(isinstance(s, TypeDeclaration) for s in script.statements),
    )
    values = _Values(script, path)
    for statement in script.statements:
        if isinstance(statement, DBRPStatement):
            task.dbrps.append(
                DBRPUse(
                    "read",
                    "dbrp",
                    Value("literal", statement.db.name, path, statement.db.start, statement.db.end),
                    Value("literal", statement.rp.name, path, statement.rp.start, statement.rp.end),
                    path,
                    statement.start,
                    statement.end,
                )
            )
    task.nodes = pipeline_nodes(script)
    for pnode in task.nodes:
        _analyse_node(task, pnode, values)
    _var_references(task, values)
    from tickmig.tasks.flow import annotate

    annotate(task)
    return task


def _var_references(task: Task, values: _Values) -> None:
    """Where each var is referred to, and which references are plain DBRP arguments."""
    names = set(values.decls)
    declared_at = {d.name.start for d in values.decls.values()} | {
        d.type.start for d in values.decls.values() if isinstance(d, TypeDeclaration)
    }
    for node in task.script.walk():
        if isinstance(node, Identifier) and node.name in names and node.start not in declared_at:
            task.var_refs.setdefault(node.name, []).append(node.start)
        elif (
            isinstance(node, Call)
            and node.kind == "property"
            and method_key(node.name) in ("Database", "RetentionPolicy")
        ):
            for arg in node.args:
                arg = _unparen(arg)
                if isinstance(arg, Identifier):
                    task.dbrp_arguments.add(arg.start)
        elif (
            isinstance(node, Call)
            and node.kind == "chain"
            and method_key(node.name) == "Query"
            and len(node.args) == 1
        ):
            arg = _unparen(node.args[0])
            if isinstance(arg, Identifier):
                task.query_arguments.add(arg.start)


def _arg(call: Call | None) -> Node | None:
    return call.args[0] if call is not None and call.args else None


def _analyse_node(task: Task, pnode: PipelineNode, values: _Values) -> None:
    name = method_key(pnode.name)
    call = pnode.call
    for prop in pnode.properties:
        feature = FEATURE_PROPERTIES.get((name, method_key(prop.name)))
        if feature is not None:
            arg = _arg(prop)
            task.features.append(
                Feature(feature, prop, values.of(arg, prop.end) if arg is not None else None)
            )
    if call is None:
        return
    if name in ("InfluxDBOut", "KapacitorLoopback", "From"):
        db_call, rp_call = pnode.property("database"), pnode.property("retentionPolicy")
        anchor = (db_call or call).end
        measurement = values.of(_arg(pnode.property("measurement")), call.end)
        use = DBRPUse(
            "read" if name == "From" else "write",
            "from"
            if name == "From"
            else ("influxDBOut" if name == "InfluxDBOut" else "kapacitorLoopback"),
            values.of(_arg(db_call), call.end),
            values.of(_arg(rp_call), anchor),
            task.path,
            pnode.chain.start,
            pnode.chain.end,
            measurement=measurement.text,
            node=call,
        )
        if name == "From":
            task.reads.append(use)
        else:
            task.writes.append(use)
        if name == "KapacitorLoopback":
            task.features.append(Feature("kapacitorLoopback", call))
    elif name == "QueryFlux":
        task.features.append(Feature("queryFlux", call))
    elif name == "Query":
        _analyse_query(task, call, values)


def _analyse_query(task: Task, call: Call, values: _Values) -> None:
    arg = _arg(call)
    query = values.of(arg, call.end)
    if query.text is None:
        return
    try:
        parsed = parse_query(query.text)
    except InfluxQLError:
        return
    if parsed.into is not None:
        task.features.append(Feature("selectInto", call, query))
    string = _string_node(task.script, query)
    for index, source in enumerate(parsed.sources):
        task.reads.append(
            DBRPUse(
                "read",
                "query",
                _query_part(source.database, query, string, source.start),
                _query_part(source.retention_policy, query, string, source.start),
                task.path,
                call.start,
                call.end,
                measurement=source.measurement.value if source.measurement else None,
                source_index=index,
                query=query.text,
                node=call,
            )
        )


def _string_node(script: Script, value: Value) -> String | None:
    for node in script.walk():
        if isinstance(node, String) and node.start == value.start and node.end == value.end:
            return node
    return None


def _query_part(ident: object, query: Value, string: String | None, at: int) -> Value:
    """A database or retention-policy part of a FROM source, with its span in the script."""
    from tickmig.influxql.query import Ident

    if string is None:  # not a plain string literal (a template var...): no editable place
        text = ident.value if isinstance(ident, Ident) and ident.value else None
        return Value(
            "unknown" if text is None else "expression", text, query.path, query.start, query.end
        )
    if not isinstance(ident, Ident):
        offset = string_offset(string, at)
        return Value(
            "unset", None, query.path, offset, offset, var=query.var, declaration=query.declaration
        )
    start, end = string_offset(string, ident.start), string_offset(string, ident.end)
    if not ident.value:
        return Value(
            "unset", None, query.path, start, end, var=query.var, declaration=query.declaration
        )
    return Value(
        query.kind,
        ident.value,
        query.path,
        start,
        end,
        var=query.var,
        declaration=query.declaration,
    )


def string_offset(node: String, index: int) -> int:
    """The script offset of character `index` of a string literal's value (escapes counted)."""
    if node.triple:
        return node.start + 3 + index
    raw = node.raw
    i, seen = 1, 0
    while seen < index and i < len(raw) - 1:
        i += 2 if raw.startswith("\\'", i) else 1
        seen += 1
    return node.start + i
