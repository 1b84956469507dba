from django.urls import path, re_path

from drsui.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("v3/auth/tokens", views.iam_tokens, name="iam-tokens"),
    path("v5/<str:project_id>/jobs", views.jobs_collection, name="jobs"),
    path("v5/<str:project_id>/jobs/<str:job_id>", views.job_detail, name="job"),
    path("v5/<str:project_id>/jobs/<str:job_id>/action", views.job_action, name="job-action"),
    path("_control/faults", views.control_faults, name="control-faults"),
    path("_control/jobs", views.control_jobs, name="control-jobs"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
