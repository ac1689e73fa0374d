"""``python -m algoattr.diff``: runs :func:`algoattr.diff.cli.main`."""

import sys

from algoattr.diff.cli import main

if __name__ == "__main__":
    sys.exit(main())
