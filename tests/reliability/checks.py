"""What the full-form reliability scripts share: the command line they print first, and
the failed checks they print last and exit on."""

from __future__ import annotations

import shlex
import sys
import time
from typing import NoReturn


def show_command(module: str) -> float:
    """Print how this run was started (as ``python -m module ...``); the start time."""
    print("$ " + shlex.join([sys.executable, "-m", module, *sys.argv[1:]]))
    return time.monotonic()


def finish(failed: list[str], started: float) -> NoReturn:
    """Print the failed checks and exit 1 if there are any."""
    print(f"\n{len(failed)} checks failed; {time.monotonic() - started:.0f} s in all")
    for line in failed:
        print(f"  FAILED {line}")
    sys.exit(1 if failed else 0)
