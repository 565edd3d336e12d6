"""What Kapacitor's config API overrides in `[[influxdb]]`: the API serves the file merged
with the overrides stored through it (services/config/service.go), and stored overrides beat
kapacitor.conf. Given the file, each element's options are compared with it: an element the
file does not have was added through the API, an option whose value differs was set through
it. Redacted options (password, token) cannot be compared and are listed as unknown."""

from __future__ import annotations

import json
import sys
from typing import Any

from tickmig.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) or str(a) == str(b)


def influxdb_overrides(conf_path: str, api: dict[str, Any]) -> dict[str, Any]:
    """`{element name: {"added": bool, "differs": [...], "unknown": [...]}}` for every
    `[[influxdb]]` element the API serves."""
    try:
        with open(conf_path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"{conf_path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{conf_path}: {exc}") from None
    sections = data.get("influxdb") or []
    if isinstance(sections, dict):
        sections = [sections]
    in_file = {str(s.get("name") or "default"): s for s in sections if isinstance(s, dict)}
    out: dict[str, Any] = {}
    for element in api.get("elements") or []:
        options = element.get("options") or {}
        redacted = set(element.get("redacted") or [])
        name = str(options.get("name") or "default")
        written = in_file.get(name)
        unknown = sorted(k for k in redacted if k in options)
        if written is None:
            out[name] = {"added": True, "differs": [], "unknown": unknown}
            continue
        differs = sorted(
            k
            for k, v in options.items()
            if k in written and k not in redacted and not _same(v, written[k])
        )
        out[name] = {"added": False, "differs": differs, "unknown": unknown}
    return dict(sorted(out.items()))


def describe(overrides: dict[str, Any], conf_path: str) -> list[str]:
    lines = []
    for name, o in overrides.items():
        if o["added"]:
            lines.append(f"[[influxdb]] {name!r} exists only through the config API")
        for key in o["differs"]:
            lines.append(
                f"[[influxdb]] {name!r} {key}: set through the config API, differs from "
                f"{conf_path} (the API wins)"
            )
    return lines
