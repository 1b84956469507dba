"""Root URLconf of `manage.py drs_sandbox`: the sandbox alone, at the root."""

from django.urls import include, path

urlpatterns = [path("", include("drsui.sandbox.urls"))]
