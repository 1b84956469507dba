"""Run manage.py in a child process with a production environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict:
    """A complete, safe production environment (the database is never reached)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DRSUI_", "DATABASE_URL"))}
    env.update({
        "DRSUI_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DRSUI_SECRET_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "portal.example.com",
        "DATABASE_URL": "postgres://drsui:never-used@127.0.0.1:9/drsui",
    })
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
