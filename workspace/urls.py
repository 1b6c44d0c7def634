from django.urls import include, path

from workspace import leads, views

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("markt/", include("market.urls")),
    path("kunden/<int:pk>/", views.client, name="client"),
    path("kunden/<int:pk>/loeschen/", views.client_delete, name="client_delete"),
    path("kunden/<int:pk>/daten.json", views.client_data, name="client_data"),
    path("kunden/<int:pk>/standortbestimmung/", views.assessment_new, name="assessment_new"),
    path("kunden/<int:pk>/uebernehmen/", views.claim, name="claim"),
    path("s/<uuid:key>/", views.assessment, name="assessment"),
    path("s/<uuid:key>/einladen/", views.invite, name="invite"),
    path(
        "s/<uuid:key>/teilnehmende/<int:participant_id>/widerrufen/",
        views.participant_revoke,
        name="participant_revoke",
    ),
    path(
        "s/<uuid:key>/teilnehmende/<int:participant_id>/wieder-zulassen/",
        views.participant_restore,
        name="participant_restore",
    ),
    path(
        "s/<uuid:key>/teilnehmende/<int:participant_id>/neuer-link/",
        views.participant_relink,
        name="participant_relink",
    ),
    path(
        "s/<uuid:key>/teilnehmende/<int:participant_id>/erinnern/",
        views.participant_remind,
        name="participant_remind",
    ),
    path("s/<uuid:key>/erinnern/", views.assessment_remind, name="assessment_remind"),
    path("s/<uuid:key>/konsens/", views.consensus, name="consensus"),
    path("s/<uuid:key>/einstellungen/", views.assessment_settings, name="assessment_settings"),
    path("s/<uuid:key>/bereiche-und-rollen/", views.segments, name="segments"),
    path(
        "s/<uuid:key>/teilnehmende/<int:participant_id>/bereich-und-rolle/",
        views.participant_place,
        name="participant_place",
    ),
    path("s/<uuid:key>/vergleich/", views.compare, name="compare"),
    path("s/<uuid:key>/loeschen/", views.assessment_delete, name="assessment_delete"),
    path("s/<uuid:key>/bericht.pdf", views.report, name="report"),
    path("s/<uuid:key>/export.json", views.export, {"kind": "json"}, name="export_json"),
    path("s/<uuid:key>/export.csv", views.export, {"kind": "csv"}, name="export_csv"),
    path("s/<uuid:key>/roadmap/", include("roadmap.urls")),
    path("anfragen/", leads.inbox, name="leads"),
    path("anfragen/<int:pk>/", leads.lead, name="lead"),
    path("anfragen/<int:pk>/status/", leads.lead_status, name="lead_status"),
    path("anfragen/<int:pk>/kunde/", leads.lead_convert, name="lead_convert"),
    path("anfragen/<int:pk>/loeschen/", leads.lead_delete, name="lead_delete"),
    path("anfragen/<int:pk>/bericht.pdf", leads.lead_report, name="lead_report"),
    path("mails/<int:pk>/erneut/", leads.mail_retry, name="mail_retry"),
]
