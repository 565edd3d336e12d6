"""Parser throughput: parse the shared Kapacitor corpus, repeated to at least 5,000 scripts,
in one process, tree and positions included; prints scripts/s and MB/s.

Usage: python bench/parse_bench.py [--corpus DIR] [--min-scripts N] [--rounds R]
Target (issue 2): at least 5,000 scripts/s on the project's 2-core machines.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from tickmig.errors import TickSyntaxError
from tickmig.tickscript.parser import parse

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "kapacitor"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--min-scripts", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds; the best is reported")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.tick"))]
    if not texts:
        raise SystemExit(f"no *.tick files in {args.corpus}")
    repeat = -(-args.min_scripts // len(texts))
    batch = texts * repeat
    nbytes = sum(len(t.encode("utf-8")) for t in batch)
    parse(texts[0])  # load the grammar outside the timing
    best = float("inf")
    ok = 0
    for _ in range(args.rounds):
        ok = 0
        t0 = time.perf_counter()
        for text in batch:
            try:
                parse(text)
                ok += 1
            except TickSyntaxError:
                pass
        best = min(best, time.perf_counter() - t0)
    result = {
        "scripts": len(batch),
        "accepted": ok,
        "seconds": round(best, 4),
        "scripts_per_s": round(len(batch) / best),
        "mb_per_s": round(nbytes / best / 1e6, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['scripts']} scripts ({nbytes / 1e6:.2f} MB, {ok} accepted) in "
            f"{best:.3f} s: {result['scripts_per_s']} scripts/s, {result['mb_per_s']} MB/s"
        )


if __name__ == "__main__":
    main()
