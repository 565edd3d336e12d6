"""Wording of the proof's verdict, the flows and the actions, shared by every report format
(plain text; each renderer escapes it). All of it reads the one migration model."""

from __future__ import annotations

import os

from tickmig.report.model import Action, Flow, Report

FLOW_KIND_TEXT = {
    "write": "write to InfluxDB 2",
    "kapacitor-write": "write to Kapacitor",
    "stream-input": "stream input",
    "batch-read": "batch query",
}
ACTION_TEXT = {
    "bucket-create": "create bucket",
    "database-create": "create database",
    "dbrp-create": "create DBRP mapping",
    "dbrp-default": "set default mapping",
    "script-rewrite": "rewrite scripts",
    "telegraf-output": "Telegraf output to Kapacitor",
    "kapacitor-conf": "patch kapacitor.conf",
    "token": "Kapacitor's token",
    "conflict": "decide by hand",
}
FLOWS_INTRO = (
    "Every data flow tickmig found, resolved once: who writes or reads which database and "
    "retention policy (before -> after the plan), where it lands after the actions, and who "
    "feeds the stream tasks. The commands, the Telegraf and kapacitor.conf changes are "
    "derived from these flows."
)


def headline(report: Report) -> str:
    v = report.verdict
    if v is None:
        return "no proof was run"
    return f"Proof: {v.headline}."


def verdict_lines(report: Report) -> list[str]:
    """The sentences under the headline: each failing flow and why, the caveats."""
    v = report.verdict
    if v is None:
        return []
    out = [
        f"{f.id} {flow_title(f, report.target)} does not land: {f.reason or f.status}"
        for f in v.failing
    ]
    out += [f"an action fails: {e}" for e in v.action_errors]
    out += v.notes
    if v.ok and v.flows:
        out.append(
            "After the commands, the Telegraf and kapacitor.conf changes below, every write "
            f"lands in its {'database' if report.target.startswith('v3-') else 'bucket'}, "
            "every batch query resolves, every stream input is fed with "
            "the (db, rp) it reads, and Kapacitor's token covers its reads and writes."
        )
    out += [
        f"{name(t)}: no DBRP in view (defined with `kapacitor define -dbrp`?): its flows are "
        "not in the proof"
        for t in v.unseen
    ]
    if v.assumption:
        out.append(f"Assumption: {v.assumption}.")
    out += [f"{f.id}: {f.caveat}" for f in report.flows if f.caveat]
    if report.kapacitor_url_source == "placeholder" and any(
        a.kind == "telegraf-output" for a in report.actions
    ):
        out.append(
            "The Kapacitor URL of the Telegraf outputs is a placeholder, "
            f"{report.telegraf.kapacitor_url}: give --kapacitor-conf or --kapacitor-url."
        )
    return out


def name(path: str) -> str:
    return (
        os.path.splitext(os.path.basename(path))[0]
        if path.endswith((".tick", ".yaml", ".yml", ".json"))
        else path
    )


def kind_text(kind: str, target: str = "") -> str:
    """A flow kind in words, naming the target's product (InfluxDB 3, InfluxDB Cloud)."""
    from tickmig.report.common import product

    return FLOW_KIND_TEXT[kind].replace("InfluxDB 2", product(target) if target else "InfluxDB 2")


def flow_title(f: Flow, target: str = "") -> str:
    return f"{kind_text(f.kind, target)} by {name(f.subject)} ({f.actor}) of {pair_text(f)}"


def pair_text(f: Flow) -> str:
    if f.renamed:
        return f"{f.before.label} -> {f.pair.label} (renamed by the plan)"
    return f.pair.label


def flow_rows(report: Report) -> list[list[str]]:
    """id, kind, who, (db, rp), lands, status, fed by / feeds, why."""
    rows = []
    for f in report.flows:
        lands = f.landing if f.lands else f"no: {f.landing}"
        want = f' (wanted: "{f.bucket}")' if f.bucket and not f.lands else ""
        rows.append(
            [
                f.id,
                kind_text(f.kind, report.target),
                f"{name(f.subject)} ({f.actor})",
                pair_text(f),
                lands + want,
                f.status,
                ", ".join(name(x) for x in f.fed_by),
                f.reason or f.caveat,
            ]
        )
    return rows


FLOW_HEADER = ["flow", "kind", "who", "DBRP", "lands", "status", "fed by / feeds", "why not"]


def action_lines(report: Report) -> list[str]:
    return [action_line(i + 1, a) for i, a in enumerate(report.actions)]


def action_line(number: int, a: Action) -> str:
    flows = f" (flows {', '.join(a.flows)})" if a.flows else ""
    return f"{number}. {ACTION_TEXT.get(a.kind, a.kind)}: {a.summary}{flows}"
