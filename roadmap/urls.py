"""The roadmap editor; included under the workspace's assessment pages (beratung/s/<key>/roadmap/)."""

from django.urls import path

from roadmap import views

app_name = "roadmap"

urlpatterns = [
    path("", views.edit, name="edit"),
    path("einstellungen/", views.settings_save, name="settings"),
    path("neu-planen/", views.replan, name="replan"),
    path("massnahme/<int:item_id>/", views.item_save, name="item"),
    path("eigene-massnahme/", views.custom_add, name="custom"),
    path("bereich/<int:segment_id>/", views.unit, name="unit"),
    path("bereich/<int:segment_id>/ziele/", views.unit_targets, name="unit_targets"),
]
