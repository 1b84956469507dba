"""`runserver` as Django's (with static files), on connections without Nagle's delay.

`make run` serves the portal and the sandbox it submits to from this one server: without it,
every answer, to the browser and to the portal's own DRS calls, waited ~40 ms (see
drsui.sandbox.server)."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from drsui.sandbox.server import NoDelayWSGIServer


class Command(RunserverCommand):
    server_cls = NoDelayWSGIServer
