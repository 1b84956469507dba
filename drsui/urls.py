from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from drsui.access import LoginForm
from drsui.health import readyz
from drsui.metrics.views import metrics


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("drsui.people.urls")),
    path("", include("drsui.jobs.urls")),  # first: it takes the review step's Submit
    path("", include("drsui.waves.urls")),  # before the wizard's drafts/<id>/<step>/
    path("", include("drsui.wizard.urls")),
    path("", include("drsui.waves.export_urls")),
]

if settings.DRSUI_SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("drsui.sandbox.urls")))
