"""What an export holds: tasks and templates as Kapacitor defines them (raw script, type,
dbrps, vars, template id, status), their content hashes, and the manifest that keeps the
exported state (the baseline `apply` compares with and `apply --rollback` restores)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from tickmig.errors import ConfigError

MANIFEST = "manifest.json"
FORMAT = "tickmig-kapacitor-export/1"
# services/task_store/service.go validTaskID: ^[-\._\p{L}0-9]+$
VALID_ID = re.compile(r"^[-._0-9\w]+$")


def check_id(kind: str, ident: str) -> str:
    """Task and template IDs become file names: only what Kapacitor accepts, never `.`/`..`."""
    if not VALID_ID.match(ident) or ident in (".", ".."):
        raise ConfigError(
            f"Kapacitor sent a {kind} ID tickmig cannot use as a file name: {ident!r}"
        )
    return ident


@dataclass
class TaskDef:
    """One task as Kapacitor holds it (`client/v1/client.go` Task)."""

    id: str
    type: str
    script: str
    dbrps: list[dict[str, str]]
    vars: dict[str, Any]
    template_id: str
    status: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TaskDef:
        try:
            return cls(
                id=check_id("task", str(data["id"])),
                type=str(data.get("type") or ""),
                script=str(data.get("script") or ""),
                dbrps=[{"db": str(d["db"]), "rp": str(d["rp"])} for d in data.get("dbrps") or []],
                vars=dict(data.get("vars") or {}),
                template_id=str(data.get("template-id") or ""),
                status=str(data.get("status") or ""),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"Kapacitor sent a task tickmig cannot read ({exc!r})") from None

    def state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "script": self.script,
            "dbrps": self.dbrps,
            "vars": self.vars,
            "template-id": self.template_id,
            "status": self.status,
        }

    def digest(self) -> str:
        return digest(self.state())


@dataclass
class TemplateDef:
    id: str
    type: str
    script: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TemplateDef:
        try:
            return cls(
                id=check_id("template", str(data["id"])),
                type=str(data.get("type") or ""),
                script=str(data.get("script") or ""),
            )
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"Kapacitor sent a template tickmig cannot read ({exc!r})") from None

    def state(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "script": self.script}

    def digest(self) -> str:
        return digest(self.state())


def digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def script_dbrps(script: str) -> list[dict[str, str]] | None:
    """The `dbrp` statements of a script, as Kapacitor's dbrpsFromProgram reads them
    (`services/task_store/util.go`); None when the script does not parse."""
    from tickmig.errors import TickSyntaxError
    from tickmig.tickscript.nodes import DBRP
    from tickmig.tickscript.parser import parse

    try:
        parsed = parse(script)
    except TickSyntaxError:
        return None
    return [{"db": s.db.name, "rp": s.rp.name} for s in parsed.statements if isinstance(s, DBRP)]


@dataclass
class Manifest:
    """`manifest.json`: the exported objects in full (the baseline) and their hashes."""

    tasks: dict[str, TaskDef] = field(default_factory=dict)
    templates: dict[str, TemplateDef] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 of its bytes
    handlers: list[dict[str, Any]] = field(default_factory=list)
    influxdb: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "tasks": {
                i: {**t.state(), "sha256": t.digest()} for i, t in sorted(self.tasks.items())
            },
            "templates": {
                i: {
                    **t.state(),
                    "sha256": t.digest(),
                    "tasks": sorted(k for k, v in self.tasks.items() if v.template_id == i),
                }
                for i, t in sorted(self.templates.items())
            },
            "handlers": [{**h, "sha256": digest(h)} for h in self.handlers],
            "influxdb": self.influxdb,
            "files": dict(sorted(self.files.items())),
        }

    @classmethod
    def read(cls, directory: str) -> Manifest:
        path = os.path.join(directory, MANIFEST)
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the export manifest: {exc.strerror}") from None
        except ValueError as exc:
            raise ConfigError(f"{path}: not a tickmig export manifest: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(f"{path}: not a tickmig export manifest (format {FORMAT!r})")
        manifest = cls(handlers=list(data.get("handlers") or []), influxdb=data.get("influxdb"))
        for ident, t in (data.get("tasks") or {}).items():
            task = TaskDef.from_api(t)
            if task.digest() != t.get("sha256") or ident != task.id:
                raise ConfigError(f"{path}: task {ident!r} does not match its hash")
            manifest.tasks[ident] = task
        for ident, t in (data.get("templates") or {}).items():
            template = TemplateDef.from_api(t)
            if template.digest() != t.get("sha256") or ident != template.id:
                raise ConfigError(f"{path}: template {ident!r} does not match its hash")
            manifest.templates[ident] = template
        manifest.files = dict(data.get("files") or {})
        return manifest


def dump_json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()
