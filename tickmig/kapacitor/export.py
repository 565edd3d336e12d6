"""`tickmig export`: every task, template, topic handler and the `[[influxdb]]` config of a
running Kapacitor, written as a Kapacitor load directory plus `manifest.json`.

Layout (`services/load/service.go` reads `tasks/`, `templates/`, `handlers/`):

* `tasks/<id>.tick`: a task's raw script (asked for with `script-format=raw`: the default
  answer is reformatted by `tick.Format`, comments moved);
* `tasks/<id>.yaml`: the task definition (`client/v1` TaskVars: id, template-id, dbrps, vars)
  of a templated task, of a task whose DBRPs were given outside the script (`-dbrp`), and of
  a task defined with vars;
* `templates/<id>.tick`, `handlers/<topic>.<id>.yaml` (TopicHandlerOptions);
* `config/influxdb.json`: the `[[influxdb]]` section as the config API serves it (the file
  merged with the overrides stored through the API, which beat kapacitor.conf; secrets are
  redacted by Kapacitor);
* `manifest.json`: every object in full with its content hash (what `apply` compares with).

The same server state always gives the same bytes, and the directory appears whole or not
at all (built beside the target, then renamed)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from typing import Any

from tickmig.errors import ConfigError
from tickmig.kapacitor.client import Client
from tickmig.kapacitor.model import Manifest, TaskDef, TemplateDef, digest, dump_json, script_dbrps


def definition_needed(task: TaskDef, templates: dict[str, TemplateDef]) -> bool:
    """A YAML definition is written for templated tasks, tasks whose DBRPs are not in the
    script, and tasks with vars."""
    return bool(task.template_id or task.vars or dbrps_outside(task, templates))


def dbrps_outside(task: TaskDef, templates: dict[str, TemplateDef]) -> bool:
    """True when the task's DBRPs were given beside the script (`define -dbrp`, `dbrps`)."""
    script = templates[task.template_id].script if task.template_id in templates else task.script
    found = script_dbrps(script)
    if found is None:  # does not parse here: trust Kapacitor's list
        return bool(task.dbrps) and not re.search(r"(?m)^\s*dbrp\s", script)
    return not found and bool(task.dbrps)


def definition_yaml(task: TaskDef, templates: dict[str, TemplateDef]) -> bytes:
    data: dict[str, Any] = {"id": task.id}
    if task.template_id:
        data["template-id"] = task.template_id
    if dbrps_outside(task, templates):
        data["dbrps"] = task.dbrps
    if task.vars:
        data["vars"] = {k: task.vars[k] for k in sorted(task.vars)}
    return yaml_bytes(data)


def yaml_bytes(data: Any) -> bytes:
    import yaml

    text = yaml.safe_dump(
        data, sort_keys=False, default_flow_style=False, allow_unicode=True, width=1 << 16
    )
    return text.encode("utf-8")


def handler_file(handler: dict[str, Any]) -> str:
    def safe(text: str) -> str:
        return re.sub(r"[^-_.A-Za-z0-9]", lambda m: f"%{ord(m.group()):02X}", text)

    return f"handlers/{safe(handler['topic'])}.{safe(handler['id'])}.yaml"


def build(client: Client, kapacitor_conf: str | None = None) -> tuple[dict[str, bytes], Manifest]:
    """The export's files (relative path -> bytes) and its manifest; with `kapacitor_conf`,
    the manifest says what the config API overrides in `[[influxdb]]`."""
    templates = {t.id: t for t in (TemplateDef.from_api(x) for x in client.templates())}
    tasks = {t.id: t for t in (TaskDef.from_api(x) for x in client.tasks())}
    manifest = Manifest(tasks=tasks, templates=templates)
    files: dict[str, bytes] = {}
    for ident, template in sorted(templates.items()):
        files[f"templates/{ident}.tick"] = template.script.encode("utf-8")
    for ident, task in sorted(tasks.items()):
        if task.template_id and task.template_id not in templates:
            raise ConfigError(f"task {ident!r} names template {task.template_id!r}, not listed")
        if not task.template_id:
            files[f"tasks/{ident}.tick"] = task.script.encode("utf-8")
        if definition_needed(task, templates):
            files[f"tasks/{ident}.yaml"] = definition_yaml(task, templates)
    handlers = sorted(client.handlers(), key=lambda h: (h["topic"], h["id"]))
    for handler in handlers:
        path = handler_file(handler)
        if path in files:
            raise ConfigError(f"two topic handlers would be written to {path}")
        files[path] = yaml_bytes(handler)
    manifest.handlers = handlers
    config = client.influxdb_config()
    if config is not None:
        files["config/influxdb.json"] = dump_json(config)
        manifest.influxdb = {"file": "config/influxdb.json", "sha256": digest(config)}
        if kapacitor_conf is not None:
            from tickmig.kapacitor.overrides import influxdb_overrides

            manifest.influxdb["overrides"] = influxdb_overrides(kapacitor_conf, config)
    manifest.files = {p: "sha256:" + hashlib.sha256(b).hexdigest() for p, b in files.items()}
    files["manifest.json"] = dump_json(manifest.to_json())
    return files, manifest


def write_directory(target: str, files: dict[str, bytes]) -> None:
    """Write every file below a fresh directory next to `target`, then rename it into place.
    `target` must not exist (or be an empty directory)."""
    target = os.path.abspath(target)
    if os.path.lexists(target) and (
        not os.path.isdir(target) or os.path.islink(target) or os.listdir(target)
    ):
        raise ConfigError(f"{target}: already exists; export into a new directory")
    parent = os.path.dirname(target)
    try:
        tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.", dir=parent)
    except OSError as exc:
        raise ConfigError(f"{parent}: cannot write the export: {exc.strerror}") from None
    try:
        for rel, data in sorted(files.items()):
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        # stays 0700 (mkdtemp): handler options and vars may hold keys and URLs with tokens
        if os.path.isdir(target):
            os.rmdir(target)
        os.rename(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp)
        raise ConfigError(f"{target}: cannot write the export: {exc.strerror}") from None


def export(client: Client, target: str, kapacitor_conf: str | None = None) -> Manifest:
    files, manifest = build(client, kapacitor_conf)
    write_directory(target, files)
    return manifest
