from django.urls import path

from . import views

urlpatterns = [
    path("waves/", views.wave_list, name="wave_list"),
    path("drafts/<int:draft_id>/wave/", views.wave_new, name="wave_new"),
    path("waves/<int:pk>/", views.wave_detail, name="wave_detail"),
    path("waves/<int:pk>/upload/", views.wave_upload, name="wave_upload"),
    path("waves/<int:pk>/header.csv", views.wave_header, name="wave_header"),
    path("waves/<int:pk>/rows/<int:row_pk>/", views.wave_row, name="wave_row"),
]
