#!/usr/bin/env python3
"""Entry point: `python build.py --help` lists the commands."""

import sys

from newsarchive.cli import main

if __name__ == "__main__":
    sys.exit(main())
