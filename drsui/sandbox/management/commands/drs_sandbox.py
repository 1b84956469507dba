"""Serve the sandbox (fake DRS + IAM) alone, at the root of http://HOST:PORT."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import run
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from drsui.sandbox.faults import set_faults
from drsui.sandbox.server import NoDelayWSGIServer


class Command(BaseCommand):
    help = (
        "Serve the DRS/IAM sandbox standalone (DRS and IAM endpoint: http://HOST:PORT). "
        "The fault options replace the faults stored in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--migrate", action="store_true", help="run migrate first")
        parser.add_argument("--latency-ms", type=int, default=0, help="delay every request")
        parser.add_argument(
            "--error-rate", type=float, default=0.0, help="share of DRS requests answered 500"
        )
        parser.add_argument(
            "--hang-seconds", type=float, default=0.0, help="answer DRS requests this late"
        )
        parser.add_argument(
            "--malformed-rate",
            type=float,
            default=0.0,
            help="share of DRS requests answered 200 with a non-JSON body",
        )
        parser.add_argument(
            "--hang-rate",
            type=float,
            default=1.0,
            help="share of DRS requests that --hang-seconds delays (default 1: every one)",
        )
        parser.add_argument(
            "--drop-rate",
            type=float,
            default=0.0,
            help="share of DRS requests handled, then answered by closing the connection",
        )
        parser.add_argument(
            "--fault-scope",
            choices=["all", "create"],
            default="all",
            help="fault every request, or job creation only",
        )
        parser.add_argument(
            "--config-delay",
            type=float,
            default=None,
            help="seconds from CREATING to CONFIGURATION (default: settings)",
        )

    def handle(self, *args, **options):
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        elif _sandbox_unmigrated():
            raise CommandError(
                "The sandbox's tables are not in the database yet (a fresh checkout?): run "
                "`manage.py migrate` first, or start it with --migrate.")
        try:
            set_faults(
                latency_ms=options["latency_ms"],
                error_rate=options["error_rate"],
                hang_seconds=options["hang_seconds"],
                malformed_rate=options["malformed_rate"],
                drop_rate=options["drop_rate"],
                hang_rate=options["hang_rate"],
                scope=options["fault_scope"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["config_delay"] is not None:
            settings.DRSUI_SANDBOX = {
                **settings.DRSUI_SANDBOX,
                "CONFIGURATION_DELAY_SECONDS": options["config_delay"],
            }
        settings.ROOT_URLCONF = "drsui.sandbox.standalone_urls"
        host, port = options["host"], options["port"]

        def announce(bound_port):
            self.stdout.write(f"DRS sandbox listening on http://{host}:{bound_port}", ending="\n")
            self.stdout.flush()

        try:
            run(
                host,
                port,
                get_wsgi_application(),
                ipv6=":" in host,
                threading=True,
                on_bind=announce,
                server_cls=NoDelayWSGIServer,
            )
        except KeyboardInterrupt:
            pass
        except OSError as exc:
            raise CommandError(f"cannot serve on {host}:{port}: {exc}") from exc


def _sandbox_unmigrated() -> bool:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return any(migration.app_label == "sandbox" for migration, _ in plan)
