from django.urls import path

from . import export_views

urlpatterns = [
    path("waves/<int:pk>/export.tf", export_views.wave_export_terraform_view,
         name="wave_export_terraform"),
    path("waves/<int:pk>/export.jsonl", export_views.wave_export_jsonl_view,
         name="wave_export_jsonl"),
]
