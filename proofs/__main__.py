"""``python -m tradeoff.proofs``: run every proof step (same as ``tradeoff prove``)."""

import sys

from tradeoff.proofs.runner import main

sys.exit(main())
