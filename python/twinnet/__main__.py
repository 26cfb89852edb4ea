"""``python -m twinnet ...``: the same as the ``twinnet`` command (see twinnet.cli)."""

import sys

from .cli import main

sys.exit(main())
