"""Command line: ``python -m algoattr.report`` (a shim for :mod:`algoattr.cli.report`).

Examples
--------
::

    python -m algoattr.report --all                      # every benchmark, seed analyses, index
    python -m algoattr.report --fit reports/ptb_summary.json
    python -m algoattr.report --benchmark imagenet       # saved fit, else a --fast-like fit
    python -m algoattr.report --seed-analyses --index
"""

from __future__ import annotations

import sys

from algoattr.cli.report import (  # noqa: F401 (importable from here)
    ALL_BENCHMARKS,
    PROG,
    build_parser,
    main,
    obtain_fit,
    stem_of,
)

if __name__ == "__main__":
    sys.exit(main())
