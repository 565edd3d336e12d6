"""Check server URLs and keep credentials out of every message tickmig prints."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, urlsplit

from tickmig.mappings.errors import MappingError

REDACTED = "***"


def check_url(url: str, option: str) -> str:
    """Validate an http(s) server URL; return it for display (no user info, query or fragment)."""
    shown = display_url(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise MappingError(f"invalid URL {shown}: bad port; check {option}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MappingError(
            f"invalid URL {shown}: expected http://HOST:PORT or https://HOST:PORT; check {option}"
        )
    return shown


def display_url(url: str) -> str:
    """``scheme://host:port/path`` without credentials, query or fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "<unparsable URL>"
    host = parts.netloc.rpartition("@")[2]
    if "://" not in url or not host:
        return repr(url.strip().rpartition("@")[2])
    return f"{parts.scheme}://{host}{parts.path or '/'}"


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every secret (and its URL-encoded forms) with ``***``, as whole values only: a
    short token that happens to occur inside a word ("DB" in "InfluxDB") is left alone.

    A secret spanning several lines is also masked line by line and with its whitespace
    collapsed, as one-line messages show it, so no form of it is ever printed whole.
    """
    forms: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        escaped = repr(secret)[1:-1]  # as a Python or bytes repr would show it
        for form in (secret, quote(secret, safe=""), quote_plus(secret), escaped):
            forms.add(form)
        if any(c.isspace() for c in secret):
            forms.add(" ".join(secret.split()))
            forms.update(part for part in secret.split() if len(part) >= 4)
    for form in sorted(forms, key=len, reverse=True):
        pattern = re.escape(form)
        if form[:1].isalnum():
            pattern = r"(?<![A-Za-z0-9])" + pattern
        if form[-1:].isalnum():
            pattern += r"(?![A-Za-z0-9])"
        text = re.sub(pattern, REDACTED, text)
    return text


def basic_credentials(username: str, password: str) -> str:
    """The base64 part of an ``Authorization: Basic`` header."""
    return base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def one_line(text: str, limit: int = 160) -> str:
    """Collapse whitespace and shorten, for quoting server answers in a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
