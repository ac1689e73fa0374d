"""``python -m algoattr.backtest``: runs :func:`algoattr.backtest.cli.main`."""

import sys

from algoattr.backtest.cli import main

if __name__ == "__main__":
    sys.exit(main())
