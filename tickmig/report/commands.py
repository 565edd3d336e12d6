"""The `influx` commands to run before the migrated tasks start: buckets that do not exist yet
and the DBRP mappings that are missing, as one reviewable shell script in a stable order.

Rules (see docs: influxdb2-migration.md §1.2, §1.5):
* a mapping needs a bucket ID; when tickmig does not know it, the script looks it up with
  `influx bucket list --name NAME --hide-headers | cut -f1`;
* the first mapping created for a database becomes its default whatever the request says;
  `influx v1 dbrp create --default` is not even sent by the influx CLI 2.x, so a later mapping
  that must be the default needs `influx v1 dbrp update --id ... --default`;
* `--default` goes on the first mapping of a database that has none, and on the mapping that
  serves references without a retention policy (`.database('db')` alone).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from tickmig.mappings import Mapping, MappingSet, Resolution, ResolutionStatus
from tickmig.report.model import Command, Pair

S = ResolutionStatus
DEFAULT_NOTE = (
    "`influx v1 dbrp create --default` is ignored by the influx CLI 2.x (the flag is not sent "
    "to the server): the first mapping of a database becomes its default anyway; to make a "
    "later mapping the default, run `influx v1 dbrp update --id ID --default`."
)


@dataclass
class _Need:
    """One mapping to create (or to make the default), before its order is settled."""

    database: str
    retention_policy: str
    bucket_name: str | None
    bucket_id: str | None
    default: bool
    why: str
    active: bool = True
    #: The ID of an existing physical mapping to make the default instead of creating one.
    update_id: str | None = None


class _Org:
    def __init__(self, org: str | None) -> None:
        self.text = shlex.quote(org) if org else '"$INFLUX_ORG"'
        self.known = bool(org)


def plan_commands(
    resolutions: list[tuple[Pair, Resolution]], mappings: MappingSet, org: str | None
) -> list[Command]:
    """The commands for the pairs whose resolution needs work, in script order."""
    org_arg = _Org(org)
    needs: list[_Need] = []
    buckets: dict[str, bool] = {}
    notes: list[Command] = []
    guessed = not mappings.from_server
    known_buckets = {b.name: b.id for b in mappings.buckets}
    for pair, res in sorted(resolutions, key=lambda x: x[0].sort_key()):
        for need in _needs(pair, res, mappings, notes):
            if guessed:
                need.active = False
            needs.append(need)
            name = need.bucket_name
            if (
                need.update_id is None
                and need.bucket_id is None
                and name
                and (name not in known_buckets)
            ):
                active = need.active and bool(mappings.buckets)
                buckets[name] = buckets.get(name, False) or active
    needs = _merge(needs)
    _decide_defaults(needs, mappings)
    commands: list[Command] = []
    for name, active in sorted(buckets.items()):
        comments = (
            []
            if active
            else [f'if bucket "{name}" does not exist yet (tickmig was given no bucket list):']
        )
        comments.append(
            "add --retention DURATION (e.g. 30d) to expire data as the 1.x retention policy "
            "did; without it the bucket keeps data forever"
        )
        commands.append(
            Command(
                "bucket-create",
                None,
                f"influx bucket create --name {shlex.quote(name)} --org {org_arg.text}",
                comments,
                active,
            )
        )
    first_of_db: set[str] = set()
    physical = {m.database for m in mappings.effective_mappings() if not m.virtual}
    for need in sorted(needs, key=lambda n: (n.database, not n.default, n.retention_policy)):
        commands.append(_command(need, org_arg, physical, first_of_db))
    commands.extend(notes)
    return commands


def _needs(pair: Pair, res: Resolution, ms: MappingSet, notes: list[Command]) -> list[_Need]:
    if res.status is S.ASSUMED:
        m = res.mapping
        if m is None:
            return []
        if res.rename is not None and res.rename.bucket is not None:
            why = (
                f"{pair.label}: the plan ({res.rename.source}) maps it to bucket "
                f'"{m.bucket_name or res.rename.bucket}"'
            )
        else:
            why = f'{pair.label}: assumed to be served by bucket "{m.bucket_name}"'
        return [
            _Need(
                m.database,
                m.retention_policy,
                m.bucket_name,
                m.bucket_id,
                pair.retention_policy is None,
                why,
            )
        ]
    if res.status is S.MISSING:
        return _missing(pair, res, ms)
    if res.status is S.AMBIGUOUS:
        notes.append(Command("note", pair, "", [f"{pair.label}: {res.reason}"], False))
        return [_candidate(pair, m, active=False) for m in _sorted(res.candidates)]
    return []


def _missing(pair: Pair, res: Resolution, ms: MappingSet) -> list[_Need]:
    db, rp = pair.database, pair.retention_policy
    rename = res.rename
    if rename is not None and rename.to_database is not None:
        db, rp = rename.to_database, rename.to_retention_policy or rp
    target = Pair(db, rp)
    renamed = f" (renamed by the plan to {target.label})" if target != pair else ""
    by_name = {b.name: b.id for b in ms.buckets}
    if rp is None:
        if len(res.candidates) == 1:
            return [_candidate(pair, res.candidates[0], active=True)]
        for name in (db, f"{db}/autogen"):
            if name in by_name:
                why = (
                    f"{pair.label}{renamed}: tasks use it without a retention policy, so it "
                    f'needs a default mapping; bucket "{name}" exists'
                )
                return [_Need(db, "autogen", name, by_name[name], True, why)]
        why = (
            f"{pair.label}{renamed}: tasks use it without a retention policy and it has no "
            "mapping at all"
        )
        return [_Need(db, "autogen", f"{db}/autogen", None, True, why)]
    name = f"{db}/{rp}"
    why = f"{target.label}{renamed}: no DBRP mapping"
    return [_Need(db, rp, name, by_name.get(name), False, why)]


def _candidate(pair: Pair, m: Mapping, *, active: bool) -> _Need:
    """Make an existing (non-default) mapping serve `pair`, which has no retention policy."""
    what = "virtual mapping" if m.virtual else "mapping"
    why = (
        f"{pair.label}: tasks use it without a retention policy; its only {what} "
        f'"{m.database}"."{m.retention_policy}" is not the default'
    )
    if not active:
        why = f'{pair.label}: choose "{m.database}"."{m.retention_policy}"?'
    update = m.id if not m.virtual and m.id else None
    return _Need(
        m.database,
        m.retention_policy,
        m.bucket_name,
        m.bucket_id,
        True,
        why,
        active=active,
        update_id=update,
    )


def _sorted(mappings: tuple[Mapping, ...]) -> list[Mapping]:
    return sorted(mappings, key=lambda m: (m.database, m.retention_policy, m.bucket or ""))


def _merge(needs: list[_Need]) -> list[_Need]:
    """One need per mapping to create: two references can ask for the same (db, rp), e.g.
    `"db"."autogen"` and `"db"` alone; the first (in a stable order) wins, keeping the other's
    wish for the default, and a different bucket is mentioned."""
    out: dict[tuple[str, str, str | None], _Need] = {}
    key_order = sorted(
        needs,
        key=lambda n: (
            n.database,
            n.retention_policy,
            n.update_id or "",
            n.bucket_name or "",
            n.bucket_id or "",
        ),
    )
    for need in key_order:
        key = (need.database, need.retention_policy, need.update_id)
        kept = out.get(key)
        if kept is None:
            out[key] = need
            continue
        kept.default = kept.default or need.default
        kept.active = kept.active or need.active
        if (need.bucket_name, need.bucket_id) != (kept.bucket_name, kept.bucket_id):
            kept.why += (
                f'; also wanted: bucket "{need.bucket_name or need.bucket_id}" '
                f"({need.why}); choose one"
            )
        else:
            kept.why += f"; {need.why}"
    return list(out.values())


def _decide_defaults(needs: list[_Need], ms: MappingSet) -> None:
    """The first mapping of a database that has no physical mapping is its default: make the
    flag say so (references without a retention policy have already chosen theirs)."""
    physical = {m.database for m in ms.effective_mappings() if not m.virtual}
    by_db: dict[str, list[_Need]] = {}
    for need in needs:
        if need.update_id is None:
            by_db.setdefault(need.database, []).append(need)
    for db, group in by_db.items():
        if db in physical or any(n.default for n in group):
            continue
        min(group, key=lambda n: n.retention_policy).default = True


def _command(need: _Need, org: _Org, physical: set[str], first_of_db: set[str]) -> Command:
    pair = Pair(need.database, need.retention_policy)
    comments = [need.why]
    if need.update_id is not None:
        command = (
            f"influx v1 dbrp update --id {shlex.quote(need.update_id)} --default --org {org.text}"
        )
        return Command("dbrp-update", pair, command, comments, need.active)
    if need.bucket_id is not None:
        bucket = shlex.quote(need.bucket_id)
    else:
        name = shlex.quote(need.bucket_name or f"{need.database}/{need.retention_policy}")
        bucket = f'"$(influx bucket list --name {name} --org {org.text} --hide-headers | cut -f1)"'
    parts = [
        "influx v1 dbrp create",
        "--db",
        shlex.quote(need.database),
        "--rp",
        shlex.quote(need.retention_policy),
        "--bucket-id",
        bucket,
    ]
    if need.default:
        parts.append("--default")
    parts += ["--org", org.text]
    first = need.database not in physical and need.database not in first_of_db
    first_of_db.add(need.database)
    if need.default and first:
        comments.append(f'first mapping of "{need.database}": InfluxDB makes it the default')
    elif need.default:
        lookup = (
            f'"$(influx v1 dbrp list --db {shlex.quote(need.database)} --rp '
            f"{shlex.quote(need.retention_policy)} --org {org.text} --hide-headers "
            '| cut -f1)"'
        )
        comments.append(
            "--default is not sent by the influx CLI 2.x; afterwards make it the default with:"
        )
        comments.append(f"influx v1 dbrp update --id {lookup} --default --org {org.text}")
    return Command("dbrp-create", pair, " ".join(parts), comments, need.active)


def render_script(commands: list[Command], org: str | None, guessed: bool) -> str:
    """The shell script: buckets first, then mappings; inactive suggestions commented out."""
    out = [
        "#!/bin/sh",
        "# Run before enabling the migrated tasks (generated by `tickmig report`; review it",
        "# first). Needs the influx CLI 2.1+ configured with a token that may create buckets",
        "# and DBRP mappings in the organization.",
        "set -eu",
    ]
    if not org:
        out.append(': "${INFLUX_ORG:?set INFLUX_ORG to the InfluxDB 2 organization name}"')
    if guessed:
        out += [
            "",
            "# tickmig read no mapping from a server or an export (--mapping with "
            "`influx v1 dbrp list`",
            "# or /api/v2/dbrps output, --influx-url, "
            "--influxql-url): these are suggestions to check",
            "# by hand.",
        ]
    buckets = [c for c in commands if c.kind == "bucket-create"]
    dbrps = [c for c in commands if c.kind in ("dbrp-create", "dbrp-update")]
    notes = [c for c in commands if c.kind == "note"]
    if not commands:
        out += ["", "# Nothing to create: every DBRP the tasks use resolves to a bucket."]
    if buckets:
        out += ["", "# Buckets that do not exist yet"]
        for c in buckets:
            out += _lines(c)
    if dbrps:
        out += ["", "# DBRP mappings", *_wrap_comment(DEFAULT_NOTE)]
        for c in dbrps:
            out += _lines(c)
    if notes:
        out += ["", "# To decide by hand"]
        for c in notes:
            out += _lines(c)
    return "\n".join(out) + "\n"


def _lines(c: Command) -> list[str]:
    out = [line for comment in c.comments for line in _wrap_comment(comment)]
    if c.command:
        out.append(c.command if c.active else f"# {c.command}")
    return out


def _wrap_comment(text: str, width: int = 96) -> list[str]:
    """A comment wrapped to the width; a command (starting with `influx `) stays whole so
    that it can be copied."""
    if text.startswith("influx "):
        return [f"#   {text}"]
    import textwrap

    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return [("# " if i == 0 else "#   ") + line for i, line in enumerate(lines)]
