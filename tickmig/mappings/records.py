"""Decode DBRP mappings and buckets from parsed JSON (REST bodies and ``influx`` CLI output)."""

from __future__ import annotations

from tickmig.mappings.model import Bucket, Mapping

DBRP_EXPECTED = (
    'a DBRP mapping object with "database", "retention_policy", "default" '
    '(and "id", "orgID", "bucketID")'
)
BUCKET_EXPECTED = 'a bucket object with "id" and "name"'


class ShapeError(ValueError):
    """A JSON value has an unexpected shape; ``where`` is a JSON path like ``content[2]``."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.detail = message
        super().__init__(f"{where}: {message}" if where else message)


def describe(value: object) -> str:
    """A JSON type name for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def parse_dbrps_body(doc: dict[str, object], source: str) -> list[Mapping]:
    """The body of ``GET /api/v2/dbrps`` (or ``/dbrps/{id}``, whose "content" is one object)."""
    content = doc["content"]
    if content is None:
        return []
    if isinstance(content, dict):
        return [parse_dbrp(content, "content", source)]
    if not isinstance(content, list):
        raise ShapeError("content", f"expected an array of DBRP mappings, got {describe(content)}")
    return [parse_dbrp(item, f"content[{i}]", source) for i, item in enumerate(content)]


def parse_buckets_body(doc: dict[str, object]) -> list[Bucket]:
    """The body of ``GET /api/v2/buckets`` (``{"buckets": [...], "links": {...}}``)."""
    items = doc["buckets"]
    if items is None:
        return []
    if not isinstance(items, list):
        raise ShapeError("buckets", f"expected an array of buckets, got {describe(items)}")
    return [parse_bucket(item, f"buckets[{i}]") for i, item in enumerate(items)]


def parse_cli_array(value: object, source: str, where: str = "") -> list[Mapping]:
    """One array printed by ``influx v1 dbrp list --json`` (``null`` when empty)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(where, f"expected an array of DBRP mappings, got {describe(value)}")
    return [parse_dbrp(item, f"{where}[{i}]", source) for i, item in enumerate(value)]


def parse_dbrp(item: object, where: str, source: str) -> Mapping:
    """One DBRP object; accepts ``orgID``/``bucketID`` and the 2.0.0-2.0.1 spellings."""
    if not isinstance(item, dict):
        raise ShapeError(where, f"expected {DBRP_EXPECTED}, got {describe(item)}")
    database = _string(item, "database", where, DBRP_EXPECTED)
    if not database:
        raise ShapeError(f"{where}.database", "expected a non-empty database name")
    return Mapping(
        database=database,
        retention_policy=_string(item, "retention_policy", where, DBRP_EXPECTED),
        bucket_id=_optional_id(item, ("bucketID", "bucket_id"), where),
        bucket_name=None,
        default=_bool(item, "default", where, required=True),
        virtual=_bool(item, "virtual", where, required=False),
        org_id=_optional_id(item, ("orgID", "organization_id"), where),
        id=_optional_id(item, ("id",), where),
        source=source,
    )


def parse_bucket(item: object, where: str) -> Bucket:
    """One bucket object of ``GET /api/v2/buckets`` or ``influx bucket list --json``."""
    if not isinstance(item, dict):
        raise ShapeError(where, f"expected {BUCKET_EXPECTED}, got {describe(item)}")
    bucket_id = _string(item, "id", where, BUCKET_EXPECTED)
    name = _string(item, "name", where, BUCKET_EXPECTED)
    if not bucket_id or not name:
        raise ShapeError(where, 'expected a non-empty bucket "id" and "name"')
    return Bucket(id=bucket_id, name=name, org_id=_optional_id(item, ("orgID",), where))


def looks_like_bucket(item: object) -> bool:
    """True for an object that is a bucket rather than a DBRP mapping."""
    return isinstance(item, dict) and "name" in item and "database" not in item


def _string(item: dict[str, object], key: str, where: str, expected: str) -> str:
    if key not in item:
        raise ShapeError(where, f'missing "{key}" (expected {expected})')
    value = item[key]
    if not isinstance(value, str):
        raise ShapeError(f"{where}.{key}", f"expected a string, got {describe(value)}")
    return value


def _bool(item: dict[str, object], key: str, where: str, *, required: bool) -> bool:
    if key not in item:
        if required:
            raise ShapeError(where, f'missing "{key}" (expected {DBRP_EXPECTED})')
        return False
    value = item[key]
    if not isinstance(value, bool):
        raise ShapeError(f"{where}.{key}", f"expected true or false, got {describe(value)}")
    return value


def _optional_id(item: dict[str, object], keys: tuple[str, ...], where: str) -> str | None:
    for key in keys:
        if key in item:
            value = item[key]
            if value is None or value == "":
                return None
            if not isinstance(value, str):
                raise ShapeError(f"{where}.{key}", f"expected an ID string, got {describe(value)}")
            return value
    return None
