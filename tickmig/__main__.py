"""Console entry point (`tickmig`, `python -m tickmig`); `--version` answers without loading
typer, lark or anything else."""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):
        from tickmig import __version__

        sys.stdout.write(f"tickmig {__version__}\n")
        return
    from tickmig.cli.app import command

    command()(prog_name="tickmig")


if __name__ == "__main__":
    main()
