"""Console entry point (`tickmig`, `python -m tickmig`); `--version` answers without loading
typer, lark or anything else, and so does a `check` the cache can replay
(tickmig.engine.replay)."""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):
        from tickmig import __version__

        sys.stdout.write(f"tickmig {__version__}\n")
        return
    if argv[:1] == ["check"]:  # an unchanged tree's check, printed back from the cache
        from tickmig.engine import replay

        code = replay.replay(argv)
        if code is not None:
            sys.exit(code)
        replay.ARGV = argv
    from tickmig.cli.app import command

    command()(prog_name="tickmig")


if __name__ == "__main__":
    main()
