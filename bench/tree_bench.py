"""Whole-directory speed: builds a tree of 10,000 scripts from the shared Kapacitor corpus
(nested directories, one Kapacitor load directory among them) and runs each command of
issue 14's table on it as a user would (one `tickmig` process each), printing wall time and
peak memory (the process's maximum resident set), with the parse-only run beside them so the
ratios are read in one run.

Usage: python bench/tree_bench.py [--corpus DIR] [--scripts N] [--keep DIR] [--json]

Rows:
  parse      tickmig parse --output-format json-lines TREE        (the reference: parse only)
  check      tickmig check TREE --output-format json -o FILE       (cold, -j 1)
  check -j2  the same with -j 2
  check again  the same run once more on the unchanged tree         (warm: a cache may answer)
  migrate    tickmig migrate TREE --output-dir OUT --mapping plan  (a plan renaming every db;
             -j: one process per core, the default)
  migrate -j 1  the same in one process
  report     tickmig report TREE --mapping plan -o FILE            (Markdown)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "kapacitor"

#: Databases the plan renames: the ones the corpus uses most.
RENAMED = ("telegraf", "dbname", "mydb", "game", "db", "pages")


def build_tree(corpus: Path, root: Path, count: int) -> int:
    """Copies corpus scripts into `root` until it holds `count` scripts: 100 per folder, folders
    nested two deep, and the first 200 laid out as a Kapacitor load directory
    (load/tasks/*.tick). Returns the number of bytes written."""
    sources = sorted(corpus.glob("*.tick"))
    if not sources:
        raise SystemExit(f"no *.tick files in {corpus}")
    texts = [p.read_bytes() for p in sources]
    nbytes = 0
    for i in range(count):
        text = texts[i % len(texts)]
        if i < 200:
            folder = root / "load" / "tasks"
        else:
            folder = root / f"team{i // 1000:02d}" / f"svc{(i // 100) % 10:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"s{i:05d}.tick").write_bytes(text)
        nbytes += len(text)
    return nbytes


def write_plan(path: Path) -> None:
    lines = ['target = "oss"']
    for db in RENAMED:
        lines += ["[[rename]]", f'from = "{db}"', f'to = "{db}_v2"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Runs one tickmig process; returns (seconds, peak MB, exit status)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # Linux: kilobytes
    return seconds, peak_mb, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--scripts", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, help="build the tree here and keep it")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="tickmig-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    tree = work / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    nbytes = build_tree(args.corpus, tree, args.scripts)
    plan = work / "plan.toml"
    write_plan(plan)
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    tickmig = [sys.executable, "-m", "tickmig"]
    env_cache = ["--cache-dir", str(cache)] if _has_option("check", "--cache-dir") else []

    def out(name: str) -> str:
        return str(work / name)

    rows = [
        ("parse", [*tickmig, "parse", "--output-format", "json-lines", str(tree)]),
        (
            "check",
            [
                *tickmig,
                "check",
                str(tree),
                "--output-format",
                "json",
                "-o",
                out("check.json"),
                "-j",
                "1",
                *env_cache,
            ],
        ),
        (
            "check -j 2",
            [
                *tickmig,
                "check",
                str(tree),
                "--output-format",
                "json",
                "-o",
                out("check2.json"),
                "-j",
                "2",
                *(["--no-cache"] if env_cache else []),
            ],
        ),
        (
            "check again",
            [
                *tickmig,
                "check",
                str(tree),
                "--output-format",
                "json",
                "-o",
                out("check3.json"),
                "-j",
                "1",
                *env_cache,
            ],
        ),
        (
            "migrate --output-dir",
            [
                *tickmig,
                "migrate",
                str(tree),
                "--output-dir",
                out("migrated"),
                "--mapping",
                str(plan),
            ],
        ),
        (
            "migrate -j 1",
            [
                *tickmig,
                "migrate",
                str(tree),
                "--output-dir",
                out("migrated"),
                "--mapping",
                str(plan),
                "-j",
                "1",
            ],
        ),
        (
            "report",
            [*tickmig, "report", str(tree), "--mapping", str(plan), "-o", out("report.md")],
        ),
    ]
    results = []
    for name, argv in rows:
        if name.startswith("migrate"):
            shutil.rmtree(work / "migrated", ignore_errors=True)
        seconds, peak, status = run(argv, work)
        results.append(
            {"work": name, "seconds": round(seconds, 3), "peak_mb": round(peak, 1), "exit": status}
        )
    base = results[0]["seconds"]
    for r in results:
        r["ratio_to_parse"] = round(r["seconds"] / base, 2) if base else None
    summary = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "scripts": args.scripts,
        "megabytes": round(nbytes / 1e6, 2),
        "rows": results,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{args.scripts} scripts, {nbytes / 1e6:.2f} MB; {summary['machine']}")
        print(f"{'work':<22}{'seconds':>9}{'peak MB':>9}{'x parse':>9}{'exit':>6}")
        for r in results:
            print(
                f"{r['work']:<22}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}"
                f"{r['ratio_to_parse']:>9.2f}{r['exit']:>6}"
            )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _has_option(command: str, option: str) -> bool:
    """Whether this tickmig's `command` knows `option` (the cache options came later)."""
    done = subprocess.run(
        [sys.executable, "-m", "tickmig", command, "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return option in done.stdout


if __name__ == "__main__":
    main()
