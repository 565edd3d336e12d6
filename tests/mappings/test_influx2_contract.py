"""tickmig against the InfluxDB 2 contract server; failures are one line."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tickmig.mappings import (
    MappingError,
    ResolutionStatus,
    combine,
    load_from_influxdb2,
    load_mapping_file,
)

from .conftest import ORG, TOKEN, free_port
from .expected import UPGRADED_EFFECTIVE, summary
from .influx2_server import make_bucket

pytestmark = pytest.mark.server
S = ResolutionStatus


def test_session_reads_mappings_and_buckets(influx2, contract_validator):
    ms = load_from_influxdb2(influx2.url, "my-org", TOKEN)
    assert summary(ms) == UPGRADED_EFFECTIVE
    assert [(e.method, e.path, e.status) for e in influx2.exchanges] == [
        ("GET", "/api/v2/dbrps", 200),
        ("GET", "/api/v2/buckets", 200),
    ]
    assert influx2.exchanges[0].query["org"] == ["my-org"]
    assert "ffff000011112222" not in {b.id for b in ms.buckets}  # another org's bucket
    assert ms.origin == f"InfluxDB 2 at {influx2.url}/ (org my-org)"
    assert ms.resolve("telegraf", None).status is S.DEFAULT
    assert ms.resolve("sensors", "autogen").status is S.VIRTUAL
    assert ms.resolve("telegraf", "one_week").status is S.MISSING
    assert influx2.violations == []
    assert contract_validator.checked >= 2


def test_live_server_equals_exported_files(influx2, fixtures_dir):
    live = load_from_influxdb2(influx2.url, "my-org", TOKEN)
    files = combine([load_mapping_file(fixtures_dir / n) for n in ("dbrps.json", "buckets.json")])

    def detail(ms):
        return {
            (m.database, m.retention_policy, m.bucket_id, m.bucket_name, m.default, m.virtual, m.id)
            for m in ms.effective_mappings()
        }

    assert detail(live) == detail(files)


@pytest.mark.parametrize(("extra", "requests"), [(205, 3), (94, 2), (0, 1)])
def test_bucket_paging(influx2, extra, requests):
    influx2.state.buckets += [
        make_bucket(f"b{i:015x}", f"bulk/rp{i:03d}", ORG["id"]) for i in range(extra)
    ]
    ms = load_from_influxdb2(influx2.url, "my-org", TOKEN)
    assert len(ms.buckets) == 6 + extra
    pages = [e for e in influx2.exchanges if e.path == "/api/v2/buckets"]
    assert len(pages) == requests
    assert all(e.query["limit"] == ["100"] for e in pages)
    assert [("after" in e.query) for e in pages] == [False] + [True] * (requests - 1)
    if extra:
        assert ms.resolve("bulk", f"rp{extra - 1:03d}").status is S.VIRTUAL
    assert influx2.violations == []


def test_bucket_list_without_links(influx2):
    # the contract does not require "links", but influxdb-client's paging needs it
    influx2.state.bucket_links = False
    with pytest.raises(MappingError, match=r'GET /api/v2/buckets: the bucket list has no "links"'):
        load_from_influxdb2(influx2.url, "my-org", TOKEN)
    assert influx2.violations == []


def test_cloud_target_ignores_virtual_mappings(influx2):
    ms = load_from_influxdb2(influx2.url, "my-org", TOKEN, target="cloud")
    assert not any(m.virtual for m in ms.effective_mappings())
    resolution = ms.resolve("sensors", None)
    assert (resolution.status, resolution.bucket) == (S.MISSING, "sensors")
    assert ms.resolve("telegraf", "autogen").status is S.EXACT


def test_server_before_2_4_sends_no_virtual_field(influx2):
    influx2.state.version = (2, 3, 0)
    ms = load_from_influxdb2(influx2.url, "my-org", TOKEN)
    assert len(ms.mappings) == 3
    assert not any(m.virtual for m in ms.mappings)
    assert influx2.violations == []


def test_server_2_0_1_key_spelling(influx2):
    # 2.0.0-2.0.1 sent organization_id/bucket_id: against today's contract that is a violation
    # (the 2.0.2 changelog: "Make the DBRP http API match the swagger spec"); tickmig reads it.
    influx2.allow_violations()
    influx2.state.version = (2, 0, 1)
    ms = load_from_influxdb2(influx2.url, "my-org", TOKEN)
    assert {m.bucket_id for m in ms.mappings} == {
        "4d4d9d5b61dee751",
        "5e8f3a2b7c1d9e04",
        "6b1e2d3c4f5a6b78",
    }
    (violation,) = influx2.violations
    assert (violation.side, violation.path) == ("response", "/api/v2/dbrps")
    assert "'bucketID' is a required property" in violation.message


def check_one_line(error: MappingError, *secrets: str) -> str:
    text = str(error)
    assert "\n" not in text and text.strip() == text
    for secret in secrets:
        assert secret not in text and secret not in repr(error.args)
    # nothing chained: a traceback printed by someone else shows no token-carrying context
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return text


@pytest.mark.parametrize(
    ("change", "token", "org", "expected"),
    [
        pytest.param(
            {},
            "wrong-token-7d1c",
            "my-org",
            [
                "rejected the token (HTTP 401 unauthorized access): check the token "
                "(INFLUX_TOKEN, or the variable --token-env names)"
            ],
            id="401 wrong token",
        ),
        pytest.param(
            {},
            TOKEN,
            "nope",
            ['has no organization "nope" (HTTP 404 invalid org "nope"): check --org'],
            id="404 unknown org",
        ),
        pytest.param(
            {"failures": {"/api/v2/dbrps": (500, "internal error", "database is locked")}},
            TOKEN,
            "my-org",
            ["failed on GET /api/v2/dbrps (HTTP 500 database is locked): check the"],
            id="500 on dbrps",
        ),
        pytest.param(
            {"failures": {"/api/v2/buckets": (503, "unavailable", "service unavailable")}},
            TOKEN,
            "my-org",
            ["failed on GET /api/v2/buckets (HTTP 503 service unavailable)"],
            id="503 on buckets",
        ),
        pytest.param(
            {"failures": {"/api/v2/dbrps": (403, "forbidden", "insufficient permissions")}},
            TOKEN,
            "my-org",
            ["denied GET /api/v2/dbrps (HTTP 403 insufficient permissions)"],
            id="403",
        ),
        pytest.param(
            {"failures": {"/api/v2/dbrps": (500, "internal error", f"bad token {TOKEN}")}},
            TOKEN,
            "my-org",
            ["(HTTP 500 bad token ***)"],
            id="a server echoing the token is redacted",
        ),
    ],
)
def test_http_failures(influx2, change, token, org, expected):
    for key, value in change.items():
        setattr(influx2.state, key, value)
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(influx2.url, org, token)
    text = check_one_line(caught.value, token, TOKEN)
    assert text.startswith(f"{influx2.url}/ ")
    for part in expected:
        assert part in text


@pytest.mark.parametrize(
    ("path", "body", "expected", "contract_flags_it"),
    [
        ("/api/v2/dbrps", b"<html>oops</html>", "GET /api/v2/dbrps: the body is not JSON", True),
        (
            "/api/v2/dbrps",
            b'{"content": [{"database": "x"}]}',
            'content[0]: missing "retention_policy"',
            True,
        ),
        # the DBRPs schema requires no "content" and has no type: the contract lets these pass
        (
            "/api/v2/dbrps",
            b'{"items": []}',
            'expected an object with "content", got an object with keys items',
            False,
        ),
        ("/api/v2/dbrps", b"[]", 'expected an object with "content", got an array', False),
        (
            "/api/v2/buckets",
            b'{"links": {"self": "/api/v2/buckets"}, "buckets": [{"id": "1"}]}',
            "GET /api/v2/buckets: a bucket without an id or name",
            True,
        ),
        ("/api/v2/buckets", b"not json", "malformed answer from", True),
    ],
)
def test_malformed_answers(influx2, path, body, expected, contract_flags_it):
    influx2.allow_violations()
    influx2.state.raw[path] = (200, body)
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(influx2.url, "my-org", TOKEN)
    text = check_one_line(caught.value, TOKEN)
    assert text.startswith(f"malformed answer from {influx2.url}/ to ")
    assert expected in text
    assert text.endswith("is it InfluxDB 2? check --influx-url")
    flagged = [v for v in influx2.violations if v.path == path]
    assert bool(flagged) is contract_flags_it


def test_timeout(influx2):
    influx2.state.delay_s = 5
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(influx2.url, "my-org", TOKEN, timeout_s=0.3)
    text = check_one_line(caught.value, TOKEN)
    assert text.startswith(
        f"no answer from {influx2.url}/ within 0.3 s (GET /api/v2/dbrps timed out)"
    )


def test_tls_to_a_plain_http_server(influx2):
    url = influx2.url.replace("http://", "https://")
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(url, "my-org", TOKEN, timeout_s=5)
    text = check_one_line(caught.value, TOKEN)
    assert text.startswith(f"TLS error talking to {url}/ (")
    assert "check the scheme of --influx-url" in text


def test_connection_refused():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(url, "my-org", TOKEN, timeout_s=5)
    assert check_one_line(caught.value, TOKEN) == (
        f"cannot connect to {url}/ (connection refused): is InfluxDB running? check --influx-url"
    )


@pytest.mark.parametrize(
    ("url", "org", "token", "expected"),
    [
        (
            "ftp://127.0.0.1:1/",
            "o",
            TOKEN,
            "invalid URL ftp://127.0.0.1:1/: expected http://HOST:PORT",
        ),
        ("http://127.0.0.1:port", "o", TOKEN, "invalid URL http://127.0.0.1:port/: bad port"),
        ("localhost:8086", "o", TOKEN, "invalid URL 'localhost:8086': expected"),
        (
            f"http://admin:{TOKEN}@127.0.0.1:1",
            "",
            TOKEN,
            "no organization given for http://127.0.0.1:1/",
        ),
        (
            "http://127.0.0.1:1",
            "o",
            "",
            "no token given for http://127.0.0.1:1/: pass the token (INFLUX_TOKEN, or the "
            "variable --token-env names)",
        ),
    ],
)
def test_arguments_are_checked_first(url, org, token, expected):
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(url, org, token)
    assert expected in check_one_line(caught.value, TOKEN)


# --- the contract server itself answers as the contract says -------------------------------------


def test_server_ping_health_orgs(influx2):
    from influxdb_client import InfluxDBClient
    from influxdb_client.rest import ApiException

    with InfluxDBClient(url=influx2.url, token=TOKEN, org="my-org") as client:
        assert client.ping() is True
        orgs = client.organizations_api().find_organizations(org="my-org")
        assert [(o.id, o.name) for o in orgs] == [(ORG["id"], "my-org")]
        assert len(client.organizations_api().find_organizations()) == 2
        with pytest.raises(ApiException) as caught:
            client.organizations_api().find_organizations(org="nope")
        assert (caught.value.status, caught.value.message) == (
            404,
            'organization name "nope" not found',
        )
        assert caught.value.headers["X-Platform-Error-Code"] == "not found"
    # the server needs no token here, but the contract's global security asks for one
    auth = {"Authorization": f"Token {TOKEN}"}
    request = urllib.request.Request(f"{influx2.url}/health", headers=auth)
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert json.loads(answer.read())["status"] == "pass"
    request = urllib.request.Request(f"{influx2.url}/ping", method="HEAD", headers=auth)
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 204 and answer.headers["X-Influxdb-Build"] == "OSS"
    assert len(influx2.exchanges) == 6
    assert influx2.violations == []


def test_server_dbrps_filters_and_errors(influx2):
    from influxdb_client import DBRPsService, InfluxDBClient
    from influxdb_client.rest import ApiException

    with InfluxDBClient(url=influx2.url, token=TOKEN) as client:
        service = DBRPsService(client.api_client)
        defaults = service.get_dbr_ps(org="my-org", default=True).content
        assert {(d.database, d.virtual) for d in defaults} == {
            ("telegraf", False),
            ("app_metrics", False),
            ("_monitoring", True),
            ("_tasks", True),
            ("sensors", True),
        }
        by_id = service.get_dbr_ps(org_id=ORG["id"], db="telegraf", rp="one_month").content
        assert [d.bucket_id for d in by_id] == ["5e8f3a2b7c1d9e04"]
        with pytest.raises(ApiException) as caught:
            service.get_dbr_ps()
        assert (caught.value.status, caught.value.message) == (
            400,
            "either 'org' or 'orgID' must be provided",
        )
    assert influx2.violations == []


def test_validator_flags_the_real_servers_ping_version(contract_validator):
    # OSS sends "X-Influxdb-Version: v2.7.12", but the contract types the header as an integer,
    # which is why the contract server leaves the header out.
    found = contract_validator.check(
        method="GET",
        path="/ping",
        query={},
        request_headers={"Authorization": f"Token {TOKEN}"},
        status=204,
        response_headers={"X-Influxdb-Build": "OSS", "X-Influxdb-Version": "v2.7.12"},
        body=b"",
    )
    assert [v.side for v in found] == ["response"]
    assert "v2.7.12" in found[0].message
    contract_validator.violations.remove(found[0])


def test_token_that_http_cannot_carry(influx2):
    token = "tök€n-with-unicode"
    with pytest.raises(MappingError) as caught:
        load_from_influxdb2(influx2.url, "my-org", token)
    text = check_one_line(caught.value, token)
    assert "characters an HTTP header cannot carry" in text
