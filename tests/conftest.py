import os
import socket
from pathlib import Path

import pytest
import requests

import tests.properties  # noqa: F401  (the hypothesis profiles)
from tests.in_process import BASE_URL, SANDBOX_URL, ManualClock, PortalTransport

# The wave export's reader uses the single export's: both registered before any test imports them.
pytest.register_assert_rewrite("tests.wizard.terraform_reader", "tests.waves.wave_terraform")

# Playwright's sync API runs an event loop in the test thread; the tests still touch the
# database synchronously, as Django's own live-server tests do.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"

# What makes pytest-django give a test the database (its own list, for ordering tests).
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences",
                     "django_db_serialized_rollback"}


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by markers
def pytest_collection_modifyitems(items):
    """Mark `database` every test that reaches the database, so `-m database` selects the
    tests whose outcome can depend on which database it is (make test's PostgreSQL pass)."""
    for item in items:
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.database)


class _EndsItsConnections:
    """When the live server stops, it ends the connections clients keep open (DRS sessions
    are kept per thread) and waits for their threads: they close the test database's shared
    connection, which they may do only while the live server still shares it."""

    daemon_threads = False
    block_on_close = True

    def get_request(self):
        conn, address = super().get_request()
        self.__dict__.setdefault("open_connections", set()).add(conn)
        return conn, address

    def shutdown_request(self, request):
        self.__dict__.get("open_connections", set()).discard(request)
        super().shutdown_request(request)

    def server_close(self):
        for conn in list(self.__dict__.get("open_connections", ())):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        super().server_close()  # joins the request threads


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request):
    """Each xdist worker its own test database: PostgreSQL's named test_drsui_gw0, _gw1 ...
    (pytest-django's rule); drsui's SQLite engine, which pytest-django would give a file name,
    tests in memory, which is each worker's own already."""
    from django.conf import settings

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    database = settings.DATABASES["default"]
    if worker and database["ENGINE"] != "drsui.sqlite":
        database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_{worker}"
    elif os.environ.get("DRSUI_TEST_SQLITE_DIR"):
        # A file, as `make run`'s: each thread of the live server its own connection, as in
        # use (an in-memory database is one connection the threads share; a browser's
        # requests at once, an autosave beside a re-render, then meet in its table locks).
        database.setdefault("TEST", {})["NAME"] = str(
            Path(os.environ["DRSUI_TEST_SQLITE_DIR"]) / f"test-{worker or 'main'}.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _live_server_without_nagle():
    """live_server answers without Nagle's ~40 ms wait, as `make run` does."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    from drsui.sandbox.server import NoDelay

    LiveServerThread.server_class = type("NoDelayThreadedWSGIServer",
                                         (_EndsItsConnections, NoDelay, ThreadedWSGIServer), {})


@pytest.fixture(scope="session", autouse=True)
def _static_files_listed_once():
    """Each test's Client loads the middleware again, and WhiteNoise then lists every static
    file through the finders (the admin's ~170: ~35 ms, a fifth of a database test's time).
    They do not change during the suite: list them once, hand each new middleware the same."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed = {}

    def add_files_from_finders(self):
        if not listed:
            list_files(self)
            listed.update(self.files)
        else:
            self.files.update(listed)

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = list_files


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Users are made and log in all through the suite; the default hasher is slow on purpose."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _tasks_inline_on_postgresql(monkeypatch):
    """The embedded queue runs tasks inline on the suite's in-memory SQLite, so a test sees its
    task's outcome; on PostgreSQL (DATABASE_URL set, `make test`'s second run) too: a pool
    thread would not see a test's uncommitted rows, nor finish before its tables are flushed."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "drsui.sqlite":
        from drsui.jobs import backends

        monkeypatch.setattr(backends, "_in_memory_database", lambda: True)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts, and ends, in the default language and time zone: none leaks from
    one test into the next (a test that left Chinese active would make the next one's
    submissions speak Chinese)."""
    from django.utils import timezone, translation

    translation.deactivate()
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with Django's cache empty (the dashboard's counts, the approver groups,
    kept up to 30 s per process): what one test read is never another's answer."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_approval_unless_asked(request):
    """The default policy (one ops approval) would hold every submission "awaiting approval":
    tests send without approval unless marked `approval_policy`. Only for tests that reach
    the database (the catch-all rule is made again after a transactional test's flush)."""
    uses_db = request.node.get_closest_marker("django_db") or \
        DATABASE_FIXTURES & set(request.fixturenames)
    if not uses_db or request.node.get_closest_marker("approval_policy"):
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from drsui.jobs.services.approvals import catch_all_rule

    rule = catch_all_rule()
    rule.approvals_needed = 0
    rule.save(update_fields=["approvals_needed"])
    yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync",
                 # English unless a context asks for another locale: never the machine's.
                 "--lang=en-US"],
    }


@pytest.fixture
def demo_team(db):
    """The team (group) the `demo_user` is in, which the project fixtures grant their projects
    to (as `make run`'s demo does)."""
    from drsui.wizard.management.commands.drsui_demo import demo_team

    return demo_team()


@pytest.fixture
def demo_user(django_user_model, demo_team):
    user = django_user_model.objects.create_user("alice", password="alice-pass-1")
    user.groups.add(demo_team)
    return user


@pytest.fixture
def project(demo_team):
    """A cloud project nobody listens on: for tests that send nothing. Granted to the
    demo_user's team."""
    from drsui.wizard.models import CloudProject

    p = CloudProject.objects.create(
        name="Sandbox", region="cn-north-4", project_id="054ba152d480d55b2f5dc0069e7ddef0",
        drs_endpoint="http://127.0.0.1:9/sandbox", iam_endpoint="http://127.0.0.1:9/sandbox",
        iam_user="sandbox", iam_domain="sandbox")
    p.set_iam_password("sandbox")
    p.save()
    p.groups.add(demo_team)
    return p


@pytest.fixture
def sandbox_clock():
    """The sandbox's clock, moved by hand: delays, token expiry, latency and hangs take no time."""
    from drsui.sandbox import clock

    manual = ManualClock()
    replaced = clock.install(manual)
    yield manual
    clock.install(replaced)


@pytest.fixture
def in_process_sandbox(db, monkeypatch, settings, sandbox_clock):
    """Requests to http://testserver (from any requests session) reach the portal in this
    process, in the test's transaction; every test starts without faults or jobs."""
    transport = PortalTransport(sandbox_clock)
    get_adapter = requests.Session.get_adapter

    def portal_or_network(session, url):
        return transport if url.startswith(BASE_URL + "/") else get_adapter(session, url)

    monkeypatch.setattr(requests.Session, "get_adapter", portal_or_network)
    settings.DRSUI_SANDBOX = {
        **settings.DRSUI_SANDBOX,
        "CONFIGURATION_DELAY_SECONDS": 0.2,
        "TOKEN_TTL_SECONDS": 3600,
    }
    return transport


@pytest.fixture
def sandbox_url(in_process_sandbox):
    """The sandbox inside the portal, reached without a socket."""
    return SANDBOX_URL


@pytest.fixture
def sandbox_project(in_process_sandbox):
    """The "Sandbox" cloud project pointing at the sandbox inside the portal."""
    from drsui.wizard.management.commands.drsui_demo import demo_setup

    return demo_setup(portal_url=BASE_URL)


@pytest.fixture
def live_sandbox_project(live_server, settings):
    """The "Sandbox" cloud project pointing at the sandbox inside the live server: for
    browsers, and for tests that need a request still running while another one is answered."""
    from drsui.wizard.management.commands.drsui_demo import demo_setup

    settings.DRSUI_SANDBOX = {**settings.DRSUI_SANDBOX, "CONFIGURATION_DELAY_SECONDS": 0.5}
    return demo_setup(portal_url=live_server.url)
