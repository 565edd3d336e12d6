"""What to run and configure before Kapacitor moves to InfluxDB 3: ``influxdb3 create
database`` (1.x retention translated), the token Kapacitor needs, the kapacitor.conf
``[[influxdb]]`` section and the Telegraf ``[[outputs.influxdb_v3]]`` outputs. A V3Action is
the small interface the report (and later the migration model) consumes.

Sources: influxdata/influxdb ``influxdb3/src/commands/create.rs`` (``create database NAME
--retention-period DURATION``; no option means indefinite), ``create/token.rs``
(``--admin``; ``--permission`` repeatable, ``--name``, ``--expiry``); docs-v2
``influxdb3/enterprise/admin/tokens/resource/create.md`` (``db:DB1,DB2:read,write``); Kapacitor
``etc/kapacitor/kapacitor.conf`` (``[[influxdb]]`` ``token``, ``disable-subscriptions``,
``[fluxtask]``); Telegraf ``plugins/outputs/influxdb_v3/sample.conf``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from tickmig.targets.durations import parse_v1_duration, v3_retention
from tickmig.targets.plan import V3Database, V3Plan
from tickmig.targets.v3names import write_database

HOST = "http://localhost:8181"
TOKEN_NAME = "kapacitor"
EXPIRY = "1y"


@dataclass(frozen=True)
class V3Action:
    """One step: ``kind`` is database-create, token, kapacitor-conf, telegraf-conf or note;
    ``command`` is a shell command or a configuration snippet; inactive ones are suggestions
    shown as comments."""

    kind: str
    command: str
    comments: tuple[str, ...] = field(default_factory=tuple)
    active: bool = True
    #: database-create: the database it creates.
    database: str | None = None


def v3_actions(plan: V3Plan, host: str = HOST, expiry: str = EXPIRY) -> list[V3Action]:
    """Every action the plan needs, in the order to take them."""
    actions = [*_databases(plan), _token(plan, expiry)]
    actions.append(_kapacitor_conf(plan, host))
    actions.extend(_telegraf(plan, host))
    return actions


def _databases(plan: V3Plan) -> list[V3Action]:
    out = []
    for db in plan.databases:
        if db.invalid is not None:
            out.append(V3Action("note", "", _refused(db)))
            continue
        if db.exists:
            continue
        if (
            not db.written
            and not db.fed
            and all(write_database(d, rp) != db.name for d, rp in db.pairs)
        ):
            out.append(
                V3Action(
                    "note",
                    f"influxdb3 create database {shlex.quote(db.name)}",
                    (f"{db.name}: only queried, through {_pairs(db)}; 1.x writes of that pair "
                     f"land in {write_database(*db.pairs[0])} (TM401): fix the scripts rather "
                     "than create it",),
                    active=False,
                )
            )  # fmt: skip
            continue
        out.append(_create(db, plan))
    return out


def _refused(db: V3Database) -> tuple[str, ...]:
    """The note for a name InfluxDB 3 refuses, with the plan entry that renames it."""
    from tickmig.targets.v3names import suggest_name

    head = f"{db.name}: InfluxDB 3 refuses this name ({db.invalid})"
    if db.name.startswith("_"):
        return (f"{head}; a 1.x system database, which is not migrated: retire the task",)
    better = suggest_name(db.name)
    if better is None:
        return (f"{head}; rename it in a mapping plan",)
    lines = [f"{head}; rename it in a mapping plan, e.g.:"]
    for database, rp in db.pairs:
        source = database if rp is None else f"{database}/{rp}"
        lines += ["  [[rename]]", f'  from = "{source}"', f'  database = "{better}"']
    return tuple(lines)


def _create(db: V3Database, plan: V3Plan) -> V3Action:
    words = ["influxdb3", "create", "database", db.name]
    comments = [f"{_pairs(db)} ({', '.join(_uses(db))})"]
    active = True
    if db.v1_duration is not None:
        try:
            seconds = parse_v1_duration(db.v1_duration)
        except ValueError:
            seconds = None
            comments.append(f"1.x duration {db.v1_duration!r} not understood: set it by hand")
            active = False
        period = v3_retention(seconds)
        if period is not None:
            words += ["--retention-period", period]
            comments.append(f"1.x kept data {db.v1_duration}: --retention-period {period}")
        else:
            comments.append("1.x kept data forever (INF): no --retention-period (never 0d)")
    elif any(
        rp is not None and rp.lower() not in ("autogen", "default")
        for _, rp in (*db.pairs, *(pair for pair, _ in db.renamed))
    ):
        comments.append(
            "the 1.x retention policy's duration is unknown (give --influxql-url): add "
            "--retention-period DURATION before running it"
            + ("" if plan.profile.retention_mutable else "; Core cannot change it later")
        )
        active = False
    return V3Action(
        "database-create",
        " ".join(shlex.quote(w) for w in words),
        tuple(comments),
        active,
        db.name,
    )


def _token(plan: V3Plan, expiry: str) -> V3Action:
    if not plan.profile.resource_tokens:
        return V3Action(
            "token",
            "influxdb3 create token --admin --name kapacitor",
            (
                f"{plan.profile.label} has admin tokens only: Kapacitor gets full access to "
                "every database (no least privilege, no expiry)",
            ),
        )
    reads = {d.name for d in plan.databases if d.read and d.invalid is None}
    writes = {d.name for d in plan.databases if d.written and d.invalid is None}
    groups = [
        (sorted(reads & writes), "read,write"),
        (sorted(reads - writes), "read"),
        (sorted(writes - reads), "write"),
    ]
    words = ["influxdb3", "create", "token"]
    for names, actions in groups:
        if names:
            words += ["--permission", f"db:{','.join(names)}:{actions}"]
    words += ["--name", TOKEN_NAME, "--expiry", expiry]
    return V3Action(
        "token",
        " ".join(shlex.quote(w) for w in words),
        (
            "a resource token with exactly the databases Kapacitor queries (read) and writes "
            "(write)",
            f"it expires {expiry} after creation: Kapacitor's queries and writes then fail "
            "with 401; note the date and renew it before",
        ),
    )


def _kapacitor_conf(plan: V3Plan, host: str) -> V3Action:
    snippet = "\n".join(
        [
            "[[influxdb]]",
            "  enabled = true",
            '  name = "influxdb3"',
            "  default = true",
            f'  urls = ["{host}"]',
            '  token = "<the token created above>"',
            "  # InfluxDB 3 has no subscriptions: Telegraf sends stream data to Kapacitor",
            "  disable-subscriptions = true",
            "",
            "[fluxtask]",
            "  # InfluxDB 3 has no Flux",
            "  enabled = false",
        ]
    )
    return V3Action(
        "kapacitor-conf",
        snippet,
        (
            f"kapacitor.conf for {plan.profile.label} (Kapacitor 1.8.2 or later: port 8181 "
            "answers /ping with 200 and a body)",
        ),
    )


def _telegraf(plan: V3Plan, host: str) -> list[V3Action]:
    """One ``[[outputs.influxdb_v3]]`` per database batch tasks read and no task writes (the
    data Telegraf must store), next to its output to Kapacitor for stream tasks."""
    out = []
    for db in plan.databases:
        if not db.read or db.written or db.invalid is not None:
            continue
        snippet = "\n".join(
            [
                "[[outputs.influxdb_v3]]",
                f'  urls = ["{host}"]',
                '  token = "${INFLUXDB3_TOKEN}"',
                f'  database = "{db.name}"',
            ]
        )
        out.append(
            V3Action(
                "telegraf-conf",
                snippet,
                (f"Telegraf output for {_pairs(db)}, which batch tasks query",),
            )
        )
    return out


def _pairs(db: V3Database) -> str:
    return ", ".join(f'"{d}"' if rp is None else f'"{d}"."{rp}"' for d, rp in db.pairs)


def _uses(db: V3Database) -> list[str]:
    found = (("written", db.written), ("queried", db.read), ("fed by Telegraf", db.fed))
    return [w for w, on in found if on]


def render_v3_script(plan: V3Plan, actions: list[V3Action]) -> str:
    """The shell script of the actions; configuration snippets as comments."""
    out = [
        "#!/bin/sh",
        "# Run before enabling the migrated tasks (generated by `tickmig report`; review it",
        f"# first). Needs the influxdb3 CLI and an admin token for {plan.profile.label}",
        "# (INFLUXDB3_HOST_URL, INFLUXDB3_AUTH_TOKEN).",
        "set -eu",
    ]
    if not plan.live:
        out += [
            "",
            "# No InfluxDB 3 server was read (--influx3-url): a database that exists already is",
            "# left as it is, retention included (see `influxdb3 show databases`).",
        ]
    sections = (
        ("database-create", "Databases (InfluxDB 3 has no retention policies: db/rp)"),
        ("note", "To decide by hand"),
        ("token", "The token Kapacitor uses"),
        ("kapacitor-conf", "kapacitor.conf"),
        ("telegraf-conf", "Telegraf"),
    )
    for kind, title in sections:
        chosen = [a for a in actions if a.kind == kind]
        if not chosen:
            continue
        out += ["", f"# {title}"]
        if kind == "database-create" and any(a.active for a in chosen):
            # `create database` of one that exists answers 409, which `set -e` stops at: each
            # database is created only when `show databases` does not list it, so the script
            # can be run again (its CSV lists one name a line under `iox::database`).
            out += [
                "# Each database is created unless `influxdb3 show databases` lists it already.",
                'database_exists() { influxdb3 show databases --format csv | grep -qxF -- "$1"; }',
            ]
        for action in chosen:
            out += [f"# {c}" for c in action.comments]
            if not action.command:
                continue
            if kind in ("kapacitor-conf", "telegraf-conf"):
                out += [f"#   {line}" if line else "#" for line in action.command.splitlines()]
            elif not action.active:
                out.append(f"# {action.command}")
            elif kind == "database-create" and action.database:
                out.append(f"database_exists {shlex.quote(action.database)} || {action.command}")
            else:
                out.append(action.command)
    from tickmig.targets.consolidate import propose, render_comments

    if plan.over_limit:
        out += [
            "",
            f"# WARNING: {plan.total} databases, {plan.profile.label} allows "
            f"{plan.profile.database_limit}: consolidate first (TM404).",
        ]
    proposal = propose(plan)
    if proposal is not None:
        if not plan.over_limit:
            out.append("")
        comments = render_comments(proposal, plan.profile.name, plan.plan_files)
        out += [f"# {line}" if line else "#" for line in comments]
    return "\n".join(out) + "\n"
