"""TM106 precision-mishandled: influxDBOut().precision() must be one InfluxDB 2 reads right."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, findings, marked

CODE = "TM106"


def out(precision: str) -> str:
    return (
        BATCH
        + "    |influxDBOut()\n        .database('derived')\n        .retentionPolicy('hourly')\n"
        + f"        .precision('{precision}')\n"
    )


UNCHANGED = [
    pytest.param(out("s"), False, id="seconds"),
    pytest.param(out("ms"), False, id="milliseconds"),
    pytest.param(out("m"), True, id="minutes"),
    pytest.param(out("h"), True, id="hours"),
    pytest.param(out("ns"), False, id="nanoseconds"),
    pytest.param(out("u"), True, id="u-refused-by-kapacitor"),
    pytest.param(out("µ"), True, id="micro-sign-refused-by-kapacitor"),
    pytest.param(out("us"), True, id="us-refused-by-influxdb-2"),
    pytest.param(out("µs"), True, id="micro-sign-s-refused-by-influxdb-2"),
]
#: Each unit, and the words its message must carry: who refuses it, or what goes wrong.
REASONS = [
    pytest.param("u", "Kapacitor accepts", "writes nothing", id="u"),
    pytest.param("µ", "Kapacitor accepts", "writes nothing", id="micro-sign"),
    pytest.param("us", "answers 400", "nanosecond timestamps labelled 'us'", id="us"),
    pytest.param("µs", "answers 400", "labelled 'µs'", id="micro-sign-s"),
    pytest.param("m", "reads as nanoseconds", "in minutes", id="m"),
    pytest.param("h", "reads as nanoseconds", "in hours", id="h"),
]
POINTS_AT = [
    pytest.param(out("m"), ["'m'"], id="the-value"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans


@pytest.mark.parametrize(("precision", "who", "what"), REASONS)
def test_the_message_says_why_the_points_are_lost(precision: str, who: str, what: str) -> None:
    ((diagnostic),) = findings(CODE, out(precision))
    assert who in diagnostic.message and what in diagnostic.message
