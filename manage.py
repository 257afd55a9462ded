#!/usr/bin/env python3
"""Django's command-line utility; `chengxin …` (chengxin/cli.py) is the same with a shorter name."""

from chengxin.cli import main

if __name__ == "__main__":
    main()
