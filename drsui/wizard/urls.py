from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("drafts/new/", views.draft_new, name="draft_new"),
    path("drafts/<int:draft_id>/<slug:step>/", views.draft_step, name="draft_step"),
]
