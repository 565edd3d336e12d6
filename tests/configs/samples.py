"""The upstream sample configurations under fixtures/configs/ (see SOURCES.md there), and
the variants an operator makes of them."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "configs"
TELEGRAF_STOCK = FIXTURES / "telegraf-stock.conf"
KAPACITOR_STOCK = FIXTURES / "kapacitor-stock.conf"


def telegraf_stock() -> str:
    return TELEGRAF_STOCK.read_text(encoding="utf-8")


def telegraf_usual_edit(url: str = "http://influxdb:8086", database: str = "telegraf") -> str:
    """The stock file with only `urls` and `database` of `[[outputs.influxdb]]` uncommented,
    the usual first edit."""
    text = telegraf_stock()
    old_url = '  # urls = ["http://127.0.0.1:8086"]\n'
    old_db = '  # database = "telegraf"\n'
    assert text.count(old_url) == 1 and old_db in text
    text = text.replace(old_url, f'  urls = ["{url}"]\n', 1)
    return text.replace(old_db, f'  database = "{database}"\n', 1)


def kapacitor_stock() -> str:
    return KAPACITOR_STOCK.read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
