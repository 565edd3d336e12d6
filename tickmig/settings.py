"""Settings from `tickmig.toml` (top-level keys) or `[tool.tickmig]` in `pyproject.toml`,
found from the current directory upwards; the command line wins over them."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tickmig.errors import ConfigError
from tickmig.text.regular import read_regular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


@dataclass
class Settings:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)
    influx_url: str | None = None
    org: str | None = None
    token_env: str = "INFLUX_TOKEN"
    target: str = "oss"
    #: InfluxDB OSS 2 version (``2.7``), for --target oss.
    influx_version: str | None = None
    #: Kapacitor version (``1.8.2``): checks the version gates of the target.
    kapacitor_version: str | None = None
    #: InfluxDB Cloud plan (``free``, ``usage-based``), for --target cloud/cloud-serverless.
    cloud_plan: str | None = None
    #: A live InfluxDB 3 (Core/Enterprise) to list databases from.
    influx3_url: str | None = None
    influxql_url: str | None = None
    #: DBRPs of scripts defined with `kapacitor define -dbrp` (`--dbrp DB.RP`, repeatable).
    dbrp: list[str] = field(default_factory=list)
    username: str | None = None
    password_env: str = "INFLUX_PASSWORD"
    output_format: str = "text"
    exit_zero: bool = False
    #: Processes for checking; 0: as many as the machine has cores (for trees of 64+ scripts).
    jobs: int = 0
    #: The check cache's directory; None: `.tickmig_cache` beside the settings file (or in the
    #: current directory), or TICKMIG_CACHE_DIR.
    cache_dir: str | None = None
    no_cache: bool = False
    #: Telegraf configurations to check and patch (`--telegraf-conf` replaces them).
    telegraf_conf: list[str] = field(default_factory=list)
    #: The kapacitor.conf to check and patch (`--kapacitor-conf` replaces it); tickmig reads
    #: one, so the setting is a path or a list of one path.
    kapacitor_conf: str | None = None
    #: Where the settings were read from ("" when only defaults).
    source: str = ""
    #: The settings whose value is the file's (a command-line option given removes its name):
    #: a message about such a value names the file.
    from_file: set[str] = field(default_factory=set)
    #: The settings given on the command line (a default is not given).
    given: set[str] = field(default_factory=set)

    def where(self, *names: str) -> str:
        """`FILE: ` when one of `names` came from the settings file, else ``."""
        return f"{self.source}: " if self.from_file.intersection(names) else ""


_LISTS = {"select", "ignore", "mapping", "dbrp", "telegraf_conf"}
_BOOLS = {"exit_zero", "no_cache"}
_INTS = {"jobs"}


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest tickmig.toml, or pyproject.toml with a [tool.tickmig] table."""
    for folder in (start, *start.parents):
        candidate = folder / "tickmig.toml"
        if candidate.exists():  # a FIFO or folder there is an error, not skipped
            return candidate, _read(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.exists():
            table = _read(pyproject).get("tool", {}).get("tickmig")
            if isinstance(table, dict):
                return pyproject, table
    return None


def load_settings(explicit: str | None = None, cwd: Path | None = None) -> Settings:
    """Settings from the explicit file, or the one found from `cwd` upwards."""
    if explicit is not None:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"{explicit}: no such configuration file")
        data = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("tickmig", {})
        found: tuple[Path, dict[str, Any]] | None = (path, data)
    else:
        found = find_config(cwd or Path.cwd())
    settings = Settings()
    if found is None:
        return settings
    path, data = found
    settings.source = str(path)
    known = {f.name for f in fields(Settings)} - {"source", "from_file", "given"}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(
                f"{path}: unknown setting {key!r} (known: "
                f"{', '.join(sorted(k.replace('_', '-') for k in known))})"
            )
        setattr(settings, name, _coerce(path, key, name, value))
        settings.from_file.add(name)
    base = path.parent
    settings.mapping = [m if os.path.isabs(m) else str(base / m) for m in settings.mapping]
    settings.telegraf_conf = [
        t if os.path.isabs(t) else str(base / t) for t in settings.telegraf_conf
    ]
    if settings.kapacitor_conf is not None and not os.path.isabs(settings.kapacitor_conf):
        settings.kapacitor_conf = str(base / settings.kapacitor_conf)
    if settings.cache_dir is not None and not os.path.isabs(settings.cache_dir):
        settings.cache_dir = str(base / settings.cache_dir)
    return settings


def _coerce(path: Path, key: str, name: str, value: Any) -> Any:
    if name in _LISTS:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise ConfigError(f"{path}: {key} must be a string or a list of strings")
    if name == "kapacitor_conf" and isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], str):
            return value[0]
        raise ConfigError(f"{path}: {key} must be one path (tickmig reads one kapacitor.conf)")
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: {key} must be true or false")
        return value
    if name in _INTS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{path}: {key} must be a whole number of at least 1")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{path}: {key} must be a string")
    return value


def _read(path: Path) -> dict[str, Any]:
    try:
        return dict(tomllib.loads(read_regular(path).decode("utf-8")))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; settings files are TOML (UTF-8)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
