"""How long the property tests search, per hypothesis profile (HYPOTHESIS_PROFILE):

- "ci", the default (make test, make test-fast): a third of the examples a test names;
- "thorough": all of them, for a change to the contract or the wizard's engine.

On a second database (DATABASE_URL set: make test's PostgreSQL pass) "ci" searches a quarter of
that: the first pass, on SQLite, searched the inputs; the second checks that what each example
stores comes back alike from PostgreSQL (NULs, JSON, text), which any example does.

No deadline in either: a loaded machine is slow, not wrong. The round trip names 120, so 40 in
"ci": with 10 it missed the mutation it was checked against (an imported empty tag list dropped
on Save, seed 1), with 40 it finds it."""

import os

from hypothesis import HealthCheck, settings

SHARE = {"ci": 1 / 3, "thorough": 1.0}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SECOND_DATABASE = PROFILE == "ci" and bool(os.environ.get("DATABASE_URL"))
for _name in SHARE:
    settings.register_profile(_name, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The share of `n` examples the profile searches."""
    return max(10, round(n * SHARE[PROFILE] / (4 if SECOND_DATABASE else 1)))
