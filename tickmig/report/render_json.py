"""The report as one JSON document, version 1, described by the JSON Schema shipped next to
this module (`report.schema.json`). Keys are in a fixed order, lists sorted as built; no
timestamps. A retention policy of null means the reference sets none."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

from tickmig.report.model import (
    Action,
    Command,
    ConfigFileReport,
    Flow,
    KapacitorReport,
    Pair,
    PairReport,
    Report,
    TaskReport,
    TelegrafReport,
)
from tickmig.text.jsonfmt import dumps_indented

VERSION = 2


def schema() -> dict[str, Any]:
    """The JSON Schema of this format."""
    import importlib.resources

    text = (
        importlib.resources.files("tickmig.report")
        .joinpath("report.schema.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def render(report: Report) -> str:
    return "".join(render_pieces(report))


def render_pieces(report: Report) -> Iterator[str]:
    """The document in pieces: exactly `json.dumps(to_json(report), indent=2,
    ensure_ascii=False) + "\n"`, with each task's object made and written after the one
    before (a report of thousands of tasks is never held whole, as objects or as text)."""
    document = _document(report)
    yield "{"
    for i, (key, value) in enumerate(document.items()):
        yield ("\n  " if i == 0 else ",\n  ") + encode_basestring(key) + ": "
        if key != "tasks":
            yield _nested(value, "  ")
        elif not report.tasks:
            yield "[]"
        else:
            for j, task in enumerate(report.tasks):
                yield ("[\n    " if j == 0 else ",\n    ") + _nested(_task(task), "    ")
            yield "\n  ]"
    yield "\n}\n"


def _nested(value: Any, pad: str) -> str:
    """`value` as JSON indented by two spaces a level, placed `pad` deep (its text at the top
    level with `pad` after each line break: a JSON string never holds a raw line break)."""
    return dumps_indented(value).replace("\n", "\n" + pad)


def _pair(pair: Pair | None) -> dict[str, Any] | None:
    if pair is None:
        return None
    return {"database": pair.database, "retention_policy": pair.retention_policy}


def to_json(report: Report) -> dict[str, Any]:
    """The whole document as one JSON value (render_pieces writes it without building it)."""
    document = _document(report)
    document["tasks"] = [_task(t) for t in report.tasks]
    return document


def _document(report: Report) -> dict[str, Any]:
    """The document, with None in place of its tasks (its longest part by far)."""
    s = report.summary
    return {
        "version": VERSION,
        "tool": "tickmig",
        "verdict": _verdict(report),
        "inputs": {
            "paths": report.paths,
            "org": report.org,
            "target": report.target,
            "mappings": report.mapping_origin,
        },
        "summary": {
            "files": s.files,
            "kinds": s.kinds,
            "definitions": s.definitions,
            "dbrps": {
                "distinct": s.pairs,
                "read": s.pairs_read,
                "written": s.pairs_written,
                "by_status": s.by_status,
                "unresolved_uses": s.unknown_uses,
            },
            "fixes": {
                "safe": s.safe_fixes,
                "files_changed": s.files_changed,
                "unsafe": s.unsafe_fixes,
                "failed": s.migration_failures,
            },
            "todos": s.todos,
            "findings": {"total": s.findings, "by_code": s.by_code},
            "commands": s.commands,
            "config_errors": s.config_errors,
            "input_errors": s.input_errors,
        },
        "flows": [_flow(f) for f in report.flows],
        "actions": [_action(a) for a in report.actions],
        "dbrps": [
            {
                "dbrp": _pair(p.pair),
                "label": p.pair.label,
                "status": p.status,
                "bucket": p.bucket,
                "reason": p.reason,
                "renamed_to": _pair(p.renamed_to),
                "read_by": p.read_by,
                "written_by": p.written_by,
                "stream_input_for": p.stream_input_for,
                "after": None
                if p.after is None
                else {
                    "dbrp": _pair(p.renamed_to or p.pair),
                    "status": p.after[0],
                    "bucket": p.after[1],
                },
            }
            for p in report.pairs
        ],
        "commands": {
            "script": report.script,
            "items": [_command(c) for c in report.commands],
        },
        "telegraf": _telegraf(report.telegraf),
        "kapacitor": _kapacitor(report.kapacitor),
        "tasks": None,
        "errors": {
            "input": report.input_errors,
            "config": [
                {"path": path, "line": e.line, "column": e.column, "message": e.message}
                for path, e in report.config_errors
            ],
        },
    }


def _verdict(report: Report) -> dict[str, Any]:
    from tickmig.report import proof_view

    v = report.verdict
    return {
        "ok": v is not None and v.ok,
        "headline": proof_view.headline(report),
        "flows": v.flows if v is not None else 0,
        "failing": [f.id for f in v.failing] if v is not None else [],
        "action_errors": v.action_errors if v is not None else [],
        "assumption": v.assumption if v is not None else None,
        "notes": proof_view.verdict_lines(report),
    }


def _flow(f: Flow) -> dict[str, Any]:
    return {
        "id": f.id,
        "kind": f.kind,
        "actor": f.actor,
        "subject": f.subject,
        "before": _pair(f.before),
        "dbrp": _pair(f.pair),
        "bucket": f.bucket,
        "lands": f.lands,
        "landing": f.landing,
        "status": f.status,
        "reason": f.reason,
        "caveat": f.caveat,
        "fed_by": f.fed_by,
        "why": f.why,
    }


def _action(a: Action) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "summary": a.summary,
        "dbrp": _pair(a.pair),
        "bucket": a.bucket,
        "retention_seconds": a.retention,
        "file": a.file,
        "mirrors": a.mirrors,
        "read": list(a.read),
        "write": list(a.write),
        "flows": a.flows,
    }


def _command(c: Command) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "dbrp": _pair(c.pair),
        "command": c.command or None,
        "comments": c.comments,
        "active": c.active,
    }


def _file(f: ConfigFileReport) -> dict[str, Any]:
    return {
        "path": f.path,
        "patched_name": f.patched_name,
        "error": None
        if f.error is None
        else {"message": f.error.message, "line": f.error.line, "column": f.error.column},
        "findings": [
            {
                "code": x.code,
                "severity": x.severity,
                "message": x.message,
                "line": x.line,
                "section": x.section,
            }
            for x in f.findings
        ],
        "diff": f.diff,
    }


def _telegraf(t: TelegrafReport) -> dict[str, Any]:
    return {
        "kapacitor_url": t.kapacitor_url,
        "kapacitor_url_source": t.kapacitor_url_source,
        "outputs": [
            {
                "dbrp": _pair(o.pair),
                "sends": _pair(o.sends),
                "tasks": o.tasks,
                "namepass": o.namepass,
                "bucket": o.bucket,
                "status": o.status,
                "loopback": o.loopback,
                "fed_by": o.fed_by,
            }
            for o in t.outputs
        ],
        "snippet": t.snippet,
        "files": [_file(f) for f in t.files],
    }


def _kapacitor(k: KapacitorReport) -> dict[str, Any]:
    return {
        "warnings": k.warnings,
        "sections": [
            {
                "index": s.index,
                "name": s.name,
                "enabled": s.enabled,
                "default": s.default,
                "urls": s.urls,
                "auth": s.auth,
                "disable_subscriptions": s.disable_subscriptions,
                "used_by": s.used_by,
            }
            for s in k.sections
        ],
        "clusters": [{"name": c.name, "used_by": c.used_by, "found": c.found} for c in k.clusters],
        "file": None if k.file is None else _file(k.file),
    }


def _after(p: PairReport) -> dict[str, Any]:
    assert p.after is not None
    status, bucket = p.after
    return {"dbrp": _pair(p.renamed_to or p.pair), "status": status, "bucket": bucket}


def _task(t: TaskReport) -> dict[str, Any]:
    return {
        "path": t.path,
        "id": t.id,
        "kind": t.kind,
        "creates": t.creates,
        "template": t.template,
        "uses": [
            {
                "direction": u.direction,
                "label": u.label,
                "dbrp": _pair(u.pair),
                "vias": u.vias,
                "places": u.places,
                "status": u.status,
                "bucket": u.bucket,
                "note": u.note,
            }
            for u in t.uses
        ],
        "findings": [
            {
                "code": f.code,
                "name": f.name,
                "severity": f.severity,
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "message": f.message,
                "fix": f.fix,
            }
            for f in t.findings
        ],
        "fixes": {"safe": t.safe_fixes, "unsafe": t.unsafe_fixes},
        "migration_error": t.migration_error,
        "delivery": None
        if t.delivery is None
        else {
            "task_id": t.delivery.task_id,
            "method": t.delivery.method,
            "commands": [list(c) for c in t.delivery.commands],
            "loses_state": list(t.delivery.loses_state),
            "loses_window_state": t.delivery.loses_window_state,
            "note": t.delivery.note,
        },
        "diff": t.diff,
    }
