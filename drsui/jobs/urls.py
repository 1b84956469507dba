from django.urls import path, re_path

from . import ops_views, views, wave_views
from .models import ActionRun

_ACTIONS = "|".join(ActionRun.Action.values)

# Included before the wizard's: the first pattern answers at the wizard's review step
# (drafts/<id>/review/), where the Submit button posts.
urlpatterns = [
    path("drafts/<int:draft_id>/review/", views.draft_submit, name="draft_submit"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:submission_id>/decide/", views.submission_decide,
         name="submission_decide"),
    path("submissions/<int:submission_id>/withdraw/", views.submission_withdraw,
         name="submission_withdraw"),
    path("approvals/", views.approvals_queue, name="approvals_queue"),
    path("submissions/<int:submission_id>/clone/", views.submission_clone_view,
         name="submission_clone"),
    path("submissions/<int:submission_id>/export/", views.submission_export,
         name="submission_export"),
    # A wave's send, progress and retry (the wave's page itself is drsui.waves').
    path("waves/<int:pk>/send/", wave_views.wave_send_view, name="wave_send"),
    path("waves/<int:pk>/progress/", wave_views.wave_progress_view, name="wave_progress"),
    path("waves/<int:pk>/retry/", wave_views.wave_retry_view, name="wave_retry"),
    # The ops dashboard (ops group only: 403 for everyone else).
    path("ops/", ops_views.dashboard, name="ops_dashboard"),
    path("ops/submissions.csv", ops_views.dashboard_csv, name="ops_dashboard_csv"),
    path("ops/audit/", ops_views.audit, name="ops_audit"),
    path("ops/submissions/<int:submission_id>/retry/", ops_views.submission_retry_view,
         name="ops_submission_retry"),
    re_path(rf"^ops/submissions/(?P<submission_id>[0-9]+)/action/(?P<action>{_ACTIONS})/$",
            ops_views.submission_action_view, name="ops_submission_action"),
]
