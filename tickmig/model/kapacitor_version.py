"""What tickmig knows of the Kapacitor version, and how it knows it.

Only a version given by the operator counts (`--kapacitor-version`, or `kapacitor-version` in
tickmig.toml). kapacitor.conf has no version key, and what it holds is no proof either:
Kapacitor decodes its configuration with ``toml.DecodeFile`` and never checks for keys it did
not use (influxdata/kapacitor ``cmd/kapacitord/run/command.go``), so a ``token`` in
``[[influxdb]]`` or a ``[fluxtask]`` section (both from 1.6.0, ``etc/kapacitor/kapacitor.conf``)
says what the file was written for, while an older Kapacitor reads it without them; and the
sample configuration of 1.8.2 differs from 1.8.0's only in comments. tickmig therefore says
"unknown" and asks, rather than guessing from the file."""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.targets.profile import TargetProfile, version_text

GIVEN = "given with --kapacitor-version (or kapacitor-version in tickmig.toml)"


@dataclass(frozen=True)
class KapacitorVersion:
    version: tuple[int, int, int] | None
    #: How tickmig knows it, or why it does not.
    how: str

    @property
    def text(self) -> str:
        return version_text(self.version) if self.version is not None else "unknown"


def kapacitor_version(profile: TargetProfile, conf_path: str | None) -> KapacitorVersion:
    if profile.kapacitor is not None:
        return KapacitorVersion(profile.kapacitor, GIVEN)
    hints = _hints(conf_path)
    why = "kapacitor.conf has no version key" if conf_path else "no --kapacitor-version given"
    if hints:
        why += (
            f"; its {' and '.join(hints)} (from Kapacitor 1.6) say what the file was written "
            "for, not which Kapacitor reads it (Kapacitor ignores keys it does not know)"
        )
    return KapacitorVersion(None, why)


def gate(profile: TargetProfile, known: KapacitorVersion) -> str | None:
    """Why the known version cannot work with the target, or None."""
    need = profile.min_kapacitor
    if known.version is None or known.version >= need:
        return None
    if profile.v3:
        return (
            f"Kapacitor {known.text} ({known.how}) does not start against {profile.label}: its "
            f"/ping answers 200 with a body, which Kapacitor accepts from {version_text(need)} "
            "(influxdata/kapacitor PR #2865)"
        )
    return (
        f"Kapacitor {known.text} ({known.how}) has no [[influxdb]] token (from "
        f"{version_text(need)}): it ignores a token in kapacitor.conf"
    )


def _hints(path: str | None) -> list[str]:
    if path is None:
        return []
    from tickmig.configs.tomlfile import TomlProblem, read_toml

    try:
        _text, data = read_toml(path)
    except TomlProblem:
        return []
    out = []
    clusters = data.get("influxdb")
    tables = clusters if isinstance(clusters, list) else [clusters]
    if any(isinstance(t, dict) and "token" in t for t in tables):
        out.append("[[influxdb]] token")
    if isinstance(data.get("fluxtask"), dict):
        out.append("[fluxtask] section")
    return out
