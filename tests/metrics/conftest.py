# The sandbox, drafts and caches as the submission tests have them.
from tests.jobs.conftest import _fast_password_hashing, _fresh_caches, make_draft, sandbox  # noqa: F401
