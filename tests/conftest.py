"""Hypothesis profiles: ``ci`` (built in; loaded when CI=true), ``dev`` and ``deep``.

Select with ``pytest --hypothesis-profile=deep`` or HYPOTHESIS_PROFILE=deep.
"""

import os

# Torch (empirical tests) defaults to one thread per core; under pytest-xdist that
# oversubscribes the cores 2x-4x and slows the torch tests ten-fold. Must precede any torch import.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "deep", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])

if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif not os.environ.get("CI"):
    settings.load_profile("dev")
# With CI=true Hypothesis loads its built-in "ci" profile (derandomized, no database).
