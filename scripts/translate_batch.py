#!/usr/bin/env python3
"""The batch translation script: the same as ``arabic-align batch`` (see its --help)."""

import sys

try:
    from align.cli import main
except ImportError:  # a python3 without the package: said, not a traceback
    sys.exit(
        "translate_batch.py: error: this Python has no arabic-align installed; run it with the "
        "environment that has it (make install makes .venv: .venv/bin/python "
        "scripts/translate_batch.py), or use arabic-align batch"
    )

if __name__ == "__main__":
    sys.exit(main(["batch", *sys.argv[1:]]))
