import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drsui.settings")
application = get_wsgi_application()

# The embedded default (runserver, no worker) refreshes job statuses in this process.
from drsui.jobs.refresher import embedded_refresher_start  # noqa: E402 (needs the apps loaded)

embedded_refresher_start()

# And posts the notifications that are due again (retries) in this process too.
from drsui.notify.embedded import embedded_sweep_start  # noqa: E402

embedded_sweep_start()
