from django.urls import path

from . import views

urlpatterns = [
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission_detail"),
]
