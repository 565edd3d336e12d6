"""Kapacitor's load directory: `tasks/*.tick`, `templates/*.tick`, and task definitions
(`tasks/*.yaml|yml|json`) that create a task from a template with `template-id`, `dbrps` and
`vars`. Definitions are read with the position of every value, so that findings can point
at them and fixes can edit them in place (keys, order and layout kept)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

from tickmig.errors import ConfigError
from tickmig.tasks.model import DBRPUse, Task, Value

DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Located:
    """A JSON/YAML value with its span in the file (0-based character offsets)."""

    value: Any
    start: int
    end: int


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


def find_definitions(directory: str) -> list[str]:
    """Task definition files of a load directory (`tasks/` below `directory`, or `directory`
    itself when it is a `tasks/` folder), sorted."""
    tasks = (
        directory
        if os.path.basename(os.path.normpath(directory)) == "tasks"
        else (os.path.join(directory, "tasks"))
    )
    if not os.path.isdir(tasks):
        return []
    return sorted(
        os.path.join(tasks, f) for f in os.listdir(tasks) if f.endswith(DEFINITION_SUFFIXES)
    )


def find_vars_files(directory: str) -> list[str]:
    """The vars files (`vars/*.json`) of a load directory, sorted."""
    folder = os.path.join(directory, "vars")
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".json"))


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
        raise _error(path, text, root.start, "a vars file must be a JSON object")
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
        raise _error(path, text, root.start, "a task definition must be a mapping")
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


# --- reading JSON and YAML with positions -------------------------------------------------


#: The most values one task definition may hold once YAML aliases are expanded: a small
#: document whose aliases nest (an "alias bomb") would otherwise take gigabytes (issue 11).
MAX_NODES = 100_000


def parse_located(path: str, text: str) -> Located:
    try:
        if path.endswith(".json"):
            return _JSON(path, text).document()
        return _yaml_located(path, text)
    except RecursionError:
        raise _error(path, text, 0, "nested too deeply to read") from None


def _error(path: str, text: str, offset: int, message: str) -> ConfigError:
    from tickmig.text.spans import LineIndex

    line, column = LineIndex(text).line_column(offset)
    return ConfigError(f"{path}:{line}:{column}: {message}")


class _JSON:
    """A small JSON reader that keeps the span of every value."""

    _NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
    _WS = re.compile(r"[ \t\r\n]*")

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text, self.pos = path, text, 0

    def fail(self, message: str) -> ConfigError:
        return _error(self.path, self.text, self.pos, message)

    def skip(self) -> None:
        m = self._WS.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos

    def document(self) -> Located:
        self.skip()
        value = self.value()
        self.skip()
        if self.pos != len(self.text):
            raise self.fail("extra data after the JSON value")
        return value

    def value(self) -> Located:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("unexpected end of JSON, expected a value")
        ch, start = self.text[self.pos], self.pos
        if ch == "{":
            return self.obj()
        if ch == "[":
            return self.array()
        if ch == '"':
            return Located(self.string(), start, self.pos)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return Located(val, start, self.pos)
        m = self._NUMBER.match(self.text, self.pos)
        if m is None:
            raise self.fail(f"unexpected {ch!r}, expected a JSON value")
        self.pos = m.end()
        return Located(json.loads(m.group()), start, self.pos)

    def string(self) -> str:
        try:
            value, end = json.decoder.scanstring(self.text, self.pos + 1)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            self.pos = exc.pos
            raise self.fail(exc.msg) from None
        self.pos = end
        return str(value)

    def expect(self, ch: str) -> None:
        self.skip()
        if not self.text.startswith(ch, self.pos):
            raise self.fail(f"expected {ch!r}")
        self.pos += 1

    def obj(self) -> Located:
        start = self.pos
        self.pos += 1
        out: dict[str, Located] = {}
        self.skip()
        if self.text.startswith("}", self.pos):
            self.pos += 1
            return Located(out, start, self.pos)
        while True:
            self.skip()
            if not self.text.startswith('"', self.pos):
                raise self.fail("expected a string key")
            key = self.string()
            self.expect(":")
            out[key] = self.value()
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            self.expect("}")
            return Located(out, start, self.pos)

    def array(self) -> Located:
        start = self.pos
        self.pos += 1
        items: list[Located] = []
        self.skip()
        if self.text.startswith("]", self.pos):
            self.pos += 1
            return Located(items, start, self.pos)
        while True:
            items.append(self.value())
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            self.expect("]")
            return Located(items, start, self.pos)


def _yaml_located(path: str, text: str) -> Located:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        offset = mark.index if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise _error(path, text, offset, f"invalid YAML: {problem}") from None
    if node is None:
        return Located(None, 0, 0)
    constructor = yaml.SafeLoader("")
    budget = [MAX_NODES]

    def convert(n: Any) -> Located:
        budget[0] -= 1
        if budget[0] < 0:
            raise _error(
                path,
                text,
                n.start_mark.index,
                f"YAML aliases expand to more than {MAX_NODES} values; "
                "tickmig does not read such a task definition",
            )
        start, end = n.start_mark.index, n.end_mark.index
        if isinstance(n, yaml.MappingNode):
            return Located(
                {str(constructor.construct_object(k)): convert(v) for k, v in n.value}, start, end
            )
        if isinstance(n, yaml.SequenceNode):
            return Located([convert(v) for v in n.value], start, end)
        return Located(constructor.construct_object(n), start, end)

    return convert(node)


def scalar_text(path: str, written: str, new: str) -> str:
    """`new` written the way the scalar `written` was (JSON string; YAML plain, single- or
    double-quoted), for an in-place edit of a task definition."""
    if path.endswith(".json") or written.startswith('"'):
        return json.dumps(new, ensure_ascii=False)
    if written.startswith("'"):
        return "'" + new.replace("'", "''") + "'"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_./-]*", new):
        return new
    return json.dumps(new, ensure_ascii=False)
