"""Telegraf for stream tasks: InfluxDB 2 has no subscriptions, so every (db, rp) that stream
tasks read must be written to Kapacitor directly. Works out, from the typed facts, which
`[[outputs.influxdb]]` to Kapacitor each Telegraf file needs (beside the output it mirrors,
with that output's metric filters and the tasks' namepass on top), and the snippet the report
shows. The checks themselves are the TM30x rules; the patch is their fix."""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from tickmig.configs.model import (
    RESOLVED_STATUSES,
    Facts,
    KapacitorOutput,
    Pair,
)
from tickmig.configs.telegraf_facts import TelegrafConf, TelegrafOutput
from tickmig.configs.tomledit import CommentLine
from tickmig.configs.tomlfile import toml_value

GLOB = frozenset("*?[]{}")
RESOLVED = RESOLVED_STATUSES


def kapacitor_outputs(facts: Facts) -> list[KapacitorOutput]:
    """One output to Kapacitor per stream input, unless kapacitorLoopback or a kapacitor.conf
    listener already writes that pair into Kapacitor."""
    listeners = facts.kapacitor_conf.listener_pairs() if facts.kapacitor_conf else {}
    out: list[KapacitorOutput] = []
    for item in facts.stream_inputs:
        pair_report = facts.pairs.get(item.pair)
        names = sorted(item.measurements)
        namepass = (
            names if item.all_known and names and not any(GLOB & set(n) for n in names) else None
        )
        listener = listeners.get((item.pair.database, item.pair.retention_policy))
        loopback = item.pair in facts.loopback
        status = pair_report.status if pair_report is not None else "unknown"
        out.append(
            KapacitorOutput(
                item.pair,
                sorted(item.tasks),
                namepass,
                pair_report.bucket if pair_report is not None else None,
                "kapacitor" if loopback and pair_report is None else status,
                loopback,
                listener.label if listener is not None else None,
                pair_report.renamed_to if pair_report is not None else None,
                item.source_database,
                item.source_retention_policy,
            )
        )
    return out


def patched_name(path: str) -> str:
    """`telegraf.conf` -> `telegraf.patched.conf`."""
    stem, ext = os.path.splitext(os.path.basename(path))
    return f"{stem}.patched{ext}"


@dataclass
class TelegrafPlan:
    """What one Telegraf file needs for the stream inputs."""

    #: Pairs an output of the file already writes to Kapacitor.
    covered: dict[Pair, TelegrafOutput] = field(default_factory=dict)
    #: Outputs to add, each with the output it mirrors (the new one goes after it).
    add: list[tuple[KapacitorOutput, TelegrafOutput]] = field(default_factory=list)
    #: Stream inputs no output of this file writes (someone else must send them).
    elsewhere: list[KapacitorOutput] = field(default_factory=list)
    #: Outputs to Kapacitor that send a pair the plan renames: they must send the new name.
    retarget: list[tuple[KapacitorOutput, TelegrafOutput]] = field(default_factory=list)
    #: Outputs to Kapacitor that send a renamed pair by a metric's tag (database_tag,
    #: retention_policy_tag): the patch cannot rename what the tag says.
    tagged: list[tuple[KapacitorOutput, TelegrafOutput]] = field(default_factory=list)


def needed(outputs: list[KapacitorOutput]) -> list[KapacitorOutput]:
    """The stream inputs that writers must send to Kapacitor (not loopback, not fed by a
    kapacitor.conf listener, with a retention policy to match)."""
    return [
        o
        for o in outputs
        if not o.loopback and o.fed_by is None and o.pair.retention_policy is not None
    ]


def plan(conf: TelegrafConf, outputs: list[KapacitorOutput], facts: Facts) -> TelegrafPlan:
    result = TelegrafPlan()
    kap_urls = (facts.kapacitor.url,) if not facts.kapacitor.placeholder else ()
    default_rp = facts.kapacitor_conf.default_retention_policy if facts.kapacitor_conf else ""
    to_kapacitor = [o for o in conf.influxdb() if o.to_kapacitor(kap_urls)]
    to_influx = [o for o in conf.outputs if o not in to_kapacitor]

    def sending(pair: Pair) -> TelegrafOutput | None:
        return next(
            (
                o
                for o in to_kapacitor
                if o.database == pair.database
                and (o.retention_policy or default_rp) == pair.retention_policy
            ),
            None,
        )

    for output in needed(outputs):
        pair = output.written
        cover = sending(output.sends)
        if cover is not None:
            result.covered[output.sends] = cover
            continue
        old = sending(pair) if pair != output.sends else None
        if old is not None and not (old.database_tag or old.retention_policy_tag):
            result.retarget.append((output, old))
            continue
        if old is not None:
            # A tag of each metric names the pair: renaming the output's own database would
            # only rename the metrics without the tag. An output for the new pair is added.
            result.tagged.append((output, old))
        mirrored = mirror_of(to_influx, pair)
        if mirrored is None:
            result.elsewhere.append(output)
        else:
            result.add.append((output, mirrored))
    return result


def mirror_of(outputs: list[TelegrafOutput], pair: Pair) -> TelegrafOutput | None:
    """The output that writes `pair` to InfluxDB: the same database and retention policy,
    else the same database (its rp unset), else one whose tag chooses the database."""

    def writes(o: TelegrafOutput) -> tuple[str | None, str | None]:
        if o.plugin == "influxdb":
            return o.database, o.retention_policy or None
        db, _, rp = (o.bucket or "").partition("/")
        return db or None, rp or None

    exact = [o for o in outputs if writes(o) == (pair.database, pair.retention_policy)]
    same_db = [o for o in outputs if writes(o)[0] == pair.database and writes(o)[1] is None]
    dynamic = [o for o in outputs if o.database_tag or o.bucket_tag]
    found = exact or same_db or dynamic
    return found[0] if found else None


def kapacitor_table(
    output: KapacitorOutput, kapacitor_url: str, mirrored: TelegrafOutput | None = None
) -> dict[str, object]:
    """The keys of the output to Kapacitor: its destination, the mirrored output's metric
    filters (Kapacitor must see what InfluxDB 1.x forwarded, no more), and the stream tasks'
    namepass on top."""
    table: dict[str, object] = {
        "urls": [kapacitor_url],
        "database": output.sends.database,
        "retention_policy": output.sends.retention_policy or "",
        "skip_database_creation": True,
    }
    filters = dict(mirrored.filters.as_toml()) if mirrored is not None else {}
    tag = mirrored.database_tag or mirrored.bucket_tag if mirrored is not None else ""
    if mirrored is not None and tag and output.pair.database != (mirrored.database or ""):
        tagpass = dict(filters.get("tagpass") or {})  # type: ignore[call-overload]
        tagpass[tag] = [output.pair.database]
        filters["tagpass"] = tagpass
    namepass = _namepass(output.namepass, mirrored)
    tables = {k: v for k, v in filters.items() if k in ("tagpass", "tagdrop")}
    scalars = {k: v for k, v in filters.items() if k not in tables and k != "namepass"}
    if mirrored is not None and not mirrored.filters.empty:
        table["#filters"] = CommentLine(f"the metric filters of {mirrored.label}")
    if namepass is not None:
        if output.namepass is not None:
            table["#namepass"] = CommentLine("only the measurements the stream tasks read")
        table["namepass"] = namepass
    table.update(scalars)
    table.update(tables)
    return table


def _namepass(tasks: list[str] | None, mirrored: TelegrafOutput | None) -> list[str] | None:
    own = list(mirrored.filters.namepass) if mirrored and mirrored.filters.namepass else None
    if tasks is None:
        return own
    if own is None:
        return list(tasks)
    return [m for m in tasks if any(fnmatchcase(m, pattern) for pattern in own)]


def intro(output: KapacitorOutput, product: str = "InfluxDB 2") -> list[str]:
    """The comment above an added output to Kapacitor; ``product`` is the target's
    (TargetProfile.product: "InfluxDB 3", "InfluxDB Cloud")."""
    count = len(output.tasks)
    return [
        f"Kapacitor stream input {output.pair.label} ({count} stream "
        f"task{'s' if count != 1 else ''}; added by tickmig report).",
        f"{product} has no subscriptions: stream tasks only see what is written to Kapacitor.",
    ]


def _comment(text: str) -> list[str]:
    return [
        "# " + line
        for line in textwrap.wrap(text, 96, break_long_words=False, break_on_hyphens=False)
    ]


def snippet(
    outputs: list[KapacitorOutput],
    kapacitor_url: str,
    org: str | None,
    influx_url: str | None,
    *,
    v3: bool = False,
    product: str = "InfluxDB 2",
) -> str:
    """Telegraf outputs for every stream input: to Kapacitor, and to InfluxDB 2 (or, with
    `v3`, to InfluxDB 3 through [[outputs.influxdb_v3]] and its db/rp database name)."""
    out: list[str] = []
    for output in outputs:
        pair = output.pair
        tasks = ", ".join(os.path.splitext(os.path.basename(t))[0] for t in output.tasks)
        out += _comment(f"--- {pair.label}, read by the stream tasks {tasks}")
        if output.loopback:
            out += _comment(
                "kapacitorLoopback writes this pair inside Kapacitor: no Telegraf output is needed."
            )
            out.append("")
            continue
        if output.fed_by is not None:
            out += _comment(
                f"kapacitor.conf {output.fed_by} writes this pair into Kapacitor: no Telegraf "
                "output is needed."
            )
            out.append("")
            continue
        out += _comment(
            "For the Telegraf agents (or other writers) that write this database and "
            "retention policy. To Kapacitor:"
        )
        out.append("[[outputs.influxdb]]")
        for key, value in kapacitor_table(output, kapacitor_url).items():
            out.append(
                f"  ## {value.text}"
                if isinstance(value, CommentLine)
                else f"  {key} = {toml_value(value)}"
            )
        if v3:
            out += _v3_output(pair.database, pair.retention_policy, influx_url)
            continue
        bucket = output.bucket or f"{pair.database}/{pair.retention_policy}"
        state = (
            f"the {output.status} mapping of {pair.label}"
            if output.status in RESOLVED
            else f"{pair.label} is {output.status}: see the commands to run first"
        )
        out += _comment(
            f'To {product}, bucket "{bucket}" ({state}); or keep the agent\'s '
            f"[[outputs.influxdb]] pointed at {product} with "
            "skip_database_creation = true."
        )
        out += [
            "[[outputs.influxdb_v2]]",
            f"  urls = {toml_value([influx_url or '${INFLUX_URL}'])}",
            f"  token = {toml_value('${INFLUX_TOKEN}')}",
            f"  organization = {toml_value(org or '${INFLUX_ORG}')}",
            f"  bucket = {toml_value(bucket)}",
            "",
        ]
    if not outputs:
        out.append("# No stream task: Telegraf needs no output to Kapacitor.")
    return "\n".join(out).rstrip("\n") + "\n"


def _v3_output(database: str, retention_policy: str | None, influx_url: str | None) -> list[str]:
    """The output to InfluxDB 3 next to the one to Kapacitor: the database a v1 write of the
    pair reaches (influxdata/influxdb core/iox_http/src/write/v1.rs; Telegraf
    plugins/outputs/influxdb_v3)."""
    from tickmig.targets.v3names import write_database

    name = write_database(database, retention_policy)
    return [
        *_comment(f'To InfluxDB 3, database "{name}" (InfluxDB 3 has no retention policies).'),
        "[[outputs.influxdb_v3]]",
        f"  urls = {toml_value([influx_url or '${INFLUXDB3_URL}'])}",
        f"  token = {toml_value('${INFLUXDB3_TOKEN}')}",
        f"  database = {toml_value(name)}",
        "",
    ]
