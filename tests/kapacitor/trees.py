"""Source trees the Kapacitor tests define on the stand-in server: the bundled example
migration plus generated tasks, laid out as a Kapacitor load directory."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import EXAMPLE

MAPPINGS = [
    "--mapping",
    str(EXAMPLE.parent / "mappings" / "dbrps.json"),
    "--mapping",
    str(EXAMPLE.parent / "mappings" / "buckets.json"),
    "--mapping",
    str(EXAMPLE.parent / "mappings" / "plan.toml"),
]

WITH_STATEMENT = """// generated task {i}: CPU alert
// (a comment Kapacitor's formatter would move)
dbrp "telegraf"."{rp}"

stream
    // only busy hosts
    |from()
        .measurement('cpu')
    |alert()
        .crit(lambda: "usage_idle" < {n})
"""

DBRPS_ONLY = """// generated task {i}: defined with `kapacitor define -dbrp`
stream
    |from()
        .measurement('mem')
    |alert()
        .crit(lambda: "used_percent" > {n})
"""

DBRPS_ONLY_DEFINITION = """id: {i}
dbrps:
  - db: telegraf
    rp: {rp}
"""


def example_tree(root: Path, generated: int = 232) -> Path:
    """The example load directory (without its vars/ file: that task's DBRPs are given on
    the command line) and `generated` more tasks: 5 in 6 with a dbrp statement, the rest
    with DBRPs given beside the script. 18 + 232 = 250 tasks by default."""
    src = root / "src"
    shutil.copytree(EXAMPLE, src)
    shutil.rmtree(src / "vars")
    rps = ["autogen", "one_month", "legacy"]
    for i in range(generated):
        ident = f"gen_{i:03d}"
        rp = rps[i % 3]
        if i % 6:
            text = WITH_STATEMENT.format(i=i, rp=rp, n=i % 50)
        else:
            text = DBRPS_ONLY.format(i=i, n=i % 50)
            (src / "tasks" / f"{ident}.yaml").write_text(
                DBRPS_ONLY_DEFINITION.format(i=ident, rp=rp), encoding="utf-8"
            )
        (src / "tasks" / f"{ident}.tick").write_text(text, encoding="utf-8")
    return src
