"""What DRSUI_ENV=production refuses to start with: read from the environment before Django
has settings, so every problem is named at once (never a secret's value)."""

from urllib.parse import urlsplit

from cryptography.fernet import Fernet

# The embedded default's keys: public, in this repository.
EMBEDDED_SECRET_KEY = "drsui-embedded-default-not-for-production"
EMBEDDED_FERNET_KEY = "ZHJzdWktZW1iZWRkZWQtZGVmYXVsdC1rZXktMDAwMDA="
SECRET_KEY_MIN_LENGTH = 50  # Django's own deploy check (security.W009) asks for as much


class UnsafeProductionSettings(Exception):
    """Production settings that must not serve anyone; the message lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "DRSUI_ENV=production refuses to start:\n" + "\n".join(f"  - {p}" for p in problems)
            + "\nREADME.md (Deployment) lists every variable.")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _secret_key_problem(key: str) -> str | None:
    if not key:
        return "DJANGO_SECRET_KEY is not set."
    if key == EMBEDDED_SECRET_KEY or key.startswith("django-insecure-"):
        return "DJANGO_SECRET_KEY is a published default: generate your own."
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        return (f"DJANGO_SECRET_KEY is too short or too plain: at least "
                f"{SECRET_KEY_MIN_LENGTH} random characters.")
    return None


def _fernet_keys_problems(value: str) -> list[str]:
    keys = _split(value)
    if not keys:
        return ["DRSUI_SECRET_KEYS is not set: one or more Fernet keys, comma-separated, "
                "newest first (stored passwords and certificates are encrypted with them)."]
    problems = []
    for number, key in enumerate(keys, start=1):
        if key == EMBEDDED_FERNET_KEY:
            problems.append(f"DRSUI_SECRET_KEYS key {number} is the published embedded "
                            "default: generate your own.")
            continue
        try:
            Fernet(key)
        except ValueError:
            problems.append(f"DRSUI_SECRET_KEYS key {number} is not a Fernet key (32 bytes, "
                            "url-safe base64: Fernet.generate_key()).")
    return problems


def _database_problem(url: str) -> str | None:
    if not url:
        return "DATABASE_URL is not set: production runs on PostgreSQL (postgres://…)."
    scheme = urlsplit(url).scheme.lower()
    if scheme.startswith("sqlite"):
        return "DATABASE_URL names SQLite: production runs on PostgreSQL (postgres://…)."
    if scheme not in ("postgres", "postgresql", "pgsql"):
        return f"DATABASE_URL has scheme {scheme!r}: production runs on PostgreSQL (postgres://…)."
    return None


def production_problems(env) -> list[str]:
    """Every reason the environment `env` (a mapping) is unsafe to serve from."""
    problems = []
    if env.get("DJANGO_DEBUG", "0") not in ("", "0"):
        problems.append("DJANGO_DEBUG is on: error pages would show the code's local values.")
    problems.append(_secret_key_problem(env.get("DJANGO_SECRET_KEY", "")))
    problems.extend(_fernet_keys_problems(env.get("DRSUI_SECRET_KEYS", "")))
    if not _split(env.get("DJANGO_ALLOWED_HOSTS", "")):
        problems.append("DJANGO_ALLOWED_HOSTS is empty: name the host(s) the portal is "
                        "reached at, comma-separated.")
    problems.append(_database_problem(env.get("DATABASE_URL", "").strip()))
    return [p for p in problems if p]
