"""The public API of tickmig.mappings, its error type, and its start-up cost."""

from __future__ import annotations

import inspect
import subprocess
import sys

import tickmig.mappings as api
from tickmig.errors import TickmigError
from tickmig.mappings import MappingError

PUBLIC = {
    "MappingSet",
    "Mapping",
    "Bucket",
    "Rename",
    "Resolution",
    "ResolutionStatus",
    "MappingError",
    "embedded_default",
    "load_mapping_file",
    "combine",
    "load_from_influxdb2",
    "load_from_influxql",
}


def test_public_names():
    assert set(api.__all__) >= PUBLIC
    assert all(hasattr(api, name) for name in api.__all__)


def test_signatures():
    assert list(inspect.signature(api.load_from_influxdb2).parameters) == [
        "url",
        "org",
        "token",
        "target",
        "timeout_s",
    ]
    assert list(inspect.signature(api.load_from_influxql).parameters)[:4] == [
        "url",
        "username",
        "password",
        "timeout_s",
    ]
    assert inspect.signature(api.load_from_influxdb2).parameters["timeout_s"].default == 10


def test_import_stays_light():
    code = (
        "import sys, tickmig.mappings\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('influxdb_client', 'urllib3', 'tomlkit', 'reactivex'))\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_mapping_error_format():
    error = MappingError("bad\n  thing", path="a.json", line=3, column=7)
    assert isinstance(error, TickmigError)
    assert str(error) == "a.json:3:7: bad thing"
    assert (error.path, error.line, error.column, error.message) == ("a.json", 3, 7, "bad thing")
    assert str(MappingError("x", path="p")) == "p: x"
    assert str(MappingError("x", path="p", line=2)) == "p:2: x"
    assert str(MappingError("plain")) == "plain"
