"""Secrets kept out of what tickmig prints from configuration files: the values of password,
token and secret keys in a TOML text (every string form), and the passwords in URLs."""

from __future__ import annotations

import re

MASK = "********"
_SECRET_KEY = re.compile(r"(?i)(pass(word)?|token|secret|credential|(^|[-_])key)$")
#: `key =` followed by a string, anywhere (line start, after `#`, inside an inline table).
_ASSIGNMENT = re.compile(r"""(?P<key>[A-Za-z0-9_.-]+|"[^"\n]*"|'[^'\n]*')[ \t]*=[ \t]*(?=["'])""")
#: Only `${VAR}` is kept: Telegraf substitutes it, and it holds no secret. A value merely
#: starting with `$` may be a password.
_ENV_REFERENCE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$")
#: The user info of a URL up to its last `@` (a password may hold `@` or `/`).
_URL_PASSWORD = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@\"'\[\]]+:)[^\s\"']*@")


def _string_end(text: str, start: int) -> tuple[int, int, int]:
    """(content start, content end, end) of the TOML string starting at `start`, in any of
    its four forms; an unterminated string runs to the end of its line (or of the text)."""
    for quote in ('"""', "'''"):
        if text.startswith(quote, start):
            body = start + 3
            at = body
            while True:
                at = text.find(quote, at)
                if at < 0:
                    return body, len(text), len(text)
                if quote == '"""' and _escaped(text, at):
                    at += 1
                    continue
                while text.startswith(quote[0], at + 3):  # up to two quotes end the content
                    at += 1
                return body, at, at + 3
    quote = text[start]
    at = start + 1
    while at < len(text) and text[at] != "\n":
        if text[at] == quote and not (quote == '"' and _escaped(text, at)):
            return start + 1, at, at + 1
        at += 1
    return start + 1, at, at


def _escaped(text: str, at: int) -> bool:
    slashes = 0
    while at - slashes - 1 >= 0 and text[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def mask_secrets(text: str) -> str:
    """The text with the values of password/token/secret keys (in every TOML string form:
    basic, literal, multi-line) and the passwords inside URLs replaced by ********; only
    references to environment variables (`${VAR}`) are kept. Line count is kept."""
    out: list[str] = []
    pos = 0
    for match in _ASSIGNMENT.finditer(text):
        if match.start() < pos:
            continue  # inside a value already handled
        body, end, after = _string_end(text, match.end())
        key = match.group("key").strip("\"'").rsplit(".", 1)[-1]
        value = text[body:end]
        out.append(text[pos:body])
        if _SECRET_KEY.search(key) and value and not _ENV_REFERENCE.match(value):
            out.append(MASK + "\n" * value.count("\n"))
        else:
            out.append(value)
        out.append(text[end:after])
        pos = after
    out.append(text[pos:])
    return redact_url("".join(out))


def redact_url(url: str) -> str:
    """A URL without the password of its user part."""
    return _URL_PASSWORD.sub(lambda m: m.group("scheme") + MASK + "@", url)
