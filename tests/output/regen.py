"""Rewrite the report goldens (fixtures/reports/*) from tests/output/cases.py.

Run from the repository root after an intended change to a report format or to the cases:

    .venv/bin/python -m tests.output.regen

then review the change to fixtures/reports/ as a diff before committing it.
"""

from __future__ import annotations

from .cases import GOLDENS, render


def main() -> None:
    for fmt, path in GOLDENS.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(fmt).encode("utf-8"))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
