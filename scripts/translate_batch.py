#!/usr/bin/env python3
"""The batch translation script: the same as ``arabic-align batch`` (see its --help)."""

import sys

from align.cli import main

if __name__ == "__main__":
    sys.exit(main(["batch", *sys.argv[1:]]))
