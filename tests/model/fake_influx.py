"""A stand-in for the `influx` CLI (2.4 to 2.7 output) over the proof's in-memory InfluxDB 2,
kept in a JSON file ($FAKE_INFLUX_STATE): enough of `bucket`, `v1 dbrp` and `auth` to run the
script `tickmig report` prints. Table output is tab-separated like influx-cli's
pkg/tabwriter; `v1 dbrp list` prints the physical mappings, the "VIRTUAL DBRP MAPPINGS
(READ-ONLY)" banner, then the virtual ones (clients/v1_dbrps/v1_dbrps.go). Every call is
logged to $FAKE_INFLUX_LOG. Errors exit 1 with `Error: ...` on standard error."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

from tickmig.model.target import ApiError, InfluxDB2, TargetBucket, TargetMapping
from tickmig.targets.cloudplan import LIMITS, parse_cloud_plan

FLAGS = {
    ("bucket", "list"): {"--org", "--name", "--hide-headers"},
    ("bucket", "create"): {"--org", "--name", "--retention"},
    ("v1", "dbrp", "list"): {"--org", "--db", "--rp", "--hide-headers"},
    ("v1", "dbrp", "create"): {"--org", "--db", "--rp", "--bucket-id"},
    ("v1", "dbrp", "update"): {"--org", "--id", "--default"},
    ("auth", "list"): {"--org", "--hide-headers"},
    ("auth", "create"): {"--org", "--description", "--read-bucket", "--write-bucket"},
}
BOOLEAN = {"--hide-headers", "--default"}


def load(path: str) -> tuple[InfluxDB2, list[dict[str, object]]]:
    # $FAKE_INFLUX_PLAN: an InfluxDB Cloud organization on that plan (its bucket quota and
    # longest retention).
    plan = os.environ.get("FAKE_INFLUX_PLAN")
    server = InfluxDB2(limits=LIMITS[parse_cloud_plan(plan)] if plan else None)
    if not os.path.exists(path):
        return server, []
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    server.buckets = [TargetBucket(**b) for b in data["buckets"]]
    server.mappings = [TargetMapping(**m) for m in data["mappings"]]
    server._next = data["next"]
    return server, data["auths"]


def save(path: str, server: InfluxDB2, auths: list[dict[str, object]]) -> None:
    data = {
        "buckets": [asdict(b) for b in server.buckets],
        "mappings": [asdict(m) for m in server.mappings],
        "next": server._next,
        "auths": auths,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)


def fail(message: str) -> int:
    sys.stderr.write(f"Error: {message}\n")
    return 1


def main(argv: list[str]) -> int:
    with open(os.environ["FAKE_INFLUX_LOG"], "a", encoding="utf-8") as log:
        log.write(" ".join(argv) + "\n")
    for length in (3, 2):
        command = tuple(argv[:length])
        if command in FLAGS:
            break
    else:
        return fail(f"unknown command {' '.join(argv)}")
    options: dict[str, list[str]] = {}
    rest = argv[len(command) :]
    i = 0
    while i < len(rest):
        flag = rest[i]
        if flag not in FLAGS[command]:
            return fail(f"flag provided but not defined: {flag}")
        if flag in BOOLEAN:
            options.setdefault(flag, []).append("true")
            i += 1
            continue
        if i + 1 >= len(rest):
            return fail(f"flag needs an argument: {flag}")
        options.setdefault(flag, []).append(rest[i + 1])
        i += 2
    if "--org" not in options:
        return fail("must specify org ID or org name")
    org = options["--org"][0]
    state = os.environ["FAKE_INFLUX_STATE"]
    server, auths = load(state)
    one = {k: v[-1] for k, v in options.items()}
    try:
        code = run(command, one, options, server, auths, org)
    except ApiError as exc:
        return fail(f"{exc.status} {exc.message}")
    save(state, server, auths)
    return code


def run(
    command: tuple[str, ...],
    one: dict[str, str],
    options: dict[str, list[str]],
    server: InfluxDB2,
    auths: list[dict[str, object]],
    org: str,
) -> int:
    out = sys.stdout.write
    headers = "--hide-headers" not in one
    if command == ("bucket", "list"):
        found = [b for b in server.buckets if b.org == org and b.name == one.get("--name", b.name)]
        if "--name" in one and not found:
            return fail(f'bucket "{one["--name"]}" not found')
        if headers:
            out("ID\tName\tRetention\tShard group duration\tOrganization ID\tSchema Type\n")
        for b in found:
            out(f"{b.id}\t{b.name}\t{b.retention}s\t168h0m0s\t{b.org}\timplicit\n")
    elif command == ("bucket", "create"):
        retention = int(one.get("--retention", "0s").rstrip("s") or 0)
        bucket_id = server.create_bucket(org, one["--name"], retention)
        out(f"{bucket_id}\t{one['--name']}\n")
    elif command == ("v1", "dbrp", "list"):
        rows = [
            m
            for m in server.dbrps(org)
            if m.database == one.get("--db", m.database)
            and m.retention_policy == one.get("--rp", m.retention_policy)
        ]
        for virtual in (False, True):
            if virtual:
                out("\nVIRTUAL DBRP MAPPINGS (READ-ONLY)\n----------------------------------\n")
            if headers:
                out("ID\tDatabase\tBucket ID\tRetention Policy\tDefault\tOrganization ID\n")
            for m in rows:
                if m.virtual == virtual:
                    default = "true" if m.default else "false"
                    out(
                        f"{m.id}\t{m.database}\t{m.bucket_id}\t{m.retention_policy}\t{default}\t{org}\n"
                    )
    elif command == ("v1", "dbrp", "create"):
        if not one["--bucket-id"]:
            return fail("bucket-id is required")
        # influx-cli never sends --default on create (see influxdb2-migration.md 1.5).
        server.create_dbrp(org, one["--db"], one["--rp"], one["--bucket-id"])
    elif command == ("v1", "dbrp", "update"):
        server.update_dbrp(org, one["--id"], default="--default" in one)
    elif command == ("auth", "list"):
        for auth in auths:
            out(f"{auth['id']}\t{auth['description']}\ttoken-{auth['id']}\n")
    elif command == ("auth", "create"):
        auth = {
            "id": f"{len(auths) + 1:016x}",
            "description": one.get("--description", ""),
            "read": options.get("--read-bucket", []),
            "write": options.get("--write-bucket", []),
        }
        if any(not b for b in [*auth["read"], *auth["write"]]):  # type: ignore[union-attr]
            return fail("invalid bucket ID")
        auths.append(auth)
        out(f"{auth['id']}\t{auth['description']}\ttoken-{auth['id']}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
