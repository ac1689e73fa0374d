"""``python -m algoattr`` runs the main job, the fit (see ``python -m algoattr.fit --help``)."""

import sys

from algoattr.fit import main

sys.exit(main())
