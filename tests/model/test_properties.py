"""Property test over generated deployments (random stream and batch tasks, writes with and
without a retention policy, plan renames and plan buckets, existing buckets and mappings):

* after the actions, every flow the proof says lands does land in the in-memory InfluxDB 2
  (applied afresh here, then asked flow by flow);
* the views never disagree: the Telegraf output to Kapacitor for each stream input carries
  the (db, rp) that the migrated script reads, in the report and in the patched file.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickmig.configs.model import Pair
from tickmig.engine.fixer import migrate
from tickmig.model.actions import feeders
from tickmig.model.flows import ModelInputs, build_model
from tickmig.model.inputs import read_telegraf
from tickmig.model.proof import apply, initial_target, prove
from tickmig.report.build import build_report, load_inputs
from tickmig.report.model import ReportOptions
from tickmig.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ORG = "acme"
ORG_ID = "0a0a0a0a0a0a0a0a"
KAPACITOR = "http://kapacitor.test:9092"
DBS = ["app", "web", "game"]
RPS = ["autogen", "weekly"]

dbs = st.sampled_from(DBS)
rps = st.sampled_from(RPS)


@dataclass(frozen=True)
class TaskSpec:
    kind: str
    db: str
    rp: str
    out_db: str | None
    out_rp: str | None
    #: stream only: a window before the output (batch-shaped points, empty rp).
    window: bool

    def script(self) -> str:
        head = f'dbrp "{self.db}"."{self.rp}"\n\n'
        if self.kind == "stream":
            body = "stream\n    |from()\n        .measurement('m')\n    |where(lambda: \"v\" > 0)\n"
            if self.window:
                body += "    |window()\n        .period(1m)\n        .every(1m)\n    |mean('v')\n"
        else:
            query = f'SELECT mean(v) FROM "{self.db}"."{self.rp}"."m"'
            body = f"batch\n    |query('{query}')\n        .period(1m)\n        .every(1m)\n"
        if self.out_db is None:
            return head + body + "    |log()\n"
        out = f"    |influxDBOut()\n        .database('{self.out_db}')\n"
        if self.out_rp is not None:
            out += f"        .retentionPolicy('{self.out_rp}')\n"
        return head + body + out + "        .measurement('out')\n"


tasks = st.builds(
    TaskSpec,
    st.sampled_from(["stream", "batch"]),
    dbs,
    rps,
    st.none() | dbs,
    st.none() | rps,
    st.booleans(),
)


@st.composite
def plans(draw: st.DrawFn) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for db in DBS:
        choice = draw(st.sampled_from(["none", "rename-db", "rename-pair", "bucket"]))
        if choice == "rename-db":
            out.append({"from": db, "to": db + "2"})
        elif choice == "rename-pair":
            out.append(
                {"from": f"{db}/autogen", "to": f"{db}/{draw(st.sampled_from(['new', 'autogen']))}"}
            )
        elif choice == "bucket":
            out.append(
                {
                    "from": f"{db}/{draw(rps)}",
                    "bucket": draw(st.sampled_from(["leaderboard", f"{db}-data"])),
                }
            )
    return out


@st.composite
def servers(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str, str]]]:
    names = [f"{db}/{rp}" for db in DBS for rp in RPS] + ["leaderboard", "app", "web2/autogen"]
    buckets = draw(st.lists(st.sampled_from(names), unique=True, max_size=5))
    mappings: list[tuple[str, str, str]] = []
    for bucket in buckets:
        if draw(st.booleans()):
            db, _, rp = bucket.partition("/")
            key = (db, rp or "autogen")
            if key not in {(m[0], m[1]) for m in mappings}:
                mappings.append((*key, bucket))
    return buckets, mappings


def write_deployment(
    root: Path,
    specs: list[TaskSpec],
    plan: list[dict[str, str]],
    server: tuple[list[str], list[tuple[str, str, str]]],
) -> Settings:
    (root / "tasks").mkdir()
    for i, spec in enumerate(specs):
        (root / "tasks" / f"t{i}.tick").write_text(spec.script(), encoding="utf-8")
    lines = ['target = "oss"']
    for entry in plan:
        lines.append("[[rename]]")
        lines += [f'{k} = "{v}"' for k, v in entry.items()]
    (root / "plan.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    buckets, mappings = server
    ids = {name: f"{i + 1:016x}" for i, name in enumerate(buckets)}
    body = {
        "links": {"self": "/api/v2/buckets"},
        "buckets": [
            {"id": ids[n], "orgID": ORG_ID, "name": n, "retentionRules": [], "links": {}}
            for n in buckets
        ],
    }
    (root / "buckets.json").write_text(json.dumps(body), encoding="utf-8")
    dbrps = {
        "content": [
            {
                "id": f"d{i:015x}",
                "database": db,
                "retention_policy": rp,
                "default": True,
                "virtual": False,
                "orgID": ORG_ID,
                "bucketID": ids[bucket],
            }
            for i, (db, rp, bucket) in enumerate(mappings)
        ]
    }
    (root / "dbrps.json").write_text(json.dumps(dbrps), encoding="utf-8")
    telegraf = "".join(
        f'[[outputs.influxdb]]\n  urls = ["http://influx.test:8086"]\n  database = "{db}"\n'
        "  skip_database_creation = true\n\n"
        for db in DBS
    )
    (root / "telegraf.conf").write_text(telegraf, encoding="utf-8")
    return Settings(
        mapping=[str(root / "dbrps.json"), str(root / "buckets.json"), str(root / "plan.toml")],
        org=ORG,
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(tasks, min_size=1, max_size=4), plans(), servers())
def test_flows_the_proof_lands_do_land_and_the_views_agree(
    specs: list[TaskSpec],
    plan: list[dict[str, str]],
    server: tuple[list[str], list[tuple[str, str, str]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = write_deployment(root, specs, plan, server)
        checker, workspace = load_inputs([str(root / "tasks")], config)
        migration = migrate(workspace, checker, keep_tasks=True)
        tasks_ = migration.before.tasks
        model = build_model(
            ModelInputs(
                tasks_,
                checker.mappings,
                ORG,
                read_telegraf([str(root / "telegraf.conf")], KAPACITOR),
                kapacitor_url=KAPACITOR,
            )
        )
        plan_, verdict, _ = prove(model)

        # 1. Applied afresh, the actions make every flow the proof accepts land.
        target = initial_target(checker.mappings, ORG)
        assert apply(target, ORG, plan_.actions) == verdict.action_errors
        added = {a.pair for a in plan_.actions if a.kind == "telegraf-output"}
        for flow in model.flows:
            if not flow.lands:
                assert flow.reason or flow.status
                continue
            db, rp = flow.pair.database, flow.pair.retention_policy
            if flow.kind == "write":
                assert target.write(ORG, db, rp).name == (flow.bucket or flow.landing[8:-1])
            elif flow.kind == "batch-read":
                assert target.query(ORG, db, rp).name == flow.bucket
            elif flow.kind == "stream-input":
                assert flow.pair in added or feeders(model, flow.pair)

        # 2. The views agree: what the migrated scripts read is what Telegraf sends Kapacitor.
        reads: set[Pair] = set()
        for change in migration.changes.values():
            if "\nstream" in change.text:
                found = re.findall(r'dbrp "([^"]*)"\."([^"]*)"', change.text)
                reads |= {Pair(d, r) for d, r in found}
        for path in workspace.scripts:
            text = Path(path).read_text(encoding="utf-8")
            if path not in migration.changes and "\nstream" in text:
                reads |= {Pair(d, r) for d, r in re.findall(r'dbrp "([^"]*)"\."([^"]*)"', text)}
        inputs = {f.pair for f in model.by_kind("stream-input")}
        assert inputs == reads
        report = build_report(
            workspace,
            checker,
            config,
            ReportOptions([str(root / "telegraf.conf")], None, KAPACITOR),
        )
        assert {o.pair for o in report.telegraf.outputs} == inputs
        assert report.verdict is not None and report.verdict.ok == verdict.ok
        (patched,) = [f for f in report.telegraf.files if f.patched_text is not None]
        assert patched.patched_text is not None
        doc = tomllib.loads(patched.patched_text)
        sent = {
            Pair(o["database"], o["retention_policy"])
            for o in doc["outputs"]["influxdb"]
            if o["urls"] == [KAPACITOR]
        }
        assert sent == inputs
