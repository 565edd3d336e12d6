"""The options the commands share (paths, mapping sources, settings file, output formats), how
they become Settings (the settings file first, the command line over it), and the one way a
command reports a usage error."""

from __future__ import annotations

import enum
from typing import Annotated, Any, NoReturn

import typer


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


def mapping_overrides(
    mapping: list[str] | None,
    influx_url: str | None,
    org: str | None,
    token_env: str | None,
    target: str | None,
    influxql_url: str | None,
    username: str | None,
    password_env: str | None,
    *,
    influx_version: str | None = None,
    kapacitor_version: str | None = None,
    influx3_url: str | None = None,
) -> dict[str, Any]:
    """The mapping options every command shares, as settings overrides."""
    return {
        "mapping": mapping,
        "influx_url": influx_url,
        "org": org,
        "token_env": token_env,
        "target": target,
        "influx_version": influx_version,
        "kapacitor_version": kapacitor_version,
        "influx3_url": influx3_url,
        "influxql_url": influxql_url,
        "username": username,
        "password_env": password_env,
    }


def cli_settings(config: str | None, **overrides: Any) -> Any:
    from tickmig.settings import load_settings

    settings = load_settings(config)
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, value)
    return settings


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
