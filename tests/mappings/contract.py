"""Check HTTP request/response pairs against the InfluxDB OSS 2 OpenAPI contract (openapi-core)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.datastructures import Headers, ImmutableMultiDict

REPO = Path(__file__).resolve().parents[2]
CONTRACTS_ENV = "TICKMIG_CONTRACTS_DIR"
OSS_CONTRACT = "influxdb-oss-v2.yml"


def contracts_dir() -> Path:
    """``$TICKMIG_CONTRACTS_DIR``, else ``$TICKMIG_SHARED/contracts`` (default ``../shared``)."""
    configured = os.environ.get(CONTRACTS_ENV)
    if configured:
        return Path(configured)
    return Path(os.environ.get("TICKMIG_SHARED", REPO.parent / "shared")) / "contracts"


def load_openapi(path: Path) -> Any:
    """Build an openapi-core ``OpenAPI`` for the contract.

    The contract fails openapi-spec-validator on three points unrelated to the endpoints used
    here (``info.version`` missing; a schema with ``required: true`` under ``properties``; a
    ``type`` parameter default ``""`` outside its enum), so the spec self-check is switched off;
    request and response validation are unaffected.
    """
    import yaml
    from openapi_core import Config, OpenAPI

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        spec = yaml.load(handle, Loader=loader)
    return OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))


@dataclass
class _Request:
    """The request side of one exchange, in the shape openapi-core expects."""

    host_url: str
    path: str
    method: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes | None = None
    content_type: str = "application/json"
    parameters: Any = field(init=False)

    def __post_init__(self) -> None:
        from openapi_core.datatypes import RequestParameters

        self.parameters = RequestParameters(
            query=ImmutableMultiDict(self.query),
            header=Headers(self.headers),
            cookie=ImmutableMultiDict(),
        )


@dataclass
class _Response:
    """The response side of one exchange."""

    status_code: int
    data: bytes
    headers: Headers
    content_type: str


@dataclass(frozen=True)
class Violation:
    """One contract violation: which side, which exchange, what openapi-core said."""

    side: str
    method: str
    path: str
    status: int
    message: str


class ContractValidator:
    """Thread-safe recorder of contract checks for every exchange a test server makes."""

    def __init__(self, openapi: Any, host_url: str = "http://127.0.0.1") -> None:
        self.openapi = openapi
        #: The contract's server URL the exchanges are checked as (InfluxDB 3's contracts
        #: list only https://localhost:8181).
        self.host_url = host_url
        self.violations: list[Violation] = []
        self.checked = 0
        self._lock = threading.Lock()

    def check(
        self,
        *,
        method: str,
        path: str,
        query: dict[str, list[str]],
        request_headers: dict[str, str],
        status: int,
        response_headers: dict[str, str],
        body: bytes,
    ) -> list[Violation]:
        """Validate one request and its response; record and return the violations."""
        request = _Request(self.host_url, path, method.lower(), query, request_headers)
        response = _Response(
            status,
            body,
            Headers(response_headers),
            response_headers.get("Content-Type", "").lower(),
        )
        found = []
        with self._lock:
            self.checked += 1
            for side, validate in (
                ("request", lambda: self.openapi.validate_request(request)),
                ("response", lambda: self.openapi.validate_response(request, response)),
            ):
                try:
                    validate()
                except Exception as exc:  # openapi-core raises many types; record them all
                    found.append(Violation(side, method, path, status, _describe(exc)))
            self.violations.extend(found)
        return found


def _describe(exc: BaseException) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    for detail in getattr(exc, "schema_errors", ()) or ():
        parts.append(str(getattr(detail, "message", detail)))
    cause = exc.__cause__
    if cause is not None:
        parts.append(f"{type(cause).__name__}: {cause}")
        for detail in getattr(cause, "schema_errors", ()) or ():
            parts.append(str(getattr(detail, "message", detail)))
    return " | ".join(dict.fromkeys(parts))
