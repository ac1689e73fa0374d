"""``python -m algoattr.threshold``: runs :func:`algoattr.threshold.cli.main`."""

import sys

from algoattr.threshold.cli import main

if __name__ == "__main__":
    sys.exit(main())
