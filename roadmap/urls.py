from django.urls import path

from roadmap import views

urlpatterns = [
    path("a/<uuid:key>/", views.plan, name="roadmap_plan"),
    path("a/<uuid:key>/bericht.pdf", views.report_for_participant, name="report_participant"),
    path("bearbeiten/<uuid:key>/bericht.pdf", views.report_for_owner, name="report_owner"),
    path(
        "a/<uuid:key>/export.json",
        views.export_for_participant,
        {"kind": "json"},
        name="export_participant_json",
    ),
    path(
        "a/<uuid:key>/export.csv",
        views.export_for_participant,
        {"kind": "csv"},
        name="export_participant_csv",
    ),
    path(
        "bearbeiten/<uuid:key>/export.json",
        views.export_for_owner,
        {"kind": "json"},
        name="export_owner_json",
    ),
    path(
        "bearbeiten/<uuid:key>/export.csv", views.export_for_owner, {"kind": "csv"}, name="export_owner_csv"
    ),
    path("a/<uuid:key>/meine-daten.json", views.my_data, name="my_data"),
    path("kunden/<int:pk>/daten.json", views.client_data, name="client_data"),
    path("bearbeiten/<uuid:key>/", views.edit, name="roadmap_edit"),
    path("bearbeiten/<uuid:key>/einstellungen/", views.settings_save, name="roadmap_settings"),
    path("bearbeiten/<uuid:key>/neu-planen/", views.replan, name="roadmap_replan"),
    path("bearbeiten/<uuid:key>/massnahme/<int:item_id>/", views.item_save, name="roadmap_item"),
    path("bearbeiten/<uuid:key>/eigene-massnahme/", views.custom_add, name="roadmap_custom"),
]
