"""DRSUI_ENV=production: starts only when safe, says everything that is not, passes Django's
deployment checks without a warning, and collects and serves its static files."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from deploy_helpers import ROOT, manage, production_env

from drsui.production import EMBEDDED_FERNET_KEY, EMBEDDED_SECRET_KEY, production_problems


@pytest.mark.parametrize("behind_proxy", ["0", "1"])
def test_check_deploy_passes_without_a_warning(behind_proxy):
    done = manage("check", "--deploy", "--fail-level", "WARNING",
                  env=production_env(DRSUI_BEHIND_TLS_PROXY=behind_proxy))
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNINGS" not in done.stderr


def test_an_unsafe_environment_is_refused_with_every_problem_named_and_no_secret_shown():
    leaked_key = "not-a-fernet-key-but-a-secret-value"
    done = manage("check", env=production_env(
        DJANGO_DEBUG="1", DJANGO_SECRET_KEY="tiny-key-7", DRSUI_SECRET_KEYS=leaked_key,
        DJANGO_ALLOWED_HOSTS="", DATABASE_URL=None))
    assert done.returncode != 0
    said = done.stderr
    assert said.startswith("DRSUI_ENV=production refuses to start:")
    for variable in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DRSUI_SECRET_KEYS",
                     "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
        assert f"  - {variable}" in said
    assert "Traceback" not in said
    assert leaked_key not in said and "tiny-key-7" not in said


def test_gunicorn_refuses_an_unsafe_environment_once_before_any_worker_starts():
    leaked_key = "not-a-fernet-key-but-a-secret-value"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "drsui.wsgi",
         "-c", "python:drsui.gunicorn_conf"], cwd=ROOT, capture_output=True, text=True,
        timeout=60, env=production_env(DRSUI_SECRET_KEYS=leaked_key, DJANGO_ALLOWED_HOSTS="",
                                       DRSUI_BIND="127.0.0.1:0"))
    assert done.returncode != 0
    said = done.stderr
    assert said.count("DRSUI_ENV=production refuses to start:") == 1
    assert "  - DRSUI_SECRET_KEYS" in said and "  - DJANGO_ALLOWED_HOSTS" in said
    assert "Booting worker" not in said and "Traceback" not in said
    assert leaked_key not in said


def _alone(**overrides) -> list[str]:
    return production_problems(production_env(**overrides))


def test_a_safe_environment_has_no_problem():
    assert _alone() == []


@pytest.mark.parametrize(("overrides", "named"), [
    ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG is on"),
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set"),
    ({"DJANGO_SECRET_KEY": "x" * 10}, "DJANGO_SECRET_KEY is too short"),
    ({"DJANGO_SECRET_KEY": "ab" * 40}, "DJANGO_SECRET_KEY is too short or too plain"),
    ({"DJANGO_SECRET_KEY": EMBEDDED_SECRET_KEY}, "DJANGO_SECRET_KEY is a published default"),
    ({"DJANGO_SECRET_KEY": "django-insecure-" + "k" * 60}, "is a published default"),
    ({"DRSUI_SECRET_KEYS": None}, "DRSUI_SECRET_KEYS is not set"),
    ({"DRSUI_SECRET_KEYS": " , "}, "DRSUI_SECRET_KEYS is not set"),
    ({"DRSUI_SECRET_KEYS": "c2hvcnQ="}, "DRSUI_SECRET_KEYS key 1 is not a Fernet key"),
    ({"DRSUI_SECRET_KEYS": Fernet.generate_key().decode() + ",nope"},
     "DRSUI_SECRET_KEYS key 2 is not a Fernet key"),
    ({"DRSUI_SECRET_KEYS": EMBEDDED_FERNET_KEY}, "key 1 is the published embedded default"),
    ({"DJANGO_ALLOWED_HOSTS": " "}, "DJANGO_ALLOWED_HOSTS is empty"),
    ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
    ({"DATABASE_URL": "sqlite:////srv/drsui.sqlite3"}, "DATABASE_URL names SQLite"),
    ({"DATABASE_URL": "mysql://u:p@db/drsui"}, "DATABASE_URL has scheme 'mysql'"),
])
def test_each_unsafe_setting_is_refused_with_its_message(overrides, named):
    problems = _alone(**overrides)
    assert len(problems) == 1
    assert named in problems[0]


def test_collectstatic_then_whitenoise_serves_the_hashed_files(tmp_path):
    env = production_env(DRSUI_STATIC_ROOT=str(tmp_path))
    # Only the portal's own files: compressing admin's and django-htmx's ~170 takes a minute.
    done = manage("collectstatic", "--noinput", "-i", "admin", "-i", "django_htmx", env=env)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    css = manifest["vendor/bootstrap-5.3.9.min.css"]
    assert (tmp_path / css).exists()

    served = manage("shell", "-v", "0", "-c", (
        "from django.test import Client; from django.templatetags.static import static; "
        "url = static('vendor/bootstrap-5.3.9.min.css'); "
        "r = Client().get(url, secure=True, headers={'host': 'portal.example.com'}); "
        "print(url, r.status_code, r.headers['Cache-Control'])"), env=env)
    assert served.returncode == 0, served.stderr
    url, status, cache_control = served.stdout.split(maxsplit=2)
    assert url == "/static/" + css
    assert status == "200"
    assert "immutable" in cache_control
