"""What the TM3xx rules share: a rule about a configuration file (a Telegraf configuration or a
kapacitor.conf) sees that file's typed facts and the facts of the deployment (the tasks'
stream inputs, clusters, mappings), and yields findings that point at a line of the file.
A finding's patch actions are its fix: the patched copy applies the actions of the findings
that are reported, so `--ignore TM302` also keeps `skip_database_creation` out of the copy."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from tickmig.configs.kapacitor_facts import InfluxDBCluster, KapacitorConf
from tickmig.configs.model import Facts
from tickmig.configs.patches import PatchAction, SetKey, TableRef, edits_of
from tickmig.configs.telegraf_facts import TelegrafConf, TelegrafOutput
from tickmig.configs.tomledit import TomlEditor
from tickmig.diagnostics import Applicability, Diagnostic, Edit, Fix, Location, Severity
from tickmig.rules.base import Context, Rule
from tickmig.targets import TargetProfile

ConfigKind = Literal["telegraf", "kapacitor"]


@dataclass(frozen=True)
class RuleFinding:
    """A finding about a configuration file and the changes that fix it."""

    diagnostic: Diagnostic
    actions: tuple[PatchAction, ...] = ()


@dataclass
class ConfigContext:
    """One configuration file as a rule sees it."""

    kind: ConfigKind
    path: str
    text: str
    editor: TomlEditor
    deployment: Facts
    telegraf: TelegrafConf | None = None
    kapacitor: KapacitorConf | None = None
    _starts: list[int] = field(default_factory=list, init=False)

    # --- the facts every TM3xx rule starts from ------------------------------------------

    @property
    def kapacitor_conf(self) -> KapacitorConf:
        """The kapacitor.conf's facts (a rule with `config = "kapacitor"` always has them)."""
        assert self.kapacitor is not None
        return self.kapacitor

    @property
    def telegraf_conf(self) -> TelegrafConf:
        """The Telegraf file's facts (a rule with `config = "telegraf"` always has them)."""
        assert self.telegraf is not None
        return self.telegraf

    @property
    def profile(self) -> TargetProfile:
        return self.deployment.mappings.profile

    @property
    def server(self) -> str:
        """What Kapacitor moves to, as the messages name it."""
        return self.profile.label if self.profile.v3 else "InfluxDB 2"

    @property
    def kapacitor_urls(self) -> tuple[str, ...]:
        """Kapacitor's URL when known (not the placeholder): what outputs to it write to."""
        return kapacitor_urls(self)

    def clusters(self) -> Iterator[InfluxDBCluster]:
        """The enabled `[[influxdb]]` sections that have a place in the file."""
        return (c for c in self.kapacitor_conf.enabled_clusters() if c.line is not None)

    def outputs(self) -> Iterator[TelegrafOutput]:
        """The `[[outputs.influxdb]]` of the file that have a place in it."""
        return (o for o in self.telegraf_conf.influxdb() if o.line is not None)

    def location(self, line: int | None) -> Location:
        """The whole of a 1-based line (None: the file's first line)."""
        if not self._starts:
            pos = 0
            for text in self.text.splitlines(keepends=True) or [""]:
                self._starts.append(pos)
                pos += len(text)
            self._starts.append(pos)
        row = min(max(line or 1, 1), len(self._starts) - 1)
        start, end = self._starts[row - 1], self._starts[row]
        content = self.text[start:end].rstrip("\r\n")
        lead = len(content) - len(content.lstrip(" \t"))
        return Location(
            self.path, start + lead, start + len(content), row, lead + 1, row, len(content) + 1
        )


def output_table(conf: TelegrafConf, output: TelegrafOutput) -> TableRef:
    """Where a Telegraf output's table is (an element of the array, or a single table)."""
    single = output.plugin in conf.single_tables
    return TableRef(("outputs", output.plugin), None if single else output.index)


def output_line(ctx: ConfigContext, output: TelegrafOutput, key: str | None = None) -> int | None:
    """The line of `key` in the output's table, else of its header."""
    return _key_line(ctx, output_table(ctx.telegraf_conf, output), key, output.line)


def cluster_table(conf: KapacitorConf, cluster: InfluxDBCluster) -> TableRef:
    return TableRef(("influxdb",), None if conf.influxdb_single_table else cluster.index)


def cluster_line(
    ctx: ConfigContext, cluster: InfluxDBCluster, key: str | None = None
) -> int | None:
    """The line of `key` in an `[[influxdb]]` section, else of its header."""
    return _key_line(ctx, cluster_table(ctx.kapacitor_conf, cluster), key, cluster.line)


def _key_line(ctx: ConfigContext, ref: TableRef, key: str | None, header: int | None) -> int | None:
    section = ctx.editor.table(ref.name, ref.index)
    if section is None:
        return header
    return (ctx.editor.line_of(section, key) if key else None) or header


def kapacitor_urls(ctx: ConfigContext) -> tuple[str, ...]:
    target = ctx.deployment.kapacitor
    return () if target.placeholder else (target.url,)


class ConfigRule(Rule):
    """A rule about a configuration file: it finds nothing in a task."""

    #: Which files it reads.
    config: ClassVar[ConfigKind]
    patches_config = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        raise NotImplementedError

    def finding(
        self,
        ctx: ConfigContext,
        line: int | None,
        message: str,
        *,
        actions: Sequence[PatchAction] = (),
        fix_title: str = "",
        severity: Severity | None = None,
        notes: tuple[str, ...] = (),
    ) -> RuleFinding:
        fix = None
        if actions:
            edits = tuple(
                Edit(ctx.path, start, end, text)
                for start, end, text in edits_of(ctx.path, ctx.text, actions)
            )
            fix = Fix(fix_title or message, edits, self.fix_safety or Applicability.SAFE)
        diagnostic = self.diagnostic(
            ctx.location(line), message, fix=fix, notes=notes, severity=severity
        )
        return RuleFinding(diagnostic, tuple(actions))

    def set_key(
        self,
        ctx: ConfigContext,
        place: Place,
        key: str,
        value: object,
        message: str,
        *,
        fix_title: str,
        severity: Severity | None = None,
        comments: tuple[str, ...] = (),
        after: tuple[str, ...] = (),
    ) -> RuleFinding:
        """The shape most TM3xx findings take: about one section of the file (an
        `[[influxdb]]` cluster, a Telegraf output, or a table), at the line of `key` there,
        fixed by setting `key = value` in it."""
        table, line = where(ctx, place, key)
        action = SetKey(table, key, value, comments=comments, after=after)
        return self.finding(
            ctx, line, message, actions=[action], fix_title=fix_title, severity=severity
        )


#: What a finding can be about: a kapacitor.conf `[[influxdb]]` section, a Telegraf output,
#: or any table of the file.
Place = InfluxDBCluster | TelegrafOutput | TableRef


def where(ctx: ConfigContext, place: Place, key: str | None = None) -> tuple[TableRef, int | None]:
    """The table of a place, and the line of `key` in it (a cluster's or an output's header
    when the key is not there)."""
    if isinstance(place, InfluxDBCluster):
        return cluster_table(ctx.kapacitor_conf, place), cluster_line(ctx, place, key)
    if isinstance(place, TelegrafOutput):
        return output_table(ctx.telegraf_conf, place), output_line(ctx, place, key)
    found = ctx.editor.table(place.name, place.index)
    return place, ctx.editor.line_of(found, key) if found is not None and key else None
