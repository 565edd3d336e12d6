"""The typed facts read from Telegraf and kapacitor.conf files: upstream samples as published,
and the edits an operator makes to them."""

from __future__ import annotations

from pathlib import Path

from tickmig.configs.kapacitor_facts import load_kapacitor_conf
from tickmig.configs.telegraf_facts import MetricFilters, load_telegraf

from .samples import KAPACITOR_STOCK, TELEGRAF_STOCK, kapacitor_stock, telegraf_usual_edit, write


def test_stock_telegraf_has_one_influxdb_output_with_telegraf_defaults() -> None:
    conf = load_telegraf(str(TELEGRAF_STOCK))
    (output,) = conf.outputs
    assert output.plugin == "influxdb"
    assert output.line == 121
    assert output.urls == ("http://localhost:8086",)
    assert (output.database, output.retention_policy) == ("telegraf", "")
    assert not output.skip_database_creation
    assert output.filters == MetricFilters() and output.filters.empty
    assert not output.to_kapacitor()


def test_usual_edit_reads_the_uncommented_urls_and_database(tmp_path: Path) -> None:
    path = write(tmp_path, "telegraf.conf", telegraf_usual_edit("http://influx:8086", "web"))
    (output,) = load_telegraf(path).outputs
    assert output.urls == ("http://influx:8086",)
    assert output.database == "web"
    assert output.keys == frozenset({"urls", "database"})


def test_filters_destination_tags_and_kapacitor_detection(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "t.conf",
        """\
[[outputs.influxdb]]
  urls = ["http://kapacitor.internal:9092"]
  database = "telegraf"
  retention_policy = "autogen"
  namepass = ["cpu", "mem"]
  fieldpass = ["usage_*"]
  [outputs.influxdb.tagpass]
    host = ["web-*"]

[[outputs.influxdb]]
  urls = ["http://kap:9999"]
  database_tag = "db"
  exclude_database_tag = true

[[outputs.influxdb_v2]]
  urls = ["http://influx2:8086"]
  bucket = "telegraf/autogen"
  token = "secret"
""",
    )
    conf = load_telegraf(path)
    first, second, v2 = conf.outputs
    assert first.to_kapacitor() and (first.line, second.line, v2.line) == (1, 10, 15)
    assert first.filters.as_toml() == {
        "namepass": ["cpu", "mem"],
        "fieldpass": ["usage_*"],
        "tagpass": {"host": ["web-*"]},
    }
    assert second.dynamic and second.exclude_database_tag
    assert not second.to_kapacitor() and second.to_kapacitor(("http://kap:9999/",))
    assert (v2.bucket, v2.has_credentials, v2.database) == ("telegraf/autogen", True, None)


def test_stock_kapacitor_conf() -> None:
    conf = load_kapacitor_conf(str(KAPACITOR_STOCK))
    assert conf.url == "http://localhost:9092"
    assert conf.hostname_set and conf.default_retention_policy == ""
    assert conf.config_override_enabled and conf.overrides_apply
    (cluster,) = conf.influxdb
    assert (cluster.name, cluster.enabled, cluster.default) == ("localhost", True, True)
    assert cluster.urls == ("http://localhost:8086",) and cluster.auth == "none"
    assert not cluster.disable_subscriptions
    assert {(x.kind, x.enabled) for x in conf.listeners} == {
        ("collectd", False),
        ("opentsdb", False),
    }
    assert conf.listener_pairs() == {}


def test_kapacitor_url_listeners_and_overrides_from_an_edited_sample(tmp_path: Path) -> None:
    text = (
        kapacitor_stock()
        .replace('hostname = "localhost"', 'hostname = "kapacitor-01.ops"', 1)
        .replace('  bind-address = ":9092"', '  bind-address = ":9192"', 1)
        .replace('default-retention-policy = ""', 'default-retention-policy = "autogen"', 1)
        .replace(
            "[config-override]\n  # Enable/Disable the service for overridding configuration"
            " via the HTTP API.\n  enabled = true",
            "[config-override]\n  enabled = false",
            1,
        )
    )
    text += '\n[[udp]]\n  enabled = true\n  bind-address = ":9100"\n  database = "game"\n'
    path = write(tmp_path, "kapacitor.conf", text)
    conf = load_kapacitor_conf(path)
    assert conf.url == "http://kapacitor-01.ops:9192"
    assert not conf.config_override_enabled and not conf.overrides_apply
    (udp,) = [x for x in conf.listeners if x.kind == "udp"]
    assert udp.label == "[[udp]] #1" and udp.line == text.count("\n", 0, text.index("[[udp]]")) + 1
    assert conf.listener_pairs() == {("game", "autogen"): udp}


def test_https_and_defaults_without_http_section(tmp_path: Path) -> None:
    path = write(tmp_path, "k.conf", "[http]\n  https-enabled = true\n")
    assert load_kapacitor_conf(path).url == "https://localhost:9092"
    bare = load_kapacitor_conf(write(tmp_path, "e.conf", ""))
    assert not bare.hostname_set and bare.url == "http://localhost:9092"
