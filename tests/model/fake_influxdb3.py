"""A stand-in for the `influxdb3` CLI over the proof's in-memory InfluxDB 3
(tickmig.model.target_v3), kept in a JSON file ($FAKE_INFLUXDB3_STATE): `create database NAME
[--retention-period D]`, `create token --admin|--permission ...` and `show databases`, enough
to run the script `tickmig report` prints for an InfluxDB 3 target. The CLI sends
`create database` as POST /api/v3/configure/database (influxdb3_client); each call is logged
to $FAKE_INFLUXDB3_LOG with the HTTP status the server gave, so tests can check the statuses
against the contract. Errors exit 1 with `Error: ...` on standard error.

$FAKE_INFLUXDB3_LIMIT is the database limit (5, Core's, by default)."""

from __future__ import annotations

import json
import os
import sys

from tickmig.model.target_v3 import InfluxDB3, V3ApiError, V3Db
from tickmig.targets.durations import parse_v1_duration

VALUED = {"--retention-period", "--name", "--expiry", "--permission", "--format", "--token", "-H"}
VALUED |= {"--host", "--tls-ca", "--output-file"}


def load(path: str) -> tuple[InfluxDB3, list[dict[str, object]]]:
    server = InfluxDB3(int(os.environ.get("FAKE_INFLUXDB3_LIMIT", "5")))
    if not os.path.exists(path):
        return server, []
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    server.databases = {d["name"]: V3Db(**d) for d in data["databases"]}
    return server, data["tokens"]


def save(path: str, server: InfluxDB3, tokens: list[dict[str, object]]) -> None:
    data = {
        "databases": [
            {"name": d.name, "retention": d.retention, "auto_created": d.auto_created}
            for d in server.databases.values()
        ],
        "tokens": tokens,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)


def _retention(text: str) -> int | None:
    if text == "none":
        return None
    return parse_v1_duration(text) or None


def main(argv: list[str]) -> int:
    state = os.environ["FAKE_INFLUXDB3_STATE"]
    server, tokens = load(state)
    words = [a for a in argv if not a.startswith("-")]
    options: dict[str, list[str]] = {}
    positional: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in VALUED:
            options.setdefault(arg, []).append(argv[i + 1])
            i += 2
            continue
        if arg.startswith("-"):
            options.setdefault(arg, []).append("")
        else:
            positional.append(arg)
        i += 1
    status = 0
    try:
        if words[:2] == ["create", "database"]:
            (name,) = positional[2:]
            retention = options.get("--retention-period", [None])[-1]
            try:
                server.create_database(name, _retention(retention) if retention else None)
                status = 200
            except V3ApiError as exc:
                status = exc.status
                raise
        elif words[:2] == ["create", "token"]:
            tokens.append(
                {
                    "name": options.get("--name", ["_admin"])[0],
                    "admin": "--admin" in options,
                    "permissions": options.get("--permission", []),
                    "expiry": options.get("--expiry", [None])[0],
                }
            )
            status = 201
            print("apiv3_fake-token")
        elif words[:2] == ["show", "databases"]:
            status = 200
            names = sorted(server.databases)
            if options.get("--format", [""])[-1] == "csv":  # GET /api/v3/configure/database
                print("\n".join(["iox::database", *names]))  # ?format=csv: one column
            else:
                print(json.dumps([{"iox::database": n} for n in names]))
        else:
            sys.stderr.write(f"Error: unknown command {' '.join(words)}\n")
            return 2
    except V3ApiError as exc:
        sys.stderr.write(f"Error: {exc.status} {exc.message}\n")
        return 1
    finally:
        with open(os.environ["FAKE_INFLUXDB3_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{status} {' '.join(argv)}\n")
    save(state, server, tokens)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
