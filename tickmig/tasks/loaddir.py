"""Kapacitor's load directory: `tasks/*.tick`, `templates/*.tick`, and task definitions
(`tasks/*.yaml|yml|json`) that create a task from a template with `template-id`, `dbrps` and
`vars`: where they are, what they say, the template each fills, and the task it makes.
Definitions are read with the position of every value (tickmig.tasks.located), so that
findings can point at them and fixes can edit them in place (keys, order and layout kept)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from tickmig.tasks.located import Located, error_at, parse_located
from tickmig.tasks.model import DBRPUse, Task, Value
from tickmig.text.source import keep_folder

DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Definition:
    """One task definition file."""

    path: str
    text: str
    id: str
    template_id: str | None
    dbrps: list[tuple[Located, Located]] = field(default_factory=list)
    vars: dict[str, tuple[str | None, Located | None]] = field(default_factory=dict)
    #: A vars file for `kapacitor define -template T -vars FILE -dbrp ...`: only vars, the
    #: template is the one whose variables it fills, the DBRPs come from the command line.
    vars_only: bool = False


def load_directories(directory: str) -> list[str]:
    """The Kapacitor load directories at or below `directory`: every folder (searched as
    scripts are, version-control, cache and output folders aside) that holds a `tasks/` or a
    `vars/` folder, sorted; `directory` itself when it is a `tasks/` folder."""
    if os.path.basename(os.path.normpath(directory)) == "tasks":
        return [os.path.dirname(os.path.normpath(directory))]
    found: list[str] = []
    for root, dirs, _files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if keep_folder(root, d))
        if "tasks" in dirs or "vars" in dirs:
            found.append(root)
    return sorted(found)


def find_definitions(directory: str) -> list[str]:
    """Task definition files (`tasks/*.yaml|yml|json`) of every load directory at or below
    `directory` (or of `directory` itself when it is a `tasks/` folder), sorted."""
    found: list[str] = []
    for load_dir in load_directories(directory):
        tasks = os.path.join(load_dir, "tasks")
        if os.path.isdir(tasks):
            found += (os.path.join(tasks, f) for f in os.listdir(tasks))
    return sorted(p for p in found if p.endswith(DEFINITION_SUFFIXES))


def find_vars_files(directory: str) -> list[str]:
    """The vars files (`vars/*.json`) of every load directory at or below `directory`, sorted."""
    found: list[str] = []
    for load_dir in load_directories(directory):
        folder = os.path.join(load_dir, "vars")
        if os.path.isdir(folder):
            found += (os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".json"))
    return sorted(found)


def templates_of(definition: Definition) -> list[str]:
    """The template files of the load directory a definition or vars file belongs to."""
    folder = os.path.join(os.path.dirname(os.path.dirname(definition.path)), "templates")
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".tick"))


def template_path(definition: Definition) -> str | None:
    """`templates/<template-id>.tick` beside the definition's `tasks/` folder; for a definition
    without `template-id`, the task's own script `tasks/<id>.tick` (a task defined with
    `kapacitor define -dbrp` or with vars, as `tickmig export` writes it)."""
    tasks_dir = os.path.dirname(definition.path)
    if not definition.template_id:
        stem = os.path.splitext(os.path.basename(definition.path))[0]
        own = os.path.join(tasks_dir, stem + ".tick")
        return own if os.path.isfile(own) else None
    path = os.path.join(os.path.dirname(tasks_dir), "templates", definition.template_id + ".tick")
    return path if os.path.isfile(path) else None


def fills(definition: Definition, template: Task) -> bool:
    """True when the definition gives every template var without a default, and only vars
    the template declares (what `kapacitor define -template` requires)."""
    from tickmig.tickscript.nodes import Declaration, TypeDeclaration

    required = {s.name.name for s in template.script.statements if isinstance(s, TypeDeclaration)}
    optional = {s.name.name for s in template.script.statements if isinstance(s, Declaration)}
    given = set(definition.vars)
    return bool(required) and required <= given <= required | optional


def read_vars_file(path: str, text: str) -> Definition:
    """A vars file: a JSON object of `{"name": {"type": ..., "value": ...}}`."""
    root = parse_located(path, text)
    if not isinstance(root.value, dict):
        raise error_at(path, text, root.start, "a vars file must be a JSON object")
    stem = os.path.splitext(os.path.basename(path))[0]
    definition = Definition(path, text, stem, None, vars_only=True)
    for name, var in root.value.items():
        if isinstance(var.value, dict):
            type_ = var.value.get("type")
            definition.vars[name] = (
                str(type_.value) if type_ is not None else None,
                var.value.get("value"),
            )
    return definition


def read_definition(path: str, text: str) -> Definition:
    """Parse a task definition; raises ConfigError naming the file, line and column."""
    root = parse_located(path, text)
    if not isinstance(root.value, dict):
        raise error_at(path, text, root.start, "a task definition must be a mapping")
    data: dict[str, Located] = root.value
    stem = os.path.splitext(os.path.basename(path))[0]
    ident = data.get("id")
    template = data.get("template-id")
    definition = Definition(
        path,
        text,
        str(ident.value) if ident is not None else stem,
        str(template.value) if template is not None and template.value else None,
    )
    dbrps = data.get("dbrps")
    if dbrps is not None and isinstance(dbrps.value, list):
        for item in dbrps.value:
            if isinstance(item.value, dict) and "db" in item.value and "rp" in item.value:
                definition.dbrps.append((item.value["db"], item.value["rp"]))
    variables = data.get("vars")
    if variables is not None and isinstance(variables.value, dict):
        for name, var in variables.value.items():
            if isinstance(var.value, dict):
                type_ = var.value.get("type")
                definition.vars[name] = (
                    str(type_.value) if type_ is not None else None,
                    var.value.get("value"),
                )
    return definition


def instantiate(template: Task, definition: Definition) -> Task:
    """The task a definition creates from a template: template vars (and vars with defaults
    the definition overrides) take the definition's values, located in the definition file,
    and the definition's `dbrps` are the task's DBRPs."""

    def value(v: Value) -> Value:
        if v.var is None or v.var not in definition.vars:
            return v
        _type, located = definition.vars[v.var]
        if located is None or not isinstance(located.value, str):
            return Value("template", None, definition.path, 0, 0, var=v.var)
        return Value(
            "template", located.value, definition.path, located.start, located.end, var=v.var
        )

    def use(u: DBRPUse) -> DBRPUse:
        return replace(u, database=value(u.database), retention_policy=value(u.retention_policy))

    task = replace(template, definition=definition.path)
    task.reads = [use(u) for u in template.reads]
    task.writes = [use(u) for u in template.writes]
    task.dbrps = [use(u) for u in template.dbrps]
    for db, rp in definition.dbrps:
        task.dbrps.append(
            DBRPUse(
                "read",
                "task-dbrps",
                Value("template", str(db.value), definition.path, db.start, db.end),
                Value("template", str(rp.value), definition.path, rp.start, rp.end),
                definition.path,
                db.start,
                rp.end,
            )
        )
    task.reads.extend(_template_queries(template, definition))
    task.template = False
    return task


def _template_queries(template: Task, definition: Definition) -> list[DBRPUse]:
    """FROM sources of `query(var)` where the definition supplies the query text. They are
    known but not editable in place (they sit inside a JSON/YAML string)."""
    from tickmig.influxql.lexer import InfluxQLError
    from tickmig.influxql.parser import parse_query
    from tickmig.tickscript.nodes import Identifier

    uses: list[DBRPUse] = []
    for node in template.nodes:
        call = node.call
        if node.name != "query" or call is None or len(call.args) != 1:
            continue
        arg = call.args[0]
        if not isinstance(arg, Identifier) or arg.name not in definition.vars:
            continue
        _type, located = definition.vars[arg.name]
        if located is None or not isinstance(located.value, str):
            continue
        try:
            query = parse_query(located.value)
        except InfluxQLError:
            continue
        for index, source in enumerate(query.sources):
            uses.append(
                DBRPUse(
                    "read",
                    "query",
                    _query_value(source.database, definition.path, located, arg.name),
                    _query_value(source.retention_policy, definition.path, located, arg.name),
                    definition.path,
                    located.start,
                    located.end,
                    measurement=source.measurement.value if source.measurement else None,
                    source_index=index,
                    query=located.value,
                    node=call,
                )
            )
    return uses


def _query_value(ident: object, path: str, located: Located, var: str) -> Value:
    text = getattr(ident, "value", None) or None
    if text is None:
        return Value("unset", None, path, located.start, located.end, var=var)
    return Value("expression", text, path, located.start, located.end, var=var)
