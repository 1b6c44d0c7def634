from django.urls import path

from standortbestimmung import views, workspace

urlpatterns = [
    path("", views.home, name="home"),
    path("methodik/", views.methodology, name="methodology"),
    path("start/", views.start, name="start"),
    path("r/<str:token>/", views.resume, name="resume"),
    path("a/<uuid:key>/", views.assessment, name="assessment"),
    path("a/<uuid:key>/link/", views.assessment_link, name="assessment_link"),
    path("a/<uuid:key>/neuer-link/", views.new_link, name="new_link"),
    path("a/<uuid:key>/feld/<slug:field>/", views.step, name="step"),
    path("a/<uuid:key>/antwort/", views.answer_save, name="answer_save"),
    path("a/<uuid:key>/abschluss/", views.summary, name="summary"),
    path("a/<uuid:key>/bearbeiten/", views.reopen, name="reopen"),
    path("a/<uuid:key>/ergebnis/", views.result, name="result"),
    # the consultant's workspace
    path("beratung/", workspace.dashboard, name="dashboard"),
    path("beratung/kunden/<int:pk>/", workspace.client_detail, name="client"),
    path("beratung/kunden/<int:pk>/loeschen/", workspace.client_delete, name="client_delete"),
    path("beratung/kunden/<int:pk>/standortbestimmung/", workspace.workshop_new, name="workshop_new"),
    path("beratung/kunden/<int:pk>/uebernehmen/", workspace.claim, name="claim"),
    path("beratung/s/<uuid:key>/", workspace.workshop, name="workshop"),
    path("beratung/s/<uuid:key>/einladen/", workspace.invite, name="invite"),
    path(
        "beratung/s/<uuid:key>/teilnehmende/<int:participant_id>/widerrufen/",
        workspace.participant_revoke,
        name="participant_revoke",
    ),
    path(
        "beratung/s/<uuid:key>/teilnehmende/<int:participant_id>/neuer-link/",
        workspace.participant_relink,
        name="participant_relink",
    ),
    path("beratung/s/<uuid:key>/konsens/", workspace.consensus, name="consensus"),
    path("beratung/s/<uuid:key>/vergleich/", workspace.compare, name="compare"),
    path("beratung/s/<uuid:key>/loeschen/", workspace.assessment_delete, name="assessment_delete"),
]
