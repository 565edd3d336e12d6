"""A consolidation plan for InfluxDB 3 Core's database limit: which 1.x (db, rp) pairs share
one database so that the count fits.

Under InfluxDB 3's naming rule every non-default retention policy is a database of its own
(``db/rp``; influxdata/influxdb ``core/iox_http/src/write/v1.rs``), and Core allows 5
(``CORE_NUM_DBS_LIMIT`` in ``influxdb3/src/commands/serve.rs``). The proposal folds the
``db/rp`` databases of a 1.x database into the bare database ``db``, the database with the
most of them first, until the count fits. It is a tickmig plan (``[[rename]]`` with
``database =``), applied like every plan: ``tickmig migrate`` rewrites the scripts (dbrp
statements, ``from()``, ``influxDBOut()``, batch query ``FROM``), ``tickmig report
--telegraf-conf`` the Telegraf outputs to Kapacitor, and the proof checks the result.

What it costs, said with it: a database has one retention period (docs-v2
``shared/influxdb3-admin/databases/create.md``; Core cannot change it later), so data the
1.x retention policies kept for different durations is kept for one; and points of two
retention policies with the same measurement name end up in one table (a measurement's
columns keep the type of their first write), which the proposal flags."""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.targets.plan import V3Database, V3Plan
from tickmig.targets.v3names import split, suggest_name

Pair = tuple[str, str | None]


@dataclass(frozen=True)
class Fold:
    """One 1.x pair whose data moves into ``database``."""

    pair: Pair
    #: The InfluxDB 3 database it would have had.
    was: str
    database: str
    #: The ``from`` of the given plan's entry that sent it to ``was`` (changed, not added).
    entry: str | None = None

    @property
    def from_text(self) -> str:
        db, rp = self.pair
        return db if rp is None else f"{db}/{rp}"


@dataclass(frozen=True)
class Consolidation:
    folds: tuple[Fold, ...]
    before: int
    after: int
    limit: int
    #: Measurement names that two folded retention policies (or a folded one and the
    #: database's default) both hold: their points would share one table.
    collisions: tuple[str, ...]
    #: What one retention period per database costs, per database folded into.
    retention: tuple[str, ...]
    #: Databases counted for names InfluxDB 3 refuses, once renamed as proposed.
    renamed: int = 0

    @property
    def fits(self) -> bool:
        return self.after <= self.limit


def propose(plan: V3Plan) -> Consolidation | None:
    """The folds that bring the plan under its database limit (None when it is not over)."""
    limit = plan.profile.database_limit
    if limit is None:
        return None
    created = set(plan.created)
    groups: dict[str, list[V3Database]] = {}
    for db in plan.databases:
        base, rp = split(db.name)
        if rp is not None and db.name in created:
            groups.setdefault(base, []).append(db)
    # Names InfluxDB 3 refuses are renamed (the commands propose how): they count too.
    renamed = {suggest_name(d.name) for d in plan.databases if d.invalid is not None}
    extra = len(renamed - {None} - created - set(plan.existing))
    total = plan.total + extra
    before = total
    if total <= limit:
        return None
    folds: list[Fold] = []
    for base in sorted(groups, key=lambda b: (-len(groups[b]), b)):
        if total <= limit:
            break
        members = groups[base]
        gain = len(members) - (0 if base in created or base in plan.existing else 1)
        if gain <= 0:
            continue
        total -= gain
        reached: dict[Pair, list[str]] = {}
        for member in members:
            for pair in member.pairs:
                reached.setdefault(pair, []).append(member.name)
        folds += [Fold(pair, ", ".join(names), base) for pair, names in reached.items()]
    for db, base, origins in _renamed_apart(plan, created):
        if total <= limit:
            break
        total -= 1
        folds += [Fold(pair, db.name, base, entry) for pair, entry in origins]
    return Consolidation(
        tuple(folds),
        before,
        total,
        limit,
        _collisions(plan, folds),
        _retention(plan, folds),
        extra,
    )


def _renamed_apart(
    plan: V3Plan, created: set[str]
) -> list[tuple[V3Database, str, tuple[tuple[Pair, str], ...]]]:
    """Databases only a plan entry created for a 1.x retention policy of a database that is on
    the server anyway (the InfluxDB 2 plan's ``bucket = "telegraf-downsampled"`` for
    "telegraf"."sampled_5m"): folding it back into that database saves one."""
    out = []
    for db in plan.databases:
        if db.name not in created or not db.renamed:
            continue
        bases = {pair[0] for pair, _ in db.renamed}
        if len(bases) != 1 or any(_default(pair[1]) for pair, _ in db.renamed):
            continue
        (base,) = bases
        if base != db.name and (base in created or base in plan.existing):
            out.append((db, base, db.renamed))
    return sorted(out, key=lambda x: x[0].name)


def _default(rp: str | None) -> bool:
    return rp is None or rp.lower() in ("", "autogen", "default")


def _collisions(plan: V3Plan, folds: list[Fold]) -> tuple[str, ...]:
    out = []
    for base in sorted({f.database for f in folds}):
        holders: dict[str, set[str]] = {}
        sources = [p for p in plan.measurements if p[0] == base and _default(p[1])]
        sources += [f.pair for f in folds if f.database == base]
        for pair in sources:
            label = "the default retention policy" if _default(pair[1]) else f'"{pair[1]}"'
            for measurement in plan.measurements.get(pair, ()):
                holders.setdefault(measurement, set()).add(label.lower())
        for measurement in sorted(holders):
            if len(holders[measurement]) > 1:
                out.append(
                    f'measurement "{measurement}" is in {", ".join(sorted(holders[measurement]))} '
                    f'of "{base}": folded into database "{base}", their points share one table '
                    "(same series and timestamps overwrite each other); rename one "
                    "(influxDBOut().measurement()) or keep that retention policy apart"
                )
    return tuple(out)


def _retention(plan: V3Plan, folds: list[Fold]) -> tuple[str, ...]:
    out = []
    for base in sorted({f.database for f in folds}):
        parts = []
        target = plan.get(base)
        durations = [f"default {target.v1_duration}"] if target and target.v1_duration else []
        for fold in (f for f in folds if f.database == base):
            for was in fold.was.split(", "):
                found = plan.get(was)
                if found is not None and found.v1_duration is not None:
                    durations.append(f"{fold.pair[1]} {found.v1_duration}")
                parts.append(was)
        known = f" (1.x: {', '.join(durations)})" if durations else " (1.x durations unknown)"
        fixed = "" if plan.profile.retention_mutable else "; Core cannot change it later"
        out.append(
            f'database "{base}" gets one retention period for {", ".join(sorted(set(parts)))} '
            f"and its default data{known}: choose the longest any of them needs "
            f"(--retention-period), or data is deleted sooner than in 1.x{fixed}"
        )
    return tuple(out)


def plan_toml(consolidation: Consolidation, target: str) -> str:
    """The proposal as a tickmig plan."""
    lines = [f'target = "{target}"']
    for fold in consolidation.folds:
        lines += [
            "",
            "[[rename]]",
            f'from = "{fold.from_text}"',
            f'database = "{fold.database}"   # was "{fold.was}"',
        ]
    return "\n".join(lines) + "\n"


def render_comments(
    consolidation: Consolidation, target: str, plan_files: tuple[tuple[str, str], ...] = ()
) -> list[str]:
    """The proposal as comment lines of the command script (wrapped; the plan kept whole):
    the given plan with its changes when a plan was given (its other entries kept), else a
    plan of its own."""
    from tickmig.targets.merged_plan import choose, merge

    base = choose(plan_files, consolidation.folds)
    merged = merge(base[1], consolidation, target) if base is not None else None
    head = (
        f"CONSOLIDATION (TM404): {consolidation.before} databases"
        + (
            f" ({consolidation.renamed} of them for names InfluxDB 3 refuses, renamed as "
            "proposed above)"
            if consolidation.renamed
            else ""
        )
        + f", the limit is {consolidation.limit}. "
    )
    if not consolidation.folds:
        head += "No retention policy can be folded into its database: merge databases by hand."
    else:
        head += (
            "This plan folds retention policies into their database "
            f"({consolidation.after} databases"
            + (")." if consolidation.fits else ", still over the limit: merge databases by hand).")
        )
    if base is not None and merged is not None:
        new = _beside(base[0], target)
        text = [
            head,
            f"It is your plan {base[0]} with the changes marked (every other entry kept): save "
            f"it as {new} and use it instead of {base[0]}: tickmig migrate PATH --target "
            f"{target} --mapping {new} --write (scripts), tickmig report ... --mapping {new} "
            "--telegraf-conf FILE (Telegraf outputs), and run this report again.",
        ]
        body = merged
    else:
        kept = f" (it replaces none of {base[0]}: give both)" if base is not None else ""
        text = [
            head,
            f"Save it as consolidation.toml{kept}, then run tickmig migrate PATH --target "
            f"{target} --mapping consolidation.toml --write (scripts), tickmig report ... "
            "--mapping consolidation.toml --telegraf-conf FILE (Telegraf outputs), and run this "
            "report again.",
        ]
        body = plan_toml(consolidation, target)
    out = [line for part in text for line in _wrap(part)]
    if consolidation.folds:
        out += [f"  {line}" if line else "" for line in body.splitlines()]
    notes = [f"Cost: {item}" for item in consolidation.retention]
    notes += [f"Collision: {item}" for item in consolidation.collisions]
    if consolidation.folds and not consolidation.collisions:
        notes.append(
            "No measurement name is in two of the folded retention policies in the scripts; "
            "Telegraf's measurements are not known: compare SHOW MEASUREMENTS ON each database "
            "per retention policy before migrating."
        )
    return out + [line for note in notes for line in _wrap(note)]


def _beside(path: str, target: str) -> str:
    import os

    stem, ext = os.path.splitext(os.path.basename(path))
    return f"{stem}-{target}{ext or '.toml'}"


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, 92, break_long_words=False, break_on_hyphens=False) or [""]
