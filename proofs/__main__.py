"""``python -m proofs``: run every proof step (same as ``tradeoff prove``)."""

import sys

from proofs.runner import main

sys.exit(main())
