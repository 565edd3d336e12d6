"""How each task reaches Kapacitor after the migration (tickmig.tasks.delivery): a load
directory reload (SIGHUP, every task restarts) or the exact `kapacitor define` command; and
what in-memory state the restart loses."""

from __future__ import annotations

from dataclasses import replace

from tickmig.tasks.analysis import analyse
from tickmig.tasks.dbrps import with_dbrps
from tickmig.tasks.delivery import delivery_of
from tickmig.tickscript.parser import parse

WINDOWED = (
    'dbrp "telegraf"."autogen"\n'
    "stream|from().measurement('cpu')|window().period(5m).every(1m)|mean('usage')"
    "|influxDBOut().database('derived').retentionPolicy('autogen')\n"
)
STATELESS = 'dbrp "telegraf"."autogen"\nstream|from().measurement(\'cpu\')|where(lambda: TRUE)\n'


def task(path: str, text: str):  # type: ignore[no-untyped-def]
    return analyse(parse(text, path), path)


def test_a_script_in_a_load_directory_is_applied_by_a_reload() -> None:
    found = task("kapacitor/load/tasks/cpu_5m.tick", WINDOWED).delivery
    assert (found.task_id, found.method, found.commands) == ("cpu_5m", "load-directory", ())
    assert "restarts every task" in found.note
    assert found.loses_window_state and found.loses_state == ("window",)


def test_a_script_defined_through_the_api_needs_its_define_command() -> None:
    found = delivery_of(task("scripts/cpu_alert.tick", STATELESS))
    assert found.method == "define"
    assert found.commands == (
        ("kapacitor", "define", "cpu_alert", "-type", "stream", "-tick", "scripts/cpu_alert.tick"),
    )
    assert not found.loses_window_state and found.loses_state == ()


def test_dbrps_given_on_the_command_line_go_into_the_define_command() -> None:
    text = 'batch|query(\'SELECT mean("x") FROM "telegraf"."autogen"."cpu"\').period(1m)'
    defined = with_dbrps(task("cpu.tick", text), (("telegraf", "autogen"),), "--dbrp")
    (command,) = delivery_of(defined).commands
    assert command == (
        "kapacitor",
        "define",
        "cpu",
        "-type",
        "batch",
        "-tick",
        "cpu.tick",
        "-dbrp",
        "telegraf.autogen",
    )


def test_a_template_is_redefined_with_define_template() -> None:
    text = (
        'dbrp "telegraf"."autogen"\nvar m string\nstream|from().measurement(m)|derivative(\'x\')\n'
    )
    found = delivery_of(task("templates_src/generic.tick", text))
    assert found.method == "define-template"
    assert found.commands[0][:3] == ("kapacitor", "define-template", "generic")
    assert found.loses_state == ("derivative",)


def test_a_load_directory_task_definition_is_applied_by_a_reload() -> None:
    template = task("load/templates/generic.tick", WINDOWED)
    defined = replace(template, definition="load/tasks/cpu_hosts.yaml")
    found = delivery_of(defined)
    assert (found.task_id, found.method) == ("cpu_hosts", "load-directory")
    assert found.loses_window_state
