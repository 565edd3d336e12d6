"""Line-precise TOML edits: values replaced in place, keys added below their commented-out
sample line, new array-of-tables elements placed after the whole element before them (its
sub-tables too), line endings kept, the result checked by parsing; secrets masked; parse
errors located."""

from __future__ import annotations

import sys

import pytest

from tickmig.configs.secrets import mask_secrets, redact_url
from tickmig.configs.tomledit import CommentLine, PatchError, TomlEditor
from tickmig.configs.tomlfile import TomlProblem, parse_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def editor(text: str) -> TomlEditor:
    return TomlEditor("t.toml", text, parse_toml("t.toml", text))


TELEGRAF = """\
# head
[agent]
  interval = "10s"

[[outputs.influxdb]]
  urls = [
    "http://a:8086",  # first
    "http://b:8086",
  ]
  ## sample
  # skip_database_creation = false
  database = "telegraf"  # trailing comment
[outputs.influxdb.tagpass]
  role = ["web"]

# banner of the inputs
[[inputs.cpu]]
  percpu = true
"""


def test_value_replaced_in_place_keeps_the_inline_comment() -> None:
    ed = editor(TELEGRAF)
    section = ed.table(("outputs", "influxdb"), 0)
    assert section is not None
    ed.set_value(section, ["outputs", "influxdb", 0], "database", "metrics")
    out = ed.result()
    assert '  database = "metrics"  # trailing comment\n' in out
    assert out.replace('"metrics"', '"telegraf"') == TELEGRAF


def test_key_added_below_its_commented_sample() -> None:
    ed = editor(TELEGRAF)
    section = ed.table(("outputs", "influxdb"), 0)
    assert section is not None
    ed.set_value(section, ["outputs", "influxdb", 0], "skip_database_creation", True)
    out = ed.result()
    assert "  # skip_database_creation = false\n  skip_database_creation = true\n" in out


def test_multi_line_value_is_one_entry_and_cannot_be_replaced() -> None:
    ed = editor(TELEGRAF)
    section = ed.table(("outputs", "influxdb"), 0)
    assert section is not None
    (urls,) = [e for e in ed.keys(section) if e.key == ("urls",)]
    assert (urls.start, urls.end, urls.value_span) == (5, 9, None)
    with pytest.raises(PatchError):
        ed.set_value(section, ["outputs", "influxdb", 0], "urls", ["http://c:8086"])


def test_new_element_goes_after_the_sub_tables_and_before_the_next_banner() -> None:
    ed = editor(TELEGRAF)
    first = ed.table(("outputs", "influxdb"), 0)
    table: dict[str, object] = {
        "urls": ["http://k:9092"],
        "#": CommentLine("why"),
        "database": "telegraf",
    }
    ed.add_tables(first, ["outputs", "influxdb"], [(["added"], table)])
    out = ed.result()
    assert '  role = ["web"]\n\n# added\n[[outputs.influxdb]]\n' in out
    assert '  ## why\n  database = "telegraf"\n\n# banner of the inputs\n' in out
    data = tomllib.loads(out)
    assert data["outputs"]["influxdb"][0]["tagpass"] == {"role": ["web"]}
    assert data["outputs"]["influxdb"][1] == {"urls": ["http://k:9092"], "database": "telegraf"}


def test_crlf_line_endings_are_kept() -> None:
    ed = editor(TELEGRAF.replace("\n", "\r\n"))
    section = ed.table(("agent",))
    assert section is not None
    ed.set_value(section, ["agent"], "flush_interval", "5s", comments=["added"])
    out = ed.result()
    assert '  # added\r\n  flush_interval = "5s"\r\n' in out
    assert "\n" not in out.replace("\r\n", "")


def test_root_key_is_added_before_the_first_table() -> None:
    ed = editor("# only a comment\n\n[agent]\n  a = 1\n")
    root = ed.table(())
    assert root is not None
    ed.set_value(root, [], "top", "x")
    assert ed.result() == '# only a comment\n\ntop = "x"\n[agent]\n  a = 1\n'


def test_unchanged_editor_returns_the_text_unchanged() -> None:
    ed = editor(TELEGRAF)
    assert not ed.changed
    assert ed.result() == TELEGRAF


def test_parse_error_has_line_and_one_based_column() -> None:
    with pytest.raises(TomlProblem) as info:
        parse_toml("x.toml", "a = 1\nb = = 2\n")
    assert (info.value.line, info.value.column) == (2, 5)
    assert str(info.value).startswith("x.toml:2:5: invalid TOML")


def test_duplicate_key_is_located_too() -> None:
    with pytest.raises(TomlProblem) as info:
        parse_toml("x.toml", '[[s]]\nname = "a"\nname = "b"\n')
    assert info.value.line == 3
    assert 'Key "name" already exists' in info.value.message


def test_masking() -> None:
    text = (
        'password = "s3cret"\n'
        "  token = 'tok-123'  # comment\n"
        '  # password = "old-secret"\n'
        'password = "${INFLUX_PASSWORD}"\n'
        'routing-key = "rk-9"\n'
        'username = "kapacitor"\n'
        'empty_password = ""\n'
        'urls = ["http://user:pa55@host:8086"]\n'
    )
    masked = mask_secrets(text)
    for secret in ("s3cret", "tok-123", "old-secret", "rk-9", "pa55"):
        assert secret not in masked
    assert 'password = "${INFLUX_PASSWORD}"' in masked
    assert 'username = "kapacitor"' in masked
    assert "# comment" in masked
    assert len(masked.splitlines()) == len(text.splitlines())
    assert redact_url("https://u:p@h/x") == "https://u:********@h/x"
