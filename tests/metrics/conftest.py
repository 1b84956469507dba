# The sandbox, drafts and caches as the submission tests have them.
from tests.jobs.conftest import _fresh_caches, make_draft, sandbox  # noqa: F401
