from django.urls import path

from . import draft_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("drafts/", draft_views.draft_list, name="draft_list"),
    path("drafts/new/", views.draft_new, name="draft_new"),
    path("drafts/import/", draft_views.draft_import, name="draft_import"),
    path("drafts/<int:draft_id>/", draft_views.draft_resume, name="draft_resume"),
    path("drafts/<int:draft_id>/rename/", draft_views.draft_rename_view, name="draft_rename"),
    path("drafts/<int:draft_id>/delete/", draft_views.draft_delete_view, name="draft_delete"),
    path("drafts/<int:draft_id>/clone/", draft_views.draft_clone_view, name="draft_clone"),
    path("drafts/<int:draft_id>/export/", draft_views.draft_export, name="draft_export"),
    path("drafts/<int:draft_id>/new-with-network/", draft_views.draft_new_with_network,
         name="draft_new_with_network"),
    path("drafts/<int:draft_id>/<slug:step>/", views.draft_step, name="draft_step"),
]
