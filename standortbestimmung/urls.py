from django.urls import path

from standortbestimmung import views

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
]
