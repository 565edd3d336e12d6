"""Every planted secret is masked in every report format (issue 11, 0b and 7): TOML strings in
every form, values starting with `$`, URL passwords holding `@` or `/`, credentials inside
--influx-url and --kapacitor-url; masking replaces whole values, never parts of words."""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.configs.secrets import mask_secrets
from tickmig.mappings.urls import redact

SECRETS = {
    "basic": "Sec-basic-111",
    "literal": "Sec-literal-222",
    "multi_basic": "Sec-multi-333",
    "multi_literal": "Sec-mlit-444",
    "dollar": "$Sec-dollar-555",
    "url_at": "p@ss-666",
    "url_slash": "pa/ss-777",
    "inline": "Sec-inline-888",
    "kapacitor_url": "kap-pw-999",
    "influx_url": "infl-pw-000",
}

KAPACITOR_CONF = f"""\
[[influxdb]]
  enabled = true
  name = "default"
  default = true
  urls = ["http://admin:{SECRETS["url_at"]}@influx.internal:8086"]
  username = "admin"
  password = "{SECRETS["basic"]}"
  token = '{SECRETS["literal"]}'
  disable-subscriptions = false

[[influxdb]]
  enabled = true
  name = "second"
  urls = ["http://admin:{SECRETS["url_slash"]}@influx2.internal:8086"]
  password = \"\"\"
{SECRETS["multi_basic"]}\"\"\"
  [influxdb.subscriptions]
"""

TELEGRAF_CONF = f"""\
[[outputs.influxdb]]
  urls = ["http://127.0.0.1:8086"]
  database = "telegraf"
  password = '''{SECRETS["multi_literal"]}
'''
  token = "{SECRETS["dollar"]}"
  tls = {{ key = "{SECRETS["inline"]}" }}
"""

SCRIPT = 'dbrp "telegraf"."autogen"\nstream|from().measurement(\'cpu\')\n'


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    (tmp_path / "kapacitor.conf").write_text(KAPACITOR_CONF)
    (tmp_path / "telegraf.conf").write_text(TELEGRAF_CONF)
    (tmp_path / "t.tick").write_text(SCRIPT)
    return tmp_path


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "text"])
def test_no_planted_secret_in_any_report_format(planted: Path, fmt: str) -> None:
    done = subprocess.run(
        [
            sys.executable, "-m", "tickmig", "report", str(planted / "t.tick"),
            "--format", fmt,
            "--kapacitor-conf", str(planted / "kapacitor.conf"),
            "--telegraf-conf", str(planted / "telegraf.conf"),
            "--kapacitor-url", f"http://kap:{SECRETS['kapacitor_url']}@kapacitor.internal:9092",
        ],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "Traceback" not in done.stderr
    shown = html.unescape(done.stdout + done.stderr).replace("\\/", "/")
    assert len(done.stdout) > 500
    leaked = {name for name, secret in SECRETS.items() if secret in shown}
    assert leaked == set()


def test_mask_keeps_env_references_and_line_count() -> None:
    text = 'token = "${INFLUX_TOKEN}"\npassword = """a\nb\n"""\nuser = "bob"\n'
    masked = mask_secrets(text)
    assert masked == 'token = "${INFLUX_TOKEN}"\npassword = """********\n\n"""\nuser = "bob"\n'


def test_redact_replaces_whole_values_only() -> None:
    assert redact("InfluxDB refused DB", ["DB"]) == "InfluxDB refused ***"
    assert redact("Influx said: xyz", ["Influ"]) == "Influx said: xyz"


def test_a_token_with_a_newline_is_never_shown_whole() -> None:
    token = "first-half\nsecond-half"
    shown = redact("cannot send: first-half second-half is not a header", [token])
    assert "first-half" not in shown and "second-half" not in shown
