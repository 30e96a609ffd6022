"""``python -m tradeoff`` is the ``tradeoff`` command."""

import sys

from tradeoff.cli import main

sys.exit(main())
