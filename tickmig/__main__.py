"""`python -m tickmig` runs the command-line interface."""

from __future__ import annotations

from tickmig.cli import main

if __name__ == "__main__":
    main()
