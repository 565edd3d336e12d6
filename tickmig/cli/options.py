"""The options the commands share (paths, mapping sources, settings file, output formats), how
they become Settings (the settings file first, the command line over it), and the one way a
command reports a usage error.

The options of `check`, `migrate` and `report` that say where the mappings come from are
declared once, as the fields of `MappingOptions`; `with_mapping_options` gives them to each
command as typer parameters and hands the command one `MappingOptions` value."""

from __future__ import annotations

import enum
import functools
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from tickmig.settings import Settings


class ParseFormat(str, enum.Enum):
    """`parse` and `rules` output formats (`rules` takes text or json)."""

    text = "text"
    json = "json"
    json_lines = "json-lines"


class CheckFormat(str, enum.Enum):
    text = "text"
    json = "json"
    json_lines = "json-lines"
    sarif = "sarif"
    github = "github"
    junit = "junit"


PathsArg = Annotated[list[str], typer.Argument(help="Files or directories (*.tick); - for stdin.")]
MappingOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--mapping",
        help="DBRP mappings: dbrps/buckets JSON, `influx v1 dbrp list "
        "--json` output, or a tickmig plan (TOML). Repeatable.",
    ),
]
InfluxUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--influx-url",
        help="Read mappings from this InfluxDB 2.",
    ),
]
OrgOpt = Annotated[str | None, typer.Option("--org", help="InfluxDB 2 organization name.")]
TokenEnvOpt = Annotated[
    str | None,
    typer.Option(
        "--token-env", help="Environment variable holding the token [default: INFLUX_TOKEN]."
    ),
]
TargetOpt = Annotated[
    str | None,
    typer.Option(
        "--target",
        metavar="TARGET",
        help="What Kapacitor moves to: oss (OSS 2; oss@2.7 for a version), cloud, "
        "cloud-serverless, v3-core or v3-enterprise [default: oss].",
    ),
]
InfluxVersionOpt = Annotated[
    str | None,
    typer.Option(
        "--influx-version",
        metavar="2.N",
        help="InfluxDB OSS 2 version (virtual mappings from 2.4, InfluxQL through them from 2.5).",
    ),
]
KapacitorVersionOpt = Annotated[
    str | None,
    typer.Option(
        "--kapacitor-version",
        metavar="1.N.P",
        help="Kapacitor version: checks 1.6 (token) and 1.8.2 (InfluxDB 3) gates.",
    ),
]
CloudPlanOpt = Annotated[
    str | None,
    typer.Option(
        "--cloud-plan",
        metavar="PLAN",
        help="InfluxDB Cloud plan (free or usage-based): its bucket and retention limits "
        "are errors; without it, exceeding the Free plan's is a warning.",
    ),
]
Influx3UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--influx3-url",
        metavar="URL",
        help="List databases and retention from this InfluxDB 3 (token: --token-env).",
    ),
]
InfluxqlUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--influxql-url", help="Read DBRPs from a 1.x /query endpoint (InfluxDB 1.x or 2.x)."
    ),
]
DBRPOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--dbrp",
        metavar="DB.RP",
        help="A DBRP of the scripts given, as `kapacitor define -dbrp` (repeatable): for tasks "
        "defined outside files.",
    ),
]
UsernameOpt = Annotated[str | None, typer.Option("--username", help="For --influxql-url.")]
PasswordEnvOpt = Annotated[
    str | None,
    typer.Option(
        "--password-env",
        help="Environment variable holding the password [default: INFLUX_PASSWORD].",
    ),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(
        "--config", help="Settings file (tickmig.toml, or pyproject.toml with [tool.tickmig])."
    ),
]


class ColorChoice(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


def usage_error(message: str) -> NoReturn:
    """`tickmig: error: MESSAGE` on standard error, exit status 2."""
    typer.echo(f"tickmig: error: {message}", err=True)
    raise typer.Exit(2)


SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Rule codes or prefixes to run (comma-separated, repeatable)."),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Rule codes or prefixes to skip."),
]
JobsOpt = Annotated[
    int | None,
    typer.Option("-j", "--jobs", min=1, help="Check files in N processes."),
]


def split_codes(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


@dataclass(frozen=True)
class MappingOptions:
    """The options `check`, `migrate` and `report` share, in the order `--help` lists them:
    the target, where the DBRP mappings come from, the DBRPs of tasks defined outside files,
    and the settings file. None: not given on the command line."""

    mapping: MappingOpt = None
    influx_url: InfluxUrlOpt = None
    org: OrgOpt = None
    token_env: TokenEnvOpt = None
    target: TargetOpt = None
    influx_version: InfluxVersionOpt = None
    kapacitor_version: KapacitorVersionOpt = None
    cloud_plan: CloudPlanOpt = None
    influx3_url: Influx3UrlOpt = None
    influxql_url: InfluxqlUrlOpt = None
    dbrp: DBRPOpt = None
    username: UsernameOpt = None
    password_env: PasswordEnvOpt = None
    config: ConfigOpt = None

    def settings(self, **overrides: Any) -> Settings:
        """The settings file (--config, or the one found), these options over it, and the
        command's own `overrides` over those; None values are not given and change nothing."""
        from tickmig.settings import load_settings

        settings = load_settings(self.config)
        given = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "config"}
        for key, value in {**given, **overrides}.items():
            if value is not None:
                setattr(settings, key, value)
                settings.from_file.discard(key)
                settings.given.add(key)
        return settings


#: MappingOptions with nothing given: the default of a command's MappingOptions parameter.
NO_MAPPING_OPTIONS = MappingOptions()


def with_mapping_options(command: Callable[..., None]) -> Callable[..., None]:
    """The command with each field of MappingOptions as a typer parameter of its own, where
    the command declares one `MappingOptions` parameter; typer calls it with the options,
    and the command gets them as one MappingOptions value."""
    signature = inspect.signature(command, eval_str=True)
    (group,) = [p.name for p in signature.parameters.values() if p.annotation is MappingOptions]
    hints = typing.get_type_hints(MappingOptions, include_extras=True)
    names = [f.name for f in fields(MappingOptions)]
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name != group:
            parameters.append(parameter)
            continue
        parameters.extend(
            inspect.Parameter(name, parameter.kind, default=None, annotation=hints[name])
            for name in names
        )

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        options = MappingOptions(**{name: kwargs.pop(name) for name in names})
        command(*args, **{group: options}, **kwargs)

    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run


# --- the configuration files (report, check) ---------------------------------------------------

TelegrafConfOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--telegraf-conf",
        metavar="FILE",
        help="Telegraf configuration to check and patch (outputs to Kapacitor). Repeatable.",
    ),
]
KapacitorConfOpt = Annotated[
    str | None,
    typer.Option(
        "--kapacitor-conf",
        metavar="FILE",
        help="kapacitor.conf to check and patch ([[influxdb]] sections, .cluster() names).",
    ),
]
KapacitorUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--kapacitor-url",
        metavar="URL",
        help="Where Telegraf reaches Kapacitor's write API (default: from --kapacitor-conf, "
        "else the placeholder ${KAPACITOR_URL}).",
    ),
]
PatchInfluxUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--patch-influx-url",
        metavar="URL",
        help="Write this InfluxDB 2 URL into the patched Telegraf outputs and [[influxdb]] "
        "sections (never done otherwise).",
    ),
]


def check_kapacitor_url(url: str | None, option: str = "--kapacitor-url") -> None:
    """A usage error unless `url` is an http(s) URL with a host (None passes)."""
    from urllib.parse import urlsplit

    from tickmig.errors import ConfigError

    if url is None:
        return
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{option} must be an http(s) URL such as http://kapacitor:9092, not {url!r}"
        )
