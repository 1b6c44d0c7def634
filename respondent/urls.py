from django.urls import path

from respondent import kiosk, views

app_name = "respondent"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("r/", views.links_paused, name="links_paused"),
    path("r/<str:token>/", views.resume, name="resume"),
    path("a/<uuid:key>/", views.continue_, name="continue"),
    path("a/<uuid:key>/link/", views.link, name="link"),
    path("a/<uuid:key>/neuer-link/", views.new_link, name="new_link"),
    path("a/<uuid:key>/feld/<slug:field>/", views.step, name="step"),
    path("a/<uuid:key>/antwort/", views.answer, name="answer"),
    path("a/<uuid:key>/bereich-und-rolle/", views.segment, name="segment"),
    path("a/<uuid:key>/abschluss/", views.summary, name="summary"),
    path("a/<uuid:key>/bearbeiten/", views.reopen, name="reopen"),
    path("a/<uuid:key>/ergebnis/", views.result, name="result"),
    path("a/<uuid:key>/vergleich/", views.benchmark_consent, name="benchmark_consent"),
    path("a/<uuid:key>/roadmap/", views.roadmap, name="roadmap"),
    path("a/<uuid:key>/bericht.pdf", views.report, name="report"),
    path("a/<uuid:key>/export.json", views.export, {"kind": "json"}, name="export_json"),
    path("a/<uuid:key>/export.csv", views.export, {"kind": "csv"}, name="export_csv"),
    path("a/<uuid:key>/meine-daten.json", views.my_data, name="my_data"),
    path("a/<uuid:key>/kontakt/", views.contact, name="contact"),
    path("a/<uuid:key>/kontakt/widerrufen/", views.contact_withdraw, name="contact_withdraw"),
    path("a/<uuid:key>/teilen/", views.share, name="share"),
    path("a/<uuid:key>/teilen/<int:link_id>/widerrufen/", views.share_revoke, name="share_revoke"),
    path("a/<uuid:key>/aufs-handy/", views.handover, name="handover"),
    path("a/<uuid:key>/bericht-per-mail/", views.report_mail, name="report_mail"),
    path("kiosk/", kiosk.start, name="kiosk"),
    path("kiosk/ende/", kiosk.end, name="kiosk_end"),
]
