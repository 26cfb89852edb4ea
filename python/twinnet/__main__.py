"""``python -m twinnet ...``: the same as the ``twinnet`` command (see twinnet.cli)."""

import sys

from .cli import cli_main

sys.exit(cli_main())
